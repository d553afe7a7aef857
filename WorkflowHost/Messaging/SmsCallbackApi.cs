using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Messaging.Sms;
using ComplaintWorkflows.WorkflowHost.Complaints;
using ComplaintWorkflows.WorkflowHost.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.WorkflowHost.Messaging;

/// <summary>Alibaba's expected answer to a pushed batch.</summary>
public sealed record AliyunCallbackAnswer(int Code, string Msg);

/// <summary>Tencent's expected answer to a pushed reply.</summary>
public sealed record TencentCallbackAnswer(int Result, string Errmsg);

/// <summary>A stored SMS reply as staff see it.</summary>
public sealed record SmsReplyView(long Id, string Provider, string PhoneNumber, string Content, DateTimeOffset? SendTime, DateTimeOffset ReceivedAt, SmsReplyStatus Status, string? ComplaintId, int? Score, string? Comment);

public sealed record SmsReplyPage(int Total, int Page, int PageSize, IReadOnlyList<SmsReplyView> Items);

/// <summary>
/// The provider's callbacks (anonymous: the provider calls them; the secret in the path is the protection) and the
/// staff list of replies:
/// <list type="bullet">
/// <item><c>POST /api/sms/aliyun/{secret}/sms-up</c>: Alibaba's SmsUp batch push (JSON array of replies);</item>
/// <item><c>POST /api/sms/aliyun/{secret}/sms-report</c>: Alibaba's SmsReport batch push (JSON array of receipts);</item>
/// <item><c>POST /api/sms/tencent/{secret}/reply</c>: Tencent's reply callback (one JSON object, or an array);</item>
/// <item><c>GET /api/sms/replies</c>: replies kept for staff (desk officers, administrators).</item>
/// </list>
/// </summary>
public static partial class SmsCallbackApi
{
    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);
    private static readonly JsonDocumentOptions JsonLimits = new() { MaxDepth = 8 };

    public static IEndpointRouteBuilder MapSmsCallbacks(this IEndpointRouteBuilder endpoints)
    {
        var sms = endpoints.MapGroup("/api/sms").WithTags("SMS");
        sms.MapPost("/aliyun/{secret}/sms-up", AliyunSmsUpAsync)
            .AllowAnonymous()
            .RequireRateLimiting(Security.RateLimits.SmsCallbacks)
            .WithName("AliyunSmsUp")
            .WithSummary("Alibaba Cloud SmsUp (consumers' replies), HTTP batch push: a JSON array; answers {\"code\":0,\"msg\":\"接收成功\"}. The secret is Workflows:Sms:Callback:Secret.");
        sms.MapPost("/aliyun/{secret}/sms-report", AliyunSmsReportAsync)
            .AllowAnonymous()
            .RequireRateLimiting(Security.RateLimits.SmsCallbacks)
            .WithName("AliyunSmsReport")
            .WithSummary("Alibaba Cloud SmsReport (delivery receipts), HTTP batch push: a JSON array; answers {\"code\":0,\"msg\":\"接收成功\"}.");
        sms.MapPost("/tencent/{secret}/reply", TencentReplyAsync)
            .AllowAnonymous()
            .RequireRateLimiting(Security.RateLimits.SmsCallbacks)
            .WithName("TencentSmsReply")
            .WithSummary("Tencent Cloud SMS reply callback: a JSON object (or array); answers {\"result\":0,\"errmsg\":\"OK\"}.");
        sms.MapGet("/replies", ListRepliesAsync)
            .WithName("ListSmsReplies")
            .WithSummary("Consumers' SMS replies (filter by status: Unreadable, Unmatched, SurveyClosed, Answered, Received), newest first; desk officers and administrators.");
        return endpoints;
    }

    private static Task<Results<Ok<AliyunCallbackAnswer>, ProblemHttpResult>> AliyunSmsUpAsync(
        string secret, HttpContext http, SmsReplyProcessor processor, IOptions<SmsOptions> options, ILoggerFactory loggers, CancellationToken cancellationToken)
        => ReceivePushAsync(secret, http, options.Value, loggers, "SmsUp", allowObject: false, new AliyunCallbackAnswer(0, "接收成功"), (item, ct) =>
        {
            var phone = Text(item, "phone_number") ?? "";
            var content = Text(item, "content") ?? "";
            var sendTime = Text(item, "send_time");
            var id = Text(item, "sequence_id") is { Length: > 0 } sequence ? "seq:" + sequence : "hash:" + Hash(phone, sendTime, content);
            return processor.ProcessAsync(new InboundSmsReply(AliyunSmsSender.Name, id, phone, content, ChinaTime(sendTime), Text(item, "dest_code"), Text(item, "sign_name")), ct);
        }, cancellationToken);

    private static Task<Results<Ok<AliyunCallbackAnswer>, ProblemHttpResult>> AliyunSmsReportAsync(
        string secret, HttpContext http, SmsReplyProcessor processor, IOptions<SmsOptions> options, ILoggerFactory loggers, CancellationToken cancellationToken)
        => ReceivePushAsync(secret, http, options.Value, loggers, "SmsReport", allowObject: false, new AliyunCallbackAnswer(0, "接收成功"), (item, ct) =>
        {
            var phone = Text(item, "phone_number") ?? "";
            var outId = Text(item, "out_id");
            var bizId = Text(item, "biz_id") is { Length: > 0 } b ? b : "out:" + (outId ?? Hash(phone, Text(item, "send_time"), Text(item, "report_time")));
            var success = item.TryGetProperty("success", out var s) && (s.ValueKind == JsonValueKind.True || (s.ValueKind == JsonValueKind.String && bool.TryParse(s.GetString(), out var parsed) && parsed));
            return processor.StoreReceiptAsync(new InboundSmsReceipt(AliyunSmsSender.Name, bizId, phone, outId, success, Text(item, "err_code"), Text(item, "err_msg"),
                ChinaTime(Text(item, "send_time")), ChinaTime(Text(item, "report_time"))), ct);
        }, cancellationToken);

    private static Task<Results<Ok<TencentCallbackAnswer>, ProblemHttpResult>> TencentReplyAsync(
        string secret, HttpContext http, SmsReplyProcessor processor, IOptions<SmsOptions> options, ILoggerFactory loggers, CancellationToken cancellationToken)
        => ReceivePushAsync(secret, http, options.Value, loggers, "Tencent reply", allowObject: true, new TencentCallbackAnswer(0, "OK"), (item, ct) =>
        {
            var mobile = Text(item, "mobile") ?? "";
            var nation = Text(item, "nationcode");
            var phone = nation is null or "86" ? mobile : nation + mobile;
            var text = Text(item, "text") ?? "";
            var time = Text(item, "time");
            DateTimeOffset? sent = long.TryParse(time, NumberStyles.Integer, CultureInfo.InvariantCulture, out var unix) && unix is > 0 and < 32_503_680_000 ? DateTimeOffset.FromUnixTimeSeconds(unix) : null;
            return processor.ProcessAsync(new InboundSmsReply(TencentSmsSender.Name, "hash:" + Hash(phone, time, text), phone, text, sent, Text(item, "extend"), Text(item, "sign")), ct);
        }, cancellationToken);

    /// <summary>
    /// One pushed batch: reads and checks it (<see cref="ReadArrayAsync"/>), hands each item on in order and answers the
    /// provider's success body; a failure while handing on is logged and answered 500, so the provider pushes again.
    /// </summary>
    private static async Task<Results<Ok<TAnswer>, ProblemHttpResult>> ReceivePushAsync<TAnswer>(
        string secret, HttpContext http, SmsOptions options, ILoggerFactory loggers, string callback, bool allowObject, TAnswer answer,
        Func<JsonElement, CancellationToken, Task> handle, CancellationToken cancellationToken)
    {
        var (items, problem) = await ReadArrayAsync(secret, http, options, cancellationToken, allowObject).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        try
        {
            foreach (var item in items!)
            {
                await handle(item, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(loggers.CreateLogger(typeof(SmsCallbackApi)), callback, e);
            return ProcessingFailed();
        }

        return TypedResults.Ok(answer);
    }

    private static async Task<Results<Ok<SmsReplyPage>, ValidationProblem, ProblemHttpResult>> ListRepliesAsync(
        HttpContext http, IDbContextFactory<DomainDbContext> contexts, string? status, int? page, int? pageSize, CancellationToken cancellationToken)
    {
        if (StaffUser.From(http.User) is not { } user)
        {
            return Problems.Unauthenticated();
        }

        if (!user.Is(RoleNames.DeskOfficer) && !user.Is(RoleNames.Administrator))
        {
            return Problems.Forbidden("只有受理员和管理员可以查看短信回复 (Only desk officers and administrators see SMS replies).");
        }

        SmsReplyStatus? filter = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (!Enum.TryParse<SmsReplyStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = [$"未知状态 (unknown status) '{status}': one of {string.Join(", ", Enum.GetNames<SmsReplyStatus>())}."] });
            }

            filter = parsed;
        }

        var size = Math.Clamp(pageSize ?? 50, 1, 200);
        var number = Math.Max(page ?? 1, 1);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = db.Set<SmsReply>().AsNoTracking();
        if (filter is { } f)
        {
            query = query.Where(r => r.Status == f);
        }

        var total = await query.CountAsync(cancellationToken).ConfigureAwait(false);
        var rows = await query.OrderByDescending(r => r.Id).Skip((number - 1) * size).Take(size).ToListAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new SmsReplyPage(total, number, size, [.. rows.Select(r => new SmsReplyView(r.Id, r.Provider, r.PhoneNumber, r.Content, r.SendTime, r.ReceivedAt, r.Status, r.ComplaintId, r.Score, r.Comment))]));
    }

    /// <summary>Checks the secret, the size and the JSON; the items of the array (or the one object, where allowed).</summary>
    private static async Task<(List<JsonElement>? Items, ProblemHttpResult? Problem)> ReadArrayAsync(string secret, HttpContext http, SmsOptions options, CancellationToken cancellationToken, bool allowObject = false)
    {
        if (!SecretMatches(secret, options.Callback.Secret))
        {
            return (null, Problems.NotFoundProblem("未知的回调地址 (No such callback address)."));
        }

        var limit = options.Callback.MaxBodyBytes;
        if (http.Request.ContentLength is { } length && length > limit)
        {
            return (null, TooLarge(limit));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return (null, TooLarge(limit));
            }

            buffer.Write(chunk, 0, read);
        }

        // JSON text is UTF-8 (RFC 8259); the parser does not check the bytes inside strings, and reading such a string
        // later would throw and make the provider push the same bytes again and again.
        if (!System.Text.Unicode.Utf8.IsValid(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)))
        {
            return (null, BadBody("请求体不是有效的 UTF-8 (the body is not valid UTF-8 text)."));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), JsonLimits);
        }
        catch (JsonException e)
        {
            return (null, BadBody($"请求体不是有效的 JSON (the body is not valid JSON): line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {e.Message}"));
        }

        using (document)
        {
            var root = document.RootElement;
            List<JsonElement> items;
            if (root.ValueKind == JsonValueKind.Array)
            {
                items = [.. root.EnumerateArray().Select(e => e.Clone())];
            }
            else if (allowObject && root.ValueKind == JsonValueKind.Object)
            {
                items = [root.Clone()];
            }
            else
            {
                return (null, BadBody($"请求体应为 JSON 数组 (the body must be a JSON array{(allowObject ? " or object" : "")} of pushed items), got {root.ValueKind}."));
            }

            if (items.Count > options.Callback.MaxItems)
            {
                return (null, BadBody($"一次推送最多 {options.Callback.MaxItems} 条 (at most {options.Callback.MaxItems} items per push; {SmsOptions.Section}:Callback:MaxItems), got {items.Count}."));
            }

            for (var i = 0; i < items.Count; i++)
            {
                if (items[i].ValueKind != JsonValueKind.Object)
                {
                    return (null, BadBody($"第 {i + 1} 项不是 JSON 对象 (item [{i}] is a {items[i].ValueKind}, not an object)."));
                }
            }

            return (items, null);
        }
    }

    /// <summary>Constant-time comparison of the secret in the URL with the configured one (no secret configured: never).</summary>
    internal static bool SecretMatches(string? provided, string? configured)
    {
        if (string.IsNullOrEmpty(configured) || provided is null)
        {
            return false;
        }

        // Hashing first gives equal lengths, so the comparison's time does not depend on the secret's length or prefix.
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(provided)), SHA256.HashData(Encoding.UTF8.GetBytes(configured)));
    }

    /// <summary>A property as text, whether sent as a string or a number.</summary>
    private static string? Text(JsonElement item, string name)
        => item.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;

    /// <summary>Alibaba's times are Beijing time, <c>yyyy-MM-dd HH:mm:ss</c>.</summary>
    private static DateTimeOffset? ChinaTime(string? text)
        => DateTime.TryParseExact(text, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? new DateTimeOffset(local, ChinaOffset)
            : null;

    private static string Hash(params string?[] parts)
        => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', parts.Select(p => p ?? ""))))).Substring(0, 40);

    private static ProblemHttpResult TooLarge(int limit)
        => TypedResults.Problem(title: "请求体过大 (Body too large)", detail: $"The body is larger than {limit} bytes ({SmsOptions.Section}:Callback:MaxBodyBytes).",
            statusCode: StatusCodes.Status413PayloadTooLarge, extensions: new Dictionary<string, object?> { ["code"] = "body-too-large" });

    private static ProblemHttpResult BadBody(string detail)
        => TypedResults.Problem(title: "回调内容格式错误 (Malformed callback body)", detail: detail, statusCode: StatusCodes.Status400BadRequest,
            extensions: new Dictionary<string, object?> { ["code"] = "malformed-body" });

    private static ProblemHttpResult ProcessingFailed()
        => TypedResults.Problem(title: "处理失败，请重试 (Processing failed, push again)", detail: "The pushed items could not all be stored; items already stored are not processed twice.",
            statusCode: StatusCodes.Status500InternalServerError, extensions: new Dictionary<string, object?> { ["code"] = "processing-failed" });

    [LoggerMessage(Level = LogLevel.Error, Message = "Processing an SMS {Callback} push failed; the provider will push it again")]
    private static partial void LogFailed(ILogger logger, string callback, Exception exception);
}
