using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ComplaintWorkflows.Activities.Messaging.Sms;

/// <summary>
/// Tencent Cloud API 3.0 signature TC3-HMAC-SHA256 ("签名方法 v3", the same page in every product's API
/// documentation, e.g. https://www.tencentcloud.com/document/api/362/32157 for SMS): a canonical request of method, <c>/</c>, query,
/// the signed headers (lower-case <c>name:value\n</c>, sorted), their names and the body's SHA-256; a string to
/// sign of algorithm, timestamp, <c>date/service/tc3_request</c> and the request's SHA-256; the key derived by
/// HMAC-SHA256 from <c>"TC3" + SecretKey</c> over the UTC date, the service and <c>tc3_request</c>.
/// </summary>
public static class TencentSignature
{
    public const string Algorithm = "TC3-HMAC-SHA256";

    public static string CanonicalRequest(string method, string canonicalQuery, IReadOnlyList<KeyValuePair<string, string>> signedHeaders, string payload)
    {
        ArgumentNullException.ThrowIfNull(signedHeaders);
        ArgumentNullException.ThrowIfNull(payload);
        var headers = signedHeaders.Select(h => (Name: h.Key.Trim().ToLowerInvariant(), Value: h.Value.Trim().ToLowerInvariant())).OrderBy(h => h.Name, StringComparer.Ordinal).ToList();
        var canonicalHeaders = string.Concat(headers.Select(h => h.Name + ":" + h.Value + "\n"));
        return method.ToUpperInvariant() + "\n/\n" + canonicalQuery + "\n" + canonicalHeaders + "\n" + SignedHeaderNames(signedHeaders) + "\n" + Sha256Hex(payload);
    }

    public static string SignedHeaderNames(IEnumerable<KeyValuePair<string, string>> signedHeaders)
        => string.Join(';', signedHeaders.Select(h => h.Key.Trim().ToLowerInvariant()).Order(StringComparer.Ordinal));

    public static string Date(long timestamp) => DateTimeOffset.FromUnixTimeSeconds(timestamp).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string CredentialScope(long timestamp, string service) => Date(timestamp) + "/" + service + "/tc3_request";

    public static string StringToSign(long timestamp, string service, string canonicalRequest)
        => Algorithm + "\n" + timestamp.ToString(CultureInfo.InvariantCulture) + "\n" + CredentialScope(timestamp, service) + "\n" + Sha256Hex(canonicalRequest);

    /// <summary>The lower-case hex signature.</summary>
    public static string Sign(string secretKey, long timestamp, string service, string stringToSign)
    {
        ArgumentNullException.ThrowIfNull(secretKey);
        var secretDate = HMACSHA256.HashData(Encoding.UTF8.GetBytes("TC3" + secretKey), Encoding.UTF8.GetBytes(Date(timestamp)));
        var secretService = HMACSHA256.HashData(secretDate, Encoding.UTF8.GetBytes(service));
        var secretSigning = HMACSHA256.HashData(secretService, "tc3_request"u8);
        return Convert.ToHexStringLower(HMACSHA256.HashData(secretSigning, Encoding.UTF8.GetBytes(stringToSign)));
    }

    /// <summary>The <c>Authorization</c> header value for a POST with a JSON body and the given signed headers.</summary>
    public static string Authorization(string secretId, string secretKey, long timestamp, string service, IReadOnlyList<KeyValuePair<string, string>> signedHeaders, string payload)
    {
        var canonical = CanonicalRequest("POST", "", signedHeaders, payload);
        var signature = Sign(secretKey, timestamp, service, StringToSign(timestamp, service, canonical));
        return $"{Algorithm} Credential={secretId}/{CredentialScope(timestamp, service)}, SignedHeaders={SignedHeaderNames(signedHeaders)}, Signature={signature}";
    }

    public static string Sha256Hex(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
