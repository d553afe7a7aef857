using System.Security.Cryptography;
using System.Text;

namespace ComplaintWorkflows.SmsEmulator;

/// <summary>
/// The emulator's own computation of both providers' signatures, written apart from the product's client (with the
/// framework's RFC 3986 escaping) so that a mistake in one is caught by the other; both are checked against the
/// providers' documented vectors.
/// </summary>
public static class EmulatorSignatures
{
    /// <summary>Alibaba V1: Base64(HMAC-SHA1(secret + "&amp;", METHOD&amp;%2F&amp;escape(sorted k=v))).</summary>
    public static string AliyunV1(string method, IReadOnlyDictionary<string, string> parameters, string secret)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var pairs = new List<string>();
        foreach (var key in parameters.Keys.Where(k => k != "Signature").OrderBy(k => k, StringComparer.Ordinal))
        {
            pairs.Add(Escape(key) + "=" + Escape(parameters[key]));
        }

        var stringToSign = method + "&" + Escape("/") + "&" + Escape(string.Join("&", pairs));
        // HMAC-SHA1 is what Alibaba's signature V1 is defined with.
#pragma warning disable CA5350
        using var hmac = new HMACSHA1(Encoding.UTF8.GetBytes(secret + "&"));
#pragma warning restore CA5350
        return Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(stringToSign)));
    }

    /// <summary>RFC 3986 with upper-case hex: <see cref="Uri.EscapeDataString(string)"/> keeps exactly the unreserved set.</summary>
    public static string Escape(string value) => Uri.EscapeDataString(value);

    /// <summary>Tencent TC3-HMAC-SHA256 for a POST: the lower-case hex signature.</summary>
    public static string TencentTc3(string secretKey, string service, long timestamp, IReadOnlyList<(string Name, string Value)> signedHeaders, byte[] payload)
    {
        ArgumentNullException.ThrowIfNull(signedHeaders);
        var sorted = signedHeaders.Select(h => (Name: h.Name.Trim().ToLowerInvariant(), Value: h.Value.Trim().ToLowerInvariant())).OrderBy(h => h.Name, StringComparer.Ordinal).ToList();
        var canonical = new StringBuilder();
        canonical.Append("POST\n/\n\n");
        foreach (var (name, value) in sorted)
        {
            canonical.Append(name).Append(':').Append(value).Append('\n');
        }

        canonical.Append('\n').Append(string.Join(";", sorted.Select(h => h.Name))).Append('\n').Append(Hex(SHA256.HashData(payload)));
        var date = DateTimeOffset.FromUnixTimeSeconds(timestamp).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var stringToSign = "TC3-HMAC-SHA256\n" + timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n" + date + "/" + service + "/tc3_request\n"
            + Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
        var key = Hmac(Encoding.UTF8.GetBytes("TC3" + secretKey), date);
        key = Hmac(key, service);
        key = Hmac(key, "tc3_request");
        return Hex(Hmac(key, stringToSign));
    }

    private static byte[] Hmac(byte[] key, string data)
    {
        using var hmac = new HMACSHA256(key);
        return hmac.ComputeHash(Encoding.UTF8.GetBytes(data));
    }

    private static string Hex(byte[] bytes) => string.Concat(bytes.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
}
