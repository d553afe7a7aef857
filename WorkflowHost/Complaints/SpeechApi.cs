using ComplaintWorkflows.Activities.Attachments;
using ComplaintWorkflows.Activities.Speech;
using ComplaintWorkflows.WorkflowHost.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.WorkflowHost.Complaints;

/// <summary>What the pages ask before showing the record button.</summary>
public sealed record SpeechStatus(bool Configured, string Provider, string? Message, IReadOnlyList<string> Types, long MaxBytes, double MaxDurationSeconds, double ShortSentenceSeconds);

/// <summary>A recording stored and transcribed: the text pre-fills the complaint's facts; the id goes with the complaint (voiceRecordingId).</summary>
public sealed record SpeechAnswer(string RecordingId, string Transcript, string Method, double? DurationSeconds);

/// <summary>
/// Voice intake (语音转文本): a desk officer or a consumer uploads a recording (the body, Content-Type audio/wav, audio/ogg
/// or audio/webm); it is checked (type by content, size and length against <see cref="SpeechOptions"/>), stored as a pending
/// attachment and transcribed by the configured <see cref="ISpeechRecognizer"/>. Filing the complaint with
/// <c>voiceRecordingId</c> attaches it. Limited per user (signed in) or per address (anonymous). The transcript is never logged.
/// </summary>
public static partial class SpeechApi
{
    private const string FileLinkPurpose = "ComplaintWorkflows.Speech.FileLink";

