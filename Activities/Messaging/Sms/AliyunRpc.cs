using System.Text;

namespace ComplaintWorkflows.Activities.Messaging.Sms;

/// <summary>
/// An Alibaba Cloud RPC-style request (SMS' Dysmsapi, speech's CreateToken and file transcription): the common
/// parameters every such call carries (Action, Version, RegionId, AccessKeyId, Format, Timestamp, SignatureMethod,
/// SignatureVersion, SignatureNonce) added to the action's own, signed with <see cref="AliyunSignature"/> (V1) and
/// written as the query string the provider expects (<c>Signature=...&amp;</c> then the canonical query).
/// </summary>
public static class AliyunRpc
{
    /// <summary>
    /// Adds the common parameters to <paramref name="parameters"/> (which the caller filled with the action's own) and
    /// answers the signed query string, without the leading <c>?</c>. <paramref name="nonce"/> defaults to a new GUID.
    /// </summary>
    public static string SignedQuery(string method, string action, string version, string regionId, string accessKeyId, string accessKeySecret,
        IDictionary<string, string> parameters, DateTimeOffset now, string? nonce = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentException.ThrowIfNullOrEmpty(action);
        ArgumentException.ThrowIfNullOrEmpty(version);
        ArgumentException.ThrowIfNullOrEmpty(accessKeyId);
        ArgumentNullException.ThrowIfNull(accessKeySecret);
        parameters["Action"] = action;
        parameters["Version"] = version;
        parameters["RegionId"] = regionId;
        parameters["AccessKeyId"] = accessKeyId;
        parameters["Format"] = "JSON";
        parameters["Timestamp"] = AliyunSignature.Timestamp(now);
        parameters["SignatureMethod"] = "HMAC-SHA1";
        parameters["SignatureVersion"] = "1.0";
        parameters["SignatureNonce"] = nonce ?? Guid.NewGuid().ToString("N");
        var signature = AliyunSignature.Sign(method, parameters, accessKeySecret);
        return new StringBuilder("Signature=").Append(PercentEncoding.Encode(signature)).Append('&').Append(AliyunSignature.CanonicalQuery(parameters)).ToString();
    }
}
