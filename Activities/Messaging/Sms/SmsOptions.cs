using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Messaging.Sms;

/// <summary>Which SMS provider sends the messages.</summary>
public enum SmsProvider
{
    /// <summary>No provider configured: <see cref="UnconfiguredSmsSender"/> stands in (nothing is sent; notifications wait).</summary>
    None,

    /// <summary>Alibaba Cloud SMS (Dysmsapi 2017-05-25, signature V1 HMAC-SHA1).</summary>
    Aliyun,

    /// <summary>Tencent Cloud SMS (API 2021-01-11, TC3-HMAC-SHA256).</summary>
    Tencent,
}

/// <summary>The <c>Workflows:Sms</c> section: the provider, its keys and templates, the limits and the callbacks.</summary>
public sealed class SmsOptions
{
    public const string Section = "Workflows:Sms";

    public SmsProvider Provider { get; set; } = SmsProvider.None;

    public AliyunSmsOptions Aliyun { get; set; } = new();

    public TencentSmsOptions Tencent { get; set; } = new();

    /// <summary>Per-number limits and retry delays (the providers' rules for notification SMS).</summary>
    public SmsLimitOptions Limits { get; set; } = new();

    /// <summary>The reply and delivery-receipt callbacks the provider pushes to us.</summary>
    public SmsCallbackOptions Callback { get; set; } = new();

    /// <summary>How consumers' replies are matched to their open satisfaction survey.</summary>
    public SmsReplyOptions Replies { get; set; } = new();

    /// <summary>Time limit of one call to the provider.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Never lists keys or secrets.</summary>
    public override string ToString() => $"SmsOptions {{ Provider = {Provider}, Aliyun = {Aliyun}, Tencent = {Tencent} }}";
}

/// <summary><c>Workflows:Sms:Aliyun</c>: Alibaba Cloud Dysmsapi.</summary>
public sealed class AliyunSmsOptions
{
    public Uri Endpoint { get; set; } = new("https://dysmsapi.aliyuncs.com/");

    public string RegionId { get; set; } = "cn-hangzhou";

    public string? AccessKeyId { get; set; }

    /// <summary>Secret; never logged, never in <see cref="ToString"/>.</summary>
    public string? AccessKeySecret { get; set; }

    /// <summary>The approved signature (签名), e.g. <c>温州12315</c>.</summary>
    public string? SignName { get; set; }

    /// <summary>Notification template name (e.g. <c>survey.invitation</c>) → approved template code (e.g. <c>SMS_123456789</c>).</summary>
    public Dictionary<string, string> Templates { get; set; } = new(StringComparer.Ordinal);

    public override string ToString() => $"{{ Endpoint = {Endpoint}, RegionId = {RegionId}, AccessKeyId = {(string.IsNullOrEmpty(AccessKeyId) ? "(none)" : "(set)")}, SignName = {SignName}, Templates = {Templates.Count} }}";
}

/// <summary><c>Workflows:Sms:Tencent</c>: Tencent Cloud SMS.</summary>
public sealed class TencentSmsOptions
{
    public Uri Endpoint { get; set; } = new("https://sms.tencentcloudapi.com/");

    public string Region { get; set; } = "ap-guangzhou";

    public string? SecretId { get; set; }

    /// <summary>Secret; never logged, never in <see cref="ToString"/>.</summary>
    public string? SecretKey { get; set; }

    /// <summary>The SMS application id (SmsSdkAppId) from the console.</summary>
    public string? SmsSdkAppId { get; set; }

    public string? SignName { get; set; }

    /// <summary>Notification template name → approved template id. Tencent templates take positional parameters: see <see cref="TemplateParameters"/>.</summary>
    public Dictionary<string, string> Templates { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Template name or id → the parameter names in the order of the template's {1}, {2}, ... (Tencent's TemplateParamSet is positional).</summary>
    public Dictionary<string, string[]> TemplateParameters { get; set; } = new(StringComparer.Ordinal);