    public static IEndpointRouteBuilder MapSpeechApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/public/speech").WithTags("Speech");
        var limit = endpoints.ServiceProvider.GetRequiredService<IOptions<SpeechOptions>>().Value.MaxRecordingBytes + 1024;
        api.MapGet("", GetStatus)
            .AllowAnonymous()
            .WithName("GetSpeechStatus")
            .WithSummary("Whether voice intake is configured, and the accepted recording types, size and length.");
        api.MapPost("/recordings", TranscribeAsync)
            .AllowAnonymous()
            .RequireRateLimiting(RateLimits.Speech)
            .WithMetadata(new RequestSizeLimitAttribute(limit))
            .WithName("TranscribeRecording")
            .WithSummary("Stores a recording (body audio/wav, audio/ogg or audio/webm) as a pending attachment and answers its transcript.");
        api.MapGet("/recordings/{id}", DownloadForProviderAsync)
            .AllowAnonymous()
            .WithName("DownloadRecordingForProvider")
            .WithSummary("The recording for the speech provider's file transcription, by a signed link that expires.");
        return endpoints;
    }

    private static Ok<SpeechStatus> GetStatus(ISpeechRecognizer recognizer, IOptions<SpeechOptions> options)
    {
        var o = options.Value;
        return TypedResults.Ok(new SpeechStatus(recognizer.IsConfigured, recognizer.Provider.ToString(), recognizer.IsConfigured ? null : "未配置语音识别服务",
            RecordingFormats.MediaTypes, o.MaxRecordingBytes, o.MaxDuration.TotalSeconds, o.ShortSentenceMaxDuration.TotalSeconds));
    }

    private static async Task<Results<Created<SpeechAnswer>, ProblemHttpResult>> TranscribeAsync(
        HttpRequest request, ISpeechRecognizer recognizer, AttachmentService attachments, IOptions<SpeechOptions> options, IDataProtectionProvider protection,
        TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var logger = loggers.CreateLogger(typeof(SpeechApi).FullName!);
        if (RecordingFormats.KindOfContentType(request.ContentType) is not { } declared)
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, "录音格式不被接受 (Recording type not accepted)",
                $"Content-Type “{request.ContentType}” 不是可接受的录音格式，可上传：{string.Join("、", RecordingFormats.MediaTypes)} (accepted: {string.Join(", ", RecordingFormats.MediaTypes)}).", "recording-type");
        }

        // Bad input is named before the missing provider: a request that could never be accepted says why.
        if (!recognizer.IsConfigured)
        {
            return Problem(StatusCodes.Status503ServiceUnavailable, "未配置语音识别服务 (No speech-recognition provider)", $"未配置语音识别服务，请手工填写投诉内容 (set {SpeechOptions.Section}:Provider).", "speech-not-configured");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > o.MaxRecordingBytes)
            {
                return Problem(StatusCodes.Status413PayloadTooLarge, "录音过大 (Recording too large)", $"录音超过 {o.MaxRecordingBytes / (1024.0 * 1024):0.#} MB 的上限 (larger than {SpeechOptions.Section}:MaxRecordingBytes).", "recording-too-large");
            }

            buffer.Write(chunk, 0, read);
        }

        var bytes = buffer.ToArray();
        var format = RecordingFormats.Inspect(bytes);
        if (format is null || format.Kind != declared)
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, "录音格式不被接受 (Recording type not accepted)",
                $"录音内容与 Content-Type “{request.ContentType}” 不符或无法读取 (the content is not a readable {RecordingFormats.TypeOf(declared).MediaType} recording).", "recording-type");
        }

        if (format.Duration is { } length && length > o.MaxDuration)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, "录音过长 (Recording too long)", $"录音长 {length.TotalSeconds:0} 秒，超过 {o.MaxDuration.TotalSeconds:0} 秒的上限 (longer than {SpeechOptions.Section}:MaxDuration).", "recording-too-long");
        }

        var user = StaffUser.From(request.HttpContext.User);
        var now = time.GetUtcNow();
        await attachments.DeleteExpiredRecordingsAsync(now - o.PendingRecordingLifetime, cancellationToken).ConfigureAwait(false);
        AttachmentInfo stored;
        try
        {
            var name = "录音-" + now.ToOffset(TimeSpan.FromHours(8)).ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture) + format.AttachmentType.Extensions[0];
            stored = await attachments.AddPendingRecordingAsync(name, bytes, format.AttachmentType, user?.UserName ?? "consumer", fromConsumer: user is not { IsStaff: true }, cancellationToken).ConfigureAwait(false);
        }
        catch (AttachmentRejectedException e)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, "录音过大 (Recording too large)", e.Message, "recording-too-large");
        }

        Uri? link = null;
        if (o.PublicBaseUrl is { } baseUrl)
        {
            var token = protection.CreateProtector(FileLinkPurpose).ToTimeLimitedDataProtector().Protect(stored.Id, o.TranscriptionTimeout + TimeSpan.FromMinutes(5));
            link = new Uri(baseUrl, $"api/public/speech/recordings/{stored.Id}?token={Uri.EscapeDataString(token)}");
        }

        try
        {
            var transcript = await recognizer.RecognizeAsync(new SpeechAudio(bytes, format) { FileLink = link }, cancellationToken).ConfigureAwait(false);
            LogTranscribed(logger, stored.Id, bytes.Length, format.Duration?.TotalSeconds ?? -1, transcript.Method, transcript.Text.Length);
            return TypedResults.Created($"/api/public/speech/recordings/{stored.Id}", new SpeechAnswer(stored.Id, transcript.Text, transcript.Method.ToString(), format.Duration?.TotalSeconds));
        }
        catch (SpeechRecognitionException e)
        {
            LogFailed(logger, stored.Id, e.Code);
            return TypedResults.Problem(
                title: "语音识别失败 (Speech recognition failed)",
                detail: $"语音识别服务返回错误 {e.Code}：{e.Message} 录音已保存，可手工填写投诉内容。",
                statusCode: StatusCodes.Status502BadGateway,
                extensions: new Dictionary<string, object?> { ["code"] = "speech-provider", ["providerCode"] = e.Code, ["recordingId"] = stored.Id });
        }
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> DownloadForProviderAsync(
        string id, [FromQuery] string? token, AttachmentService attachments, IDataProtectionProvider protection, CancellationToken cancellationToken)
    {
        string? granted = null;
        try
        {
            granted = string.IsNullOrEmpty(token) ? null : protection.CreateProtector(FileLinkPurpose).ToTimeLimitedDataProtector().Unprotect(token);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            granted = null;
        }

        if (granted != id || await attachments.GetRecordingAsync(id, cancellationToken).ConfigureAwait(false) is not { } recording)
        {
            return Problems.NotFoundProblem("录音链接无效或已过期 (The recording link is invalid or has expired).");
        }

        return TypedResults.File(recording.Content, recording.ContentType, recording.FileName);
    }

    private static ProblemHttpResult Problem(int status, string title, string detail, string code)
        => TypedResults.Problem(title: title, detail: detail, statusCode: status, extensions: new Dictionary<string, object?> { ["code"] = code });

    [LoggerMessage(EventId = 7401, Level = LogLevel.Information, Message = "Recording {RecordingId} ({Bytes} bytes, {Seconds:0.0} s) transcribed by {Method}: {Characters} characters")]
    private static partial void LogTranscribed(ILogger logger, string recordingId, int bytes, double seconds, SpeechMethod method, int characters);

    [LoggerMessage(EventId = 7402, Level = LogLevel.Warning, Message = "Recording {RecordingId}: the speech provider answered {ProviderCode}")]
    private static partial void LogFailed(ILogger logger, string recordingId, string providerCode);
}
