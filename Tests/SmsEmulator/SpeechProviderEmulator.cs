using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ComplaintWorkflows.SmsEmulator;

/// <summary>
/// Alibaba Cloud's speech APIs on a loopback port: CreateToken and the file-transcription RPCs (signature V1
/// recomputed with <see cref="EmulatorSignatures.AliyunV1"/>, nonce unique), short-sentence recognition (token
/// checked), and a file task that answers RUNNING for <see cref="PollsBeforeDone"/> polls before SUCCESS.
/// </summary>
public sealed class SpeechProviderEmulator : IAsyncDisposable
{
    public const string AccessKeyId = "LTAI5tSpeechEmulator01";
    public const string AccessKeySecret = "EmulatorSpeechSecret000000001";
    public const string AppKey = "EmulatorAppKey01";

    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly HashSet<string> _nonces = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _polls = new(StringComparer.Ordinal);
    private readonly string _token = Guid.NewGuid().ToString("N");

    private SpeechProviderEmulator(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>What short-sentence and file recognition answer.</summary>
    public string Transcript { get; set; } = "我在商场买的电饭煲用了三天就坏了，商家不给退货。";

    public int PollsBeforeDone { get; set; } = 2;

    public int ShortSentenceCalls { get; private set; }

    public int TaskPolls { get; private set; }

    public static async Task<SpeechProviderEmulator> StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var emulator = new SpeechProviderEmulator(app);
        app.Run(emulator.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        emulator.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");
        return emulator;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync().ConfigureAwait(false);

    private async Task HandleAsync(HttpContext http)
    {
        if (http.Request.Path.StartsWithSegments("/stream/v1/asr", StringComparison.Ordinal))
        {
            var token = http.Request.Headers["X-NLS-Token"].ToString();
            if (token != _token)
            {
                await Json(http, 403, new { task_id = "t0", result = "", status = 40000001, message = "Gateway:ACCESS_DENIED:The token is invalid!" }).ConfigureAwait(false);
                return;
            }

            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body).ConfigureAwait(false);
            lock (_gate)
            {
                ShortSentenceCalls++;
            }

            await (body.Length == 0
                ? Json(http, 400, new { task_id = "t1", result = "", status = 40000003, message = "PARAMS_INVALID" })
                : Json(http, 200, new { task_id = "t2", result = Transcript, status = 20000000, message = "SUCCESS" })).ConfigureAwait(false);
            return;
        }

        var parameters = http.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        var expected = EmulatorSignatures.AliyunV1(http.Request.Method, parameters, AccessKeySecret);
        if (!parameters.TryGetValue("Signature", out var signature) || signature != expected || parameters.GetValueOrDefault("AccessKeyId") != AccessKeyId)
        {
            await Json(http, 400, new { Code = "SignatureDoesNotMatch", Message = "Specified signature is not matched with our calculation." }).ConfigureAwait(false);
            return;
        }

        lock (_gate)
        {
            if (!_nonces.Add(parameters.GetValueOrDefault("SignatureNonce") ?? ""))
            {
                signature = null;
            }
        }

        if (signature is null)
        {
            await Json(http, 400, new { Code = "SignatureNonceUsed", Message = "The request signature nonce has been used." }).ConfigureAwait(false);
            return;
        }

        switch (parameters.GetValueOrDefault("Action"))
        {
            case "CreateToken":
                await Json(http, 200, new { Token = new { Id = _token, ExpireTime = TimeProvider.System.GetUtcNow().AddHours(24).ToUnixTimeSeconds(), UserId = "1" }, RequestId = "r1" }).ConfigureAwait(false);
                break;
            case "SubmitTask":
                using (var task = JsonDocument.Parse(parameters.GetValueOrDefault("Task") ?? "{}"))
                {
                    var ok = task.RootElement.TryGetProperty("appkey", out var key) && key.GetString() == AppKey && task.RootElement.TryGetProperty("file_link", out _);
                    var id = Guid.NewGuid().ToString("N");
                    lock (_gate)
                    {
                        _polls[id] = 0;
                    }

                    await (ok
                        ? Json(http, 200, new { TaskId = id, RequestId = "r2", StatusCode = 21050000, StatusText = "SUCCESS" })
                        : Json(http, 200, new { RequestId = "r2", StatusCode = 41050002, StatusText = "APPKEY_NOT_EXIST" })).ConfigureAwait(false);
                }

                break;
            case "GetTaskResult":
                var taskId = parameters.GetValueOrDefault("TaskId") ?? "";
                int polled;
                lock (_gate)
                {
                    TaskPolls++;
                    polled = _polls.TryGetValue(taskId, out var n) ? _polls[taskId] = n + 1 : -1;
                }

                await (polled < 0
                    ? Json(http, 200, new { TaskId = taskId, StatusCode = 41050003, StatusText = "TASK_NOT_EXIST" })
                    : polled <= PollsBeforeDone
                        ? Json(http, 200, new { TaskId = taskId, StatusCode = 21050001, StatusText = "RUNNING" })
                        : Json(http, 200, new { TaskId = taskId, StatusCode = 21050000, StatusText = "SUCCESS", Result = new { Sentences = new[] { new { Text = Transcript, BeginTime = 0, EndTime = 5000, ChannelId = 0 } } } })).ConfigureAwait(false);
                break;
            default:
                await Json(http, 404, new { Code = "InvalidAction.NotFound", Message = "Specified api is not found." }).ConfigureAwait(false);
                break;
        }
    }

    private static Task Json(HttpContext http, int status, object body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(JsonSerializer.Serialize(body), CancellationToken.None);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"speech emulator at {BaseAddress}");
}
