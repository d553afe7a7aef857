using System.Text;

namespace ComplaintWorkflows.Activities.Messaging.Sms;

/// <summary>
/// RFC 3986 percent-encoding as Alibaba Cloud's signature V1 wants it: UTF-8 bytes, <c>A-Z a-z 0-9 - _ . ~</c>
/// kept, everything else <c>%XY</c> with upper-case hex (space is <c>%20</c>, <c>*</c> is <c>%2A</c>, <c>~</c> stays).
/// <c>HttpUtility.UrlEncode</c> differs (lower-case hex, <c>+</c> for space), hence this.
/// </summary>
public static class PercentEncoding
{
    private const string Hex = "0123456789ABCDEF";

    public static string Encode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var bytes = Encoding.UTF8.GetBytes(value);
        var builder = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(Hex[b >> 4]).Append(Hex[b & 0xF]);
            }
        }

        return builder.ToString();
    }
}
