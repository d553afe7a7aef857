using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ComplaintWorkflows.SmsEmulator;

/// <summary>A message the emulator accepted (and so "sent").</summary>
public sealed record EmulatedSms(string Provider, string BizId, string PhoneNumber, string SignName, string TemplateCode, string? TemplateParam, string? OutId, DateTimeOffset At);

/// <summary>One call the emulator answered, with the code it answered.</summary>
public sealed record EmulatedCall(string Provider, string Action, string Code, int HttpStatus, string? PhoneNumbers);

/// <summary>
/// The Alibaba Cloud Dysmsapi and Tencent Cloud SMS APIs, emulated on a free loopback port (Kestrel). Every request's
/// signature is recomputed with the secret (<see cref="EmulatorSignatures"/>), its timestamp checked (Alibaba 15
/// minutes, Tencent 5 minutes, against the clock given) and Alibaba's nonce checked unique, answering the
/// providers' gateway errors otherwise. Sends are recorded (<see cref="Accepted"/>); errors can be scripted for the
/// next N sends or per phone number; receipts and replies are pushed in the providers' callback formats
/// (<see cref="SmsCallbacks"/>). Alibaba requests go to <see cref="BaseAddress"/>; Tencent's too (told apart by
/// their <c>X-TC-Action</c> header).
/// </summary>
public sealed partial class SmsProviderEmulator : IAsyncDisposable
{
    public const string AliyunAccessKeyId = "LTAI5tEmulatorKey0001";
    public const string AliyunAccessKeySecret = "EmulatorAliyunSecret0000000001";
    public const string TencentSecretId = "AKIDEmulatorSecretId00000001";
    public const string TencentSecretKey = "EmulatorTencentSecretKey0001";
    public const string TencentSdkAppId = "1400000001";
    public const string SignName = "温州12315";

    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);
    private readonly WebApplication _app;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly HashSet<string> _nonces = new(StringComparer.Ordinal);
    private readonly List<EmulatedSms> _accepted = [];
    private readonly List<EmulatedCall> _calls = [];
    private readonly Queue<(string Code, string? Message, int Status)> _next = new();
    private readonly Dictionary<string, (string Code, string? Message)> _perPhone = new(StringComparer.Ordinal);
    private int _loseAnswers;
    private long _sequence;

    private SmsProviderEmulator(WebApplication app, TimeProvider time)
    {
        _app = app;
        _time = time;
    }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Most messages of one template to one number per rolling 24 h before <c>isv.BUSINESS_LIMIT_CONTROL</c> (day level); null: no limit.</summary>
    public int? PerNumberDailyLimit { get; set; }

    public TimeSpan AliyunTimestampTolerance { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan TencentTimestampTolerance { get; set; } = TimeSpan.FromMinutes(5);

    public IReadOnlyList<EmulatedSms> Accepted
    {
        get
        {
            lock (_gate)
            {
                return [.. _accepted];
            }
        }
    }

    public IReadOnlyList<EmulatedCall> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>Starts the emulator on 127.0.0.1 at a free port; its clock is the one given (the host's fake clock in scenarios).</summary>
    public static async Task<SmsProviderEmulator> StartAsync(TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var emulator = new SmsProviderEmulator(app, time ?? TimeProvider.System);
        app.Run(emulator.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        emulator.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return emulator;
    }

    /// <summary>The next <paramref name="times"/> sends are answered with this error code (HTTP status as given; Alibaba's isv.* come with 200).</summary>
    public void FailNext(string code, int times = 1, string? message = null, int httpStatus = 200)
    {
        lock (_gate)
        {
            for (var i = 0; i < times; i++)
            {
                _next.Enqueue((code, message, httpStatus));
            }
        }
    }

    /// <summary>Every send to this number is answered with this error code until <see cref="ClearScript"/>.</summary>
    public void FailFor(string phoneNumber, string code, string? message = null)
    {
        lock (_gate)
        {
            _perPhone[phoneNumber] = (code, message);
        }
    }

    /// <summary>The next sends are accepted (the message goes out) but the answer is lost: HTTP 503 instead, as a timeout would.</summary>
    public void LoseNextAnswers(int times = 1)
    {
        lock (_gate)
        {
            _loseAnswers += times;
        }
    }

    public void ClearScript()
    {
        lock (_gate)
        {
            _next.Clear();
            _perPhone.Clear();
            _loseAnswers = 0;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private Task HandleAsync(HttpContext http)
        => http.Request.Headers.ContainsKey("X-TC-Action") ? HandleTencentAsync(http) : HandleAliyunAsync(http);

    // ---------------- Alibaba Cloud Dysmsapi ----------------

    private async Task HandleAliyunAsync(HttpContext http)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in http.Request.Query)
        {
            parameters[key] = value.ToString();
        }

        if (http.Request.HasFormContentType)
        {
            foreach (var (key, value) in await http.Request.ReadFormAsync().ConfigureAwait(false))
            {
                parameters[key] = value.ToString();
            }
        }

        var action = parameters.GetValueOrDefault("Action") ?? "";
        var gateway = CheckAliyunGateway(http.Request.Method, parameters);
        if (gateway is { } error)
        {
            await AliyunAnswerAsync(http, action, error.Status, error.Code, error.Message, null, parameters.GetValueOrDefault("PhoneNumbers")).ConfigureAwait(false);
            return;
        }

        switch (action)
        {
            case "SendSms":
                await AliyunSendAsync(http, action, [.. (parameters.GetValueOrDefault("PhoneNumbers") ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)],
                    [parameters.GetValueOrDefault("SignName") ?? ""], parameters.GetValueOrDefault("TemplateCode"), parameters.GetValueOrDefault("TemplateParam"), parameters.GetValueOrDefault("OutId"), batch: false).ConfigureAwait(false);
                return;
            case "SendBatchSms":
                var phones = JsonArray(parameters.GetValueOrDefault("PhoneNumberJson"));
                var signs = JsonArray(parameters.GetValueOrDefault("SignNameJson"));
                if (phones is null || signs is null || phones.Count != signs.Count)
                {
                    await AliyunAnswerAsync(http, action, 200, "isv.INVALID_JSON_PARAM", "JSON参数不合法", null, null).ConfigureAwait(false);
                    return;
                }

                await AliyunSendAsync(http, action, phones, signs, parameters.GetValueOrDefault("TemplateCode"), parameters.GetValueOrDefault("TemplateParamJson"), parameters.GetValueOrDefault("OutId"), batch: true).ConfigureAwait(false);
                return;
            case "QuerySendDetails":
                await AliyunQueryAsync(http, parameters).ConfigureAwait(false);
                return;
            default:
                await AliyunAnswerAsync(http, action, 404, "InvalidAction.NotFound", $"Specified api is not found, please check your url and method. ({action})", null, null).ConfigureAwait(false);
                return;
        }
    }

    private (int Status, string Code, string Message)? CheckAliyunGateway(string method, Dictionary<string, string> p)
    {
        if (!p.TryGetValue("Signature", out var signature) || signature.Length == 0)
        {
            return (400, "MissingSignature", "Signature is mandatory for this action.");
        }

        if (p.GetValueOrDefault("AccessKeyId") != AliyunAccessKeyId)
        {
            return (404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
        }

        if (p.GetValueOrDefault("SignatureMethod") != "HMAC-SHA1" || p.GetValueOrDefault("SignatureVersion") != "1.0")
        {
            return (400, "InvalidSignatureMethod", "Specified signature method or version is not supported.");
        }

        if (!DateTimeOffset.TryParseExact(p.GetValueOrDefault("Timestamp"), "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var timestamp))
        {
            return (400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.");
        }

        if ((_time.GetUtcNow() - timestamp).Duration() > AliyunTimestampTolerance)
        {
            return (400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.");
        }

        if (!p.TryGetValue("SignatureNonce", out var nonce) || nonce.Length == 0)
        {
            return (400, "MissingSignatureNonce", "SignatureNonce is mandatory for this action.");
        }

        var expected = EmulatorSignatures.AliyunV1(method, p, AliyunAccessKeySecret);
        if (!string.Equals(expected, signature, StringComparison.Ordinal))
        {
            return (400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation.");
        }

        lock (_gate)
        {
            if (!_nonces.Add(nonce))
            {
                return (400, "SignatureNonceUsed", "Specified signature nonce was used already.");
            }
        }

        if (p.GetValueOrDefault("Version") != "2017-05-25")
        {
            return (400, "InvalidVersion", "Specified parameter Version is not valid.");
        }

        return null;
    }

    private async Task AliyunSendAsync(HttpContext http, string action, List<string> phones, List<string> signs, string? templateCode, string? templateParam, string? outId, bool batch)
    {
        var joined = string.Join(',', phones);
        (string Code, string? Message, int Status)? scripted = null;
        var lose = false;
        lock (_gate)
        {
            if (_next.Count > 0)
            {
                scripted = _next.Dequeue();
            }
            else if (phones.Select(p => _perPhone.TryGetValue(p, out var f) ? f : default).FirstOrDefault(f => f.Code is not null) is { Code: not null } perPhone)
            {
                scripted = (perPhone.Code, perPhone.Message, 200);
            }
            else if (_loseAnswers > 0)
            {
                _loseAnswers--;
                lose = true;
            }
        }

        if (scripted is { } s)
        {
            await AliyunAnswerAsync(http, action, s.Status, s.Code, s.Message ?? s.Code, null, joined).ConfigureAwait(false);
            return;
        }

        string? problem = phones.Count == 0 || phones.Count > (batch ? 100 : 1000) ? "isv.MOBILE_COUNT_OVER_LIMIT"
            : phones.Any(p => !MobilePattern().IsMatch(p)) ? "isv.MOBILE_NUMBER_ILLEGAL"
            : signs.Any(n => n != SignName) ? "isv.SMS_SIGNATURE_ILLEGAL"
            : templateCode is null || !templateCode.StartsWith("SMS_", StringComparison.Ordinal) ? "isv.SMS_TEMPLATE_ILLEGAL"
            : templateParam is not null && !IsJson(templateParam, batch) ? "isv.INVALID_JSON_PARAM"
            : null;
        if (problem is not null)
        {
            await AliyunAnswerAsync(http, action, 200, problem, problem, null, joined).ConfigureAwait(false);
            return;
        }

        var now = _time.GetUtcNow();
        string bizId;
        lock (_gate)
        {
            if (PerNumberDailyLimit is { } limit && phones.Any(p => _accepted.Count(a => a.PhoneNumber == p && a.TemplateCode == templateCode && a.At > now.AddHours(-24)) >= limit))
            {
                bizId = "";
            }
            else
            {
                bizId = $"{++_sequence:D9}^0";
                for (var i = 0; i < phones.Count; i++)
                {
                    _accepted.Add(new EmulatedSms("Aliyun", bizId, phones[i], signs[batch ? i : 0], templateCode!, templateParam, outId, now));
                }
            }
        }

        if (bizId.Length == 0)
        {
            await AliyunAnswerAsync(http, action, 200, "isv.BUSINESS_LIMIT_CONTROL", $"触发天级流控Permits:{PerNumberDailyLimit}", null, joined).ConfigureAwait(false);
            return;
        }

        if (lose)
        {
            await AliyunAnswerAsync(http, action, 503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server.", null, joined).ConfigureAwait(false);
            return;
        }

        await AliyunAnswerAsync(http, action, 200, "OK", "OK", bizId, joined).ConfigureAwait(false);
    }

    private async Task AliyunQueryAsync(HttpContext http, Dictionary<string, string> p)
    {
        var phone = p.GetValueOrDefault("PhoneNumber");
        if (string.IsNullOrEmpty(phone) || !DateOnly.TryParseExact(p.GetValueOrDefault("SendDate"), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            await AliyunAnswerAsync(http, "QuerySendDetails", 200, "isv.INVALID_PARAMETERS", "参数异常", null, phone).ConfigureAwait(false);
            return;
        }

        var pageSize = int.TryParse(p.GetValueOrDefault("PageSize"), CultureInfo.InvariantCulture, out var size) ? Math.Clamp(size, 1, 50) : 10;
        var page = int.TryParse(p.GetValueOrDefault("CurrentPage"), CultureInfo.InvariantCulture, out var current) ? Math.Max(current, 1) : 1;
        List<EmulatedSms> matches;
        lock (_gate)
        {
            matches = [.. _accepted.Where(a => a.PhoneNumber == phone && DateOnly.FromDateTime(a.At.ToOffset(ChinaOffset).DateTime) == day
                && (!p.TryGetValue("BizId", out var biz) || biz == a.BizId))];
            _calls.Add(new EmulatedCall("Aliyun", "QuerySendDetails", "OK", 200, phone));
        }

        var details = new JsonArray([.. matches.Skip((page - 1) * pageSize).Take(pageSize).Select(a => (JsonNode)new JsonObject
        {
            ["PhoneNum"] = a.PhoneNumber,
            ["SendStatus"] = 3,
            ["ErrCode"] = "DELIVERED",
            ["TemplateCode"] = a.TemplateCode,
            ["Content"] = $"【{a.SignName}】{a.TemplateParam}",
            ["SendDate"] = ChinaText(a.At),
            ["ReceiveDate"] = ChinaText(a.At.AddSeconds(5)),
            ["OutId"] = a.OutId,
        })]);
        var body = new JsonObject
        {
            ["Code"] = "OK",
            ["Message"] = "OK",
            ["RequestId"] = Guid.NewGuid().ToString().ToUpperInvariant(),
            ["TotalCount"] = matches.Count.ToString(CultureInfo.InvariantCulture),
            ["SmsSendDetailDTOs"] = new JsonObject { ["SmsSendDetailDTO"] = details },
        };
        await WriteJsonAsync(http, 200, body).ConfigureAwait(false);
    }

    private async Task AliyunAnswerAsync(HttpContext http, string action, int status, string code, string? message, string? bizId, string? phones)
    {
        lock (_gate)
        {
            _calls.Add(new EmulatedCall("Aliyun", action, code, status, phones));
        }

        var body = new JsonObject { ["RequestId"] = Guid.NewGuid().ToString().ToUpperInvariant(), ["Code"] = code, ["Message"] = message ?? code };
        if (bizId is not null)
        {
            body["BizId"] = bizId;
        }

        await WriteJsonAsync(http, status, body).ConfigureAwait(false);
    }

    // ---------------- Tencent Cloud SMS ----------------

    private async Task HandleTencentAsync(HttpContext http)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer).ConfigureAwait(false);
        var payload = buffer.ToArray();
        var action = http.Request.Headers["X-TC-Action"].ToString();
        var auth = TencentAuthorization().Match(http.Request.Headers.Authorization.ToString());
        string? error = null;
        if (!auth.Success)
        {
            error = "AuthFailure.InvalidAuthorization";
        }
        else if (auth.Groups["id"].Value != TencentSecretId)
        {
            error = "AuthFailure.SecretIdNotFound";
        }
        else if (!long.TryParse(http.Request.Headers["X-TC-Timestamp"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp)
            || (_time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(timestamp)).Duration() > TencentTimestampTolerance)
        {
            error = "AuthFailure.SignatureExpire";
        }
        else
        {
            var names = auth.Groups["headers"].Value.Split(';');
            var date = DateTimeOffset.FromUnixTimeSeconds(timestamp).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (!names.Contains("content-type") || !names.Contains("host") || auth.Groups["date"].Value != date || auth.Groups["service"].Value != "sms")
            {
                error = "AuthFailure.SignatureFailure";
            }
            else
            {
                var headers = names.Select(n => (n, n == "host" ? http.Request.Host.Value ?? "" : n == "content-type" ? http.Request.ContentType ?? "" : http.Request.Headers[n].ToString())).ToList();
                if (EmulatorSignatures.TencentTc3(TencentSecretKey, "sms", timestamp, headers, payload) != auth.Groups["signature"].Value)
                {
                    error = "AuthFailure.SignatureFailure";
                }
            }
        }

        if (error is null && http.Request.Headers["X-TC-Version"].ToString() != "2021-01-11")
        {
            error = "InvalidParameterValue.Version";
        }

        if (error is null && action != "SendSms")
        {
            error = "InvalidAction";
        }

        if (error is not null)
        {
            await TencentErrorAsync(http, action, error, error).ConfigureAwait(false);
            return;
        }

        JsonObject? body;
        try
        {
            body = JsonNode.Parse(payload) as JsonObject;
        }
        catch (JsonException)
        {
            body = null;
        }

        var phones = body?["PhoneNumberSet"] is JsonArray set ? set.Select(n => n?.GetValue<string>() ?? "").ToList() : null;
        if (body is null || phones is null || phones.Count is 0 or > 200)
        {
            await TencentErrorAsync(http, action, "InvalidParameter", "PhoneNumberSet is required (1 to 200 numbers).").ConfigureAwait(false);
            return;
        }

        if (body["SmsSdkAppId"]?.GetValue<string>() != TencentSdkAppId)
        {
            await TencentErrorAsync(http, action, "FailedOperation.SmsSdkAppIdVerifyFail", "SmsSdkAppId verification failed.").ConfigureAwait(false);
            return;
        }

        var signName = body["SignName"]?.GetValue<string>();
        var templateId = body["TemplateId"]?.GetValue<string>() ?? "";
        var session = body["SessionContext"]?.GetValue<string>();
        var parameters = body["TemplateParamSet"]?.ToJsonString();
        if (signName != SignName)
        {
            await TencentErrorAsync(http, action, "FailedOperation.SignatureIncorrectOrUnapproved", "Signature is not approved.").ConfigureAwait(false);
            return;
        }

        if (templateId.Length == 0 || !templateId.All(char.IsAsciiDigit))
        {
            await TencentErrorAsync(http, action, "FailedOperation.TemplateIncorrectOrUnapproved", "Template is not approved.").ConfigureAwait(false);
            return;
        }

        (string Code, string? Message, int Status)? scripted = null;
        var lose = false;
        lock (_gate)
        {
            if (_next.Count > 0)
            {
                scripted = _next.Dequeue();
            }
            else if (_loseAnswers > 0)
            {
                _loseAnswers--;
                lose = true;
            }
        }

        if (scripted is { } s && !PerNumberCode(s.Code))
        {
            if (s.Status >= 500)
            {
                lock (_gate)
                {
                    _calls.Add(new EmulatedCall("Tencent", action, s.Code, s.Status, string.Join(',', phones)));
                }

                http.Response.StatusCode = s.Status;
                return;
            }

            await TencentErrorAsync(http, action, s.Code, s.Message ?? s.Code).ConfigureAwait(false);
            return;
        }

        var now = _time.GetUtcNow();
        var statuses = new JsonArray();
        foreach (var phone in phones)
        {
            string code;
            lock (_gate)
            {
                var local = phone.StartsWith("+86", StringComparison.Ordinal) ? phone[3..] : phone;
                code = scripted is { } perNumber ? perNumber.Code
                    : _perPhone.TryGetValue(local, out var f) ? f.Code
                    : !phone.StartsWith('+') || !MobilePattern().IsMatch(local) ? "InvalidParameterValue.IncorrectPhoneNumber"
                    : "Ok";
                if (code == "Ok")
                {
                    _accepted.Add(new EmulatedSms("Tencent", $"{++_sequence:D9}:tencent", local, signName!, templateId, parameters, session, now));
                }

                _calls.Add(new EmulatedCall("Tencent", action, code, lose ? 503 : 200, phone));
            }

            statuses.Add(new JsonObject
            {
                ["SerialNo"] = code == "Ok" ? $"2028:{_sequence}" : "",
                ["PhoneNumber"] = phone,
                ["Fee"] = code == "Ok" ? 1 : 0,
                ["SessionContext"] = session ?? "",
                ["Code"] = code,
                ["Message"] = code == "Ok" ? "send success" : code,
                ["IsoCode"] = "CN",
            });
        }

        if (lose)
        {
            http.Response.StatusCode = 503;
            return;
        }

        await WriteJsonAsync(http, 200, new JsonObject { ["Response"] = new JsonObject { ["SendStatusSet"] = statuses, ["RequestId"] = Guid.NewGuid().ToString() } }).ConfigureAwait(false);
    }

    private async Task TencentErrorAsync(HttpContext http, string action, string code, string message)
    {
        lock (_gate)
        {
            _calls.Add(new EmulatedCall("Tencent", action, code, 200, null));
        }

        await WriteJsonAsync(http, 200, new JsonObject
        {
            ["Response"] = new JsonObject { ["Error"] = new JsonObject { ["Code"] = code, ["Message"] = message }, ["RequestId"] = Guid.NewGuid().ToString() },
        }).ConfigureAwait(false);
    }

    private static bool PerNumberCode(string code)
        => code.StartsWith("LimitExceeded.PhoneNumber", StringComparison.Ordinal) || code is "InvalidParameterValue.IncorrectPhoneNumber" or "FailedOperation.PhoneNumberInBlacklist";

    // ---------------- helpers ----------------

    internal static string ChinaText(DateTimeOffset instant) => instant.ToOffset(ChinaOffset).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static async Task WriteJsonAsync(HttpContext http, int status, JsonNode body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json;charset=utf-8";
        await http.Response.WriteAsync(body.ToJsonString(), Encoding.UTF8).ConfigureAwait(false);
    }

    private static List<string>? JsonArray(string? json)
    {
        try
        {
            return json is null ? null : JsonSerializer.Deserialize<List<string>>(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool IsJson(string text, bool array)
    {
        try
        {
            var node = JsonNode.Parse(text);
            return array ? node is System.Text.Json.Nodes.JsonArray : node is JsonObject;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^1[3-9][0-9]{9}$")]
    private static partial Regex MobilePattern();

    [GeneratedRegex(@"^TC3-HMAC-SHA256 Credential=(?<id>[^/]+)/(?<date>\d{4}-\d{2}-\d{2})/(?<service>[a-z]+)/tc3_request, SignedHeaders=(?<headers>[a-z0-9;-]+), Signature=(?<signature>[0-9a-f]{64})$")]
    private static partial Regex TencentAuthorization();
}
