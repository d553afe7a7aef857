using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Speech;

/// <summary>How a recording was transcribed.</summary>
public enum SpeechMethod
{
    ShortSentence,
    FileTranscription,
}

/// <summary>A recording to transcribe: its bytes, format and measured length; <see cref="FileLink"/> where the provider may download it.</summary>
public sealed record SpeechAudio(byte[] Content, RecordingFormat Format)
{
    /// <summary>A signed address of the recording the provider can fetch (file transcription), or null.</summary>
    public Uri? FileLink { get; init; }
}

/// <summary>What the provider recognised, and how.</summary>
public sealed record SpeechTranscript(string Text, SpeechMethod Method);

/// <summary>Speech to text behind one interface: the provider is chosen by <c>Workflows:Speech:Provider</c>.</summary>
public interface ISpeechRecognizer
{
    SpeechProvider Provider { get; }

    /// <summary>False for <see cref="SpeechProvider.None"/>: the pages disable the record button and say 未配置语音识别服务.</summary>
    bool IsConfigured { get; }

    /// <summary>The transcript; a provider's refusal or failure is a <see cref="SpeechRecognitionException"/> with its code.</summary>
    Task<SpeechTranscript> RecognizeAsync(SpeechAudio audio, CancellationToken cancellationToken = default);
}

/// <summary>No provider configured: nothing is sent anywhere.</summary>
public sealed class UnconfiguredSpeechRecognizer : ISpeechRecognizer
{
    public const string NotConfiguredCode = "NotConfigured";

    public SpeechProvider Provider => SpeechProvider.None;

    public bool IsConfigured => false;

    public Task<SpeechTranscript> RecognizeAsync(SpeechAudio audio, CancellationToken cancellationToken = default)
        => throw new SpeechRecognitionException(NotConfiguredCode, $"未配置语音识别服务 (no speech-recognition provider: set {SpeechOptions.Section}:Provider).");
}

/// <summary>
/// Alibaba Cloud: recordings up to <see cref="SpeechOptions.ShortSentenceMaxDuration"/> (the documented 60 s) by
/// short-sentence recognition (WAV/PCM at 8 or 16 kHz, or OGG Opus), longer WAV recordings by file transcription of
/// <see cref="SpeechAudio.FileLink"/> (the provider documents single-track WAV and MP3 there), polled by task id.
/// </summary>
public sealed class AliyunSpeechRecognizer(AliyunSpeechClient client, IOptions<SpeechOptions> options) : ISpeechRecognizer
{
    public SpeechProvider Provider => SpeechProvider.Aliyun;

    public bool IsConfigured => true;

    public async Task<SpeechTranscript> RecognizeAsync(SpeechAudio audio, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audio);
        var o = options.Value;
        var format = audio.Format;
        if (format.Kind == RecordingKind.WebM)
        {
            throw new SpeechRecognitionException("UnsupportedFormat", "语音识别服务不接受 WebM 录音，请以 WAV（16 kHz 单声道）或 OGG Opus 上传 (the provider takes WAV or OGG Opus, not WebM).");
        }

        var shortEnough = format.Duration is { } d && d <= o.ShortSentenceMaxDuration;
        if (shortEnough)
        {
            if (format.Kind == RecordingKind.Wav && format.SampleRate is not (8000 or 16000))
            {
                throw new SpeechRecognitionException("UnsupportedSampleRate", $"一句话识别只接受 8000 或 16000 Hz 的录音，此录音为 {format.SampleRate} Hz (short-sentence recognition takes 8 or 16 kHz).");
            }

            var text = await client.RecognizeShortAsync(audio.Content, format.Kind == RecordingKind.Wav ? "wav" : "opus", format.Kind == RecordingKind.Wav ? format.SampleRate : 16000, cancellationToken).ConfigureAwait(false);
            return new SpeechTranscript(text, SpeechMethod.ShortSentence);
        }

        if (format.Kind != RecordingKind.Wav)
        {
            throw new SpeechRecognitionException("UnsupportedFormat", $"超过 {o.ShortSentenceMaxDuration.TotalSeconds:0} 秒的录音只能以 WAV 格式识别 (recordings longer than the short-sentence limit must be WAV).");
        }

        if (audio.FileLink is not { } link)
        {
            throw new SpeechRecognitionException("TooLong", $"录音超过 {o.ShortSentenceMaxDuration.TotalSeconds:0} 秒，录音文件识别需要设置 {SpeechOptions.Section}:PublicBaseUrl (a recording longer than the short-sentence limit needs PublicBaseUrl for file transcription).");
        }

        return new SpeechTranscript(await client.TranscribeFileAsync(link, cancellationToken).ConfigureAwait(false), SpeechMethod.FileTranscription);
    }
}
