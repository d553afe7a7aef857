using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ComplaintWorkflows.Activities.Messaging.Sms;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Speech;

/// <summary>The provider refused or failed a recognition: its status code and message (e.g. 40000001 token invalid).</summary>
public sealed class SpeechRecognitionException : Exception
{
    public SpeechRecognitionException()
    {
    }

    public SpeechRecognitionException(string message)
        : base(message)
    {
    }

    public SpeechRecognitionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SpeechRecognitionException(string code, string message)
        : base(message)
    {
        Code = code;
    }

    public SpeechRecognitionException(string code, string message, Exception innerException)
        : base(message, innerException)
    {
        Code = code;
    }

    public string Code { get; } = "";
}

/// <summary>
/// Alibaba Cloud Intelligent Speech Interaction over plain HTTP: CreateToken (RPC, signed with
/// <see cref="AliyunSignature"/> as the SMS client is), short-sentence recognition (audio POSTed with
/// <c>X-NLS-Token</c>) and file transcription (SubmitTask, then GetTaskResult polled by task id until
/// SUCCESS or an error). The token is asked for again once expired.
/// </summary>
public sealed class AliyunSpeechClient(IHttpClientFactory httpClients, IOptions<SpeechOptions> options, TimeProvider time)
{
    public const string HttpClientName = "speech-aliyun";
    private const int FileTransSuccess = 21050000;
    private const int FileTransRunning = 21050001;
    private const int FileTransQueueing = 21050002;

    private readonly Lock _gate = new();
    private (string Token, DateTimeOffset Expires)? _token;

    /// <summary>Short-sentence recognition of up to 60 s of 16 kHz (or 8 kHz) mono audio: the recognised text.</summary>
    public async Task<string> RecognizeShortAsync(byte[] audio, string format, int sampleRate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audio);
        var o = options.Value.Aliyun;
        var token = await TokenAsync(cancellationToken).ConfigureAwait(false);
        var uri = new Uri(o.ShortSentenceEndpoint + "?appkey=" + PercentEncoding.Encode(Required(o.AppKey, "AppKey")) + "&format=" + PercentEncoding.Encode(format)
            + "&sample_rate=" + sampleRate.ToString(CultureInfo.InvariantCulture) + "&enable_punctuation_prediction=true&enable_inverse_text_normalization=true");
        using var message = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(audio) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        message.Headers.Add("X-NLS-Token", token);
        var body = await SendAsync(message, "asr", cancellationToken).ConfigureAwait(false);
        var status = Text(body, "status");
        if (status != "20000000")
        {
            throw new SpeechRecognitionException(status ?? "", $"一句话识别失败 {status}: {Text(body, "message")} (short-sentence recognition failed).");
        }

        return Text(body, "result") ?? "";
    }

    /// <summary>File transcription of the audio at <paramref name="fileLink"/>: submits the task and polls its result by task id.</summary>
    public async Task<string> TranscribeFileAsync(Uri fileLink, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fileLink);
        var o = options.Value.Aliyun;
        var task = JsonSerializer.Serialize(new Dictionary<string, object> { ["appkey"] = Required(o.AppKey, "AppKey"), ["file_link"] = fileLink.ToString(), ["version"] = "4.0", ["enable_words"] = false });
        var submitted = await RpcAsync(o.FileTranscriptionEndpoint, "SubmitTask", "2018-08-17", "POST", new() { ["Task"] = task }, cancellationToken).ConfigureAwait(false);
        if (Text(submitted, "StatusCode") != FileTransSuccess.ToString(CultureInfo.InvariantCulture) || Text(submitted, "TaskId") is not { Length: > 0 } taskId)
        {
            throw new SpeechRecognitionException(Text(submitted, "StatusCode") ?? "", $"录音文件识别任务提交失败 {Text(submitted, "StatusText")} (file transcription not accepted).");
        }

        var deadline = time.GetUtcNow() + options.Value.TranscriptionTimeout;
        while (true)
        {
            var result = await RpcAsync(o.FileTranscriptionEndpoint, "GetTaskResult", "2018-08-17", "GET", new() { ["TaskId"] = taskId }, cancellationToken).ConfigureAwait(false);
            var code = int.TryParse(Text(result, "StatusCode"), CultureInfo.InvariantCulture, out var c) ? c : 0;
            if (code == FileTransSuccess)
            {
                var text = new StringBuilder();
                if (result.TryGetProperty("Result", out var r) && r.ValueKind == JsonValueKind.Object && r.TryGetProperty("Sentences", out var sentences) && sentences.ValueKind == JsonValueKind.Array)
                {
                    foreach (var s in sentences.EnumerateArray())
                    {
                        text.Append(Text(s, "Text"));
                    }
                }

                return text.ToString();
            }

            if (code is not (FileTransRunning or FileTransQueueing))
            {
                throw new SpeechRecognitionException(code.ToString(CultureInfo.InvariantCulture), $"录音文件识别失败 {Text(result, "StatusText")} (task {taskId}).");
            }

            if (time.GetUtcNow() >= deadline)
            {
                throw new SpeechRecognitionException("Timeout", $"录音文件识别 {options.Value.TranscriptionTimeout} 内未完成 (task {taskId}).");
            }

            await Task.Delay(options.Value.PollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<string> TokenAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_token is { } t && t.Expires > time.GetUtcNow().AddMinutes(1))
            {
                return t.Token;
            }
        }

        var body = await RpcAsync(options.Value.Aliyun.TokenEndpoint, "CreateToken", "2019-02-28", "POST", [], cancellationToken).ConfigureAwait(false);
        if (!body.TryGetProperty("Token", out var token) || Text(token, "Id") is not { Length: > 0 } id)
        {
            throw new SpeechRecognitionException(Text(body, "Code") ?? "", $"获取语音识别 Token 失败: {Text(body, "Message")} (CreateToken failed).");
        }

        var expires = DateTimeOffset.FromUnixTimeSeconds(long.TryParse(Text(token, "ExpireTime"), CultureInfo.InvariantCulture, out var e) ? e : 0);
        lock (_gate)
        {
            _token = (id, expires);
        }

        return id;
    }

    private async Task<JsonElement> RpcAsync(Uri endpoint, string action, string version, string method, Dictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        var o = options.Value.Aliyun;
        var query = AliyunRpc.SignedQuery(method, action, version, o.RegionId, Required(o.AccessKeyId, "AccessKeyId"), Required(o.AccessKeySecret, "AccessKeySecret"), parameters, time.GetUtcNow());
        var uri = new Uri(endpoint, "?" + query);
        using var message = new HttpRequestMessage(new HttpMethod(method), uri);
        return await SendAsync(message, action, cancellationToken).ConfigureAwait(false);
    }

    private async Task<JsonElement> SendAsync(HttpRequestMessage message, string action, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.RequestTimeout);
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(message, timeout.Token).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            try
            {
                using var json = JsonDocument.Parse(text);
                return json.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new SpeechRecognitionException("BadAnswer", $"语音识别 {action} 返回 HTTP {(int)response.StatusCode}，内容不是 JSON (not JSON).", e);
            }
        }
        catch (HttpRequestException e)
        {
            throw new SpeechRecognitionException("Unreachable", $"语音识别服务 {action} 无法连接 ({e.HttpRequestError}).", e);
        }
    }

    private static string Required(string? value, string name)
        => string.IsNullOrEmpty(value) ? throw new InvalidOperationException($"{SpeechOptions.Section}:Aliyun:{name} is not set.") : value;

    private static string? Text(JsonElement element, string name) => AliyunSmsClient.Text(element, name);
}