    public override string ToString() => $"{{ Endpoint = {Endpoint}, Region = {Region}, SecretId = {(string.IsNullOrEmpty(SecretId) ? "(none)" : "(set)")}, SmsSdkAppId = {SmsSdkAppId}, SignName = {SignName}, Templates = {Templates.Count} }}";
}

/// <summary><c>Workflows:Sms:Limits</c>.</summary>
public sealed class SmsLimitOptions
{
    /// <summary>Messages of one template to one number per rolling <see cref="PerNumberWindow"/> (Alibaba: 50 per 24 h for notifications); more wait.</summary>
    public int PerNumberLimit { get; set; } = 50;

    public TimeSpan PerNumberWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Wait after a minute-level rate limit (分钟级流控).</summary>
    public TimeSpan MinuteLimitRetryAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Wait after an hour-level rate limit (小时级流控).</summary>
    public TimeSpan HourLimitRetryAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Wait after a rate limit the provider did not qualify, and after a transient failure (HTTP 5xx, timeout).</summary>
    public TimeSpan TransientRetryAfter { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary><c>Workflows:Sms:Callback</c>: the URLs configured in the provider's console carry <see cref="Secret"/> in their path.</summary>
public sealed class SmsCallbackOptions
{
    /// <summary>At least 24 characters; empty switches the callback endpoints off (they answer 404). Never logged.</summary>
    public string? Secret { get; set; }

    /// <summary>Largest callback body accepted; larger ones are answered 413.</summary>
    public int MaxBodyBytes { get; set; } = 256 * 1024;

    /// <summary>Most items in one pushed batch.</summary>
    public int MaxItems { get; set; } = 1000;

    public override string ToString() => $"{{ Secret = {(string.IsNullOrEmpty(Secret) ? "(none)" : "(set)")}, MaxBodyBytes = {MaxBodyBytes} }}";
}

/// <summary><c>Workflows:Sms:Replies</c>.</summary>
public sealed class SmsReplyOptions
{
    /// <summary>A reply counts for a survey of a complaint closed at most this long before it (the survey waits 3 + 2 days, then a follow-up call).</summary>
    public TimeSpan MatchWindow { get; set; } = TimeSpan.FromDays(10);

    /// <summary>Longest comment kept from a reply (the survey's comment limit).</summary>
    public int MaxCommentLength { get; set; } = 2000;
}

/// <summary>Reports every problem of the <c>Workflows:Sms</c> section at once, naming each setting.</summary>
internal sealed class SmsOptionsValidator : IValidateOptions<SmsOptions>
{
    public ValidateOptionsResult Validate(string? name, SmsOptions options)
    {
        var failures = new List<string>();
        void Require(bool ok, string message)
        {
            if (!ok)
            {
                failures.Add(message);
            }
        }

        static bool Http(Uri? uri) => uri is { IsAbsoluteUri: true } && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
        const string S = SmsOptions.Section;
        if (options.Provider == SmsProvider.Aliyun)
        {
            var a = options.Aliyun;
            Require(Http(a.Endpoint), $"{S}:Aliyun:Endpoint 必须是 http(s) 地址 (must be an absolute http(s) URL).");
            Require(!string.IsNullOrWhiteSpace(a.RegionId), $"{S}:Aliyun:RegionId 未设置 (is required).");
            Require(!string.IsNullOrWhiteSpace(a.AccessKeyId), $"{S}:Aliyun:AccessKeyId 未设置 (is required when Provider is Aliyun).");
            Require(!string.IsNullOrWhiteSpace(a.AccessKeySecret), $"{S}:Aliyun:AccessKeySecret 未设置 (is required when Provider is Aliyun).");
            Require(!string.IsNullOrWhiteSpace(a.SignName), $"{S}:Aliyun:SignName 未设置 (is required when Provider is Aliyun).");
            foreach (var (template, code) in a.Templates.Where(t => string.IsNullOrWhiteSpace(t.Value)))
            {
                failures.Add($"{S}:Aliyun:Templates:{template} 没有模板编号 (has no template code).");
            }
        }
        else if (options.Provider == SmsProvider.Tencent)
        {
            var t = options.Tencent;
            Require(Http(t.Endpoint), $"{S}:Tencent:Endpoint 必须是 http(s) 地址 (must be an absolute http(s) URL).");
            Require(!string.IsNullOrWhiteSpace(t.Region), $"{S}:Tencent:Region 未设置 (is required).");
            Require(!string.IsNullOrWhiteSpace(t.SecretId), $"{S}:Tencent:SecretId 未设置 (is required when Provider is Tencent).");
            Require(!string.IsNullOrWhiteSpace(t.SecretKey), $"{S}:Tencent:SecretKey 未设置 (is required when Provider is Tencent).");
            Require(!string.IsNullOrWhiteSpace(t.SmsSdkAppId), $"{S}:Tencent:SmsSdkAppId 未设置 (is required when Provider is Tencent).");
            Require(!string.IsNullOrWhiteSpace(t.SignName), $"{S}:Tencent:SignName 未设置 (is required when Provider is Tencent).");
            foreach (var (template, _) in t.Templates.Where(p => string.IsNullOrWhiteSpace(p.Value)))
            {
                failures.Add($"{S}:Tencent:Templates:{template} 没有模板 ID (has no template id).");
            }
        }

        var l = options.Limits;
        Require(l.PerNumberLimit is >= 1 and <= 10_000, $"{S}:Limits:PerNumberLimit 应在 1 到 10000 之间 (must be 1 to 10000).");
        Require(l.PerNumberWindow > TimeSpan.Zero && l.PerNumberWindow <= TimeSpan.FromDays(31), $"{S}:Limits:PerNumberWindow 应在 0 到 31 天之间 (must be positive, at most 31 days).");
        foreach (var (setting, value) in new[] { ("MinuteLimitRetryAfter", l.MinuteLimitRetryAfter), ("HourLimitRetryAfter", l.HourLimitRetryAfter), ("TransientRetryAfter", l.TransientRetryAfter) })
        {
            Require(value >= TimeSpan.FromSeconds(1) && value <= TimeSpan.FromDays(2), $"{S}:Limits:{setting} 应在 1 秒到 2 天之间 (must be 1 s to 2 days).");
        }

        Require(options.RequestTimeout >= TimeSpan.FromSeconds(1) && options.RequestTimeout <= TimeSpan.FromMinutes(5), $"{S}:RequestTimeout 应在 1 秒到 5 分钟之间 (must be 1 s to 5 min).");
        var c = options.Callback;
        Require(string.IsNullOrEmpty(c.Secret) || c.Secret.Length >= 24, $"{S}:Callback:Secret 至少 24 个字符 (must be at least 24 characters, or empty to switch the callbacks off).");
        Require(string.IsNullOrEmpty(c.Secret) || c.Secret.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_'), $"{S}:Callback:Secret 只能包含字母、数字、- 和 _ (may contain only letters, digits, '-' and '_', as it sits in a URL path).");
        Require(c.MaxBodyBytes is >= 1024 and <= 16 * 1024 * 1024, $"{S}:Callback:MaxBodyBytes 应在 1 KiB 到 16 MiB 之间 (must be 1 KiB to 16 MiB).");
        Require(c.MaxItems is >= 1 and <= 100_000, $"{S}:Callback:MaxItems 应在 1 到 100000 之间 (must be 1 to 100000).");
        Require(options.Replies.MatchWindow > TimeSpan.Zero && options.Replies.MatchWindow <= TimeSpan.FromDays(90), $"{S}:Replies:MatchWindow 应在 0 到 90 天之间 (must be positive, at most 90 days).");
        Require(options.Replies.MaxCommentLength is >= 10 and <= 2000, $"{S}:Replies:MaxCommentLength 应在 10 到 2000 之间 (must be 10 to 2000).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
