using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ComplaintWorkflows.Activities.Messaging.Sms;

/// <summary>
/// Alibaba Cloud RPC signature V1 (HMAC-SHA1, SignatureVersion 1.0), as documented for SMS
/// (https://help.aliyun.com/document_detail/56189.html): parameters but <c>Signature</c> sorted by name
/// (ordinal), each name and value percent-encoded, joined <c>k=v&amp;...</c>; StringToSign is
/// <c>METHOD&amp;%2F&amp;percentEncode(query)</c>; the key is <c>AccessKeySecret + "&amp;"</c>.
/// </summary>
public static class AliyunSignature
{
    /// <summary>The canonicalized query string: sorted, encoded parameters without <c>Signature</c>.</summary>
    public static string CanonicalQuery(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return string.Join('&', parameters
            .Where(p => !string.Equals(p.Key, "Signature", StringComparison.Ordinal))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => PercentEncoding.Encode(p.Key) + "=" + PercentEncoding.Encode(p.Value)));
    }

    public static string StringToSign(string method, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        return method.ToUpperInvariant() + "&" + PercentEncoding.Encode("/") + "&" + PercentEncoding.Encode(CanonicalQuery(parameters));
    }

    /// <summary>The Base64 signature (before it is percent-encoded again into the URL).</summary>
    public static string Sign(string method, IEnumerable<KeyValuePair<string, string>> parameters, string accessKeySecret)
    {
        ArgumentNullException.ThrowIfNull(accessKeySecret);
        // HMAC-SHA1 is what signature V1 is defined with; the provider offers no other algorithm for this API style.
#pragma warning disable CA5350
        var mac = HMACSHA1.HashData(Encoding.UTF8.GetBytes(accessKeySecret + "&"), Encoding.UTF8.GetBytes(StringToSign(method, parameters)));
#pragma warning restore CA5350
        return Convert.ToBase64String(mac);
    }

    /// <summary>The <c>Timestamp</c> parameter: UTC <c>yyyy-MM-ddTHH:mm:ssZ</c>.</summary>
    public static string Timestamp(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
