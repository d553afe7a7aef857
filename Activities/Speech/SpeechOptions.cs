using System.ComponentModel.DataAnnotations;

namespace ComplaintWorkflows.Activities.Speech;

/// <summary>Which speech-recognition service transcribes recordings; None leaves the record button disabled (未配置语音识别服务).</summary>
public enum SpeechProvider
{
    None,
    Aliyun,
}

/// <summary><c>Workflows:Speech:Aliyun</c>: Alibaba Cloud Intelligent Speech Interaction (智能语音交互).</summary>
public sealed class AliyunSpeechOptions
{
    /// <summary>CreateToken (nls-meta, RPC 2019-02-28, signature V1).</summary>
    public Uri TokenEndpoint { get; set; } = new("https://nls-meta.cn-shanghai.aliyuncs.com/");

    /// <summary>Short-sentence recognition (一句话识别) REST address.</summary>
    public Uri ShortSentenceEndpoint { get; set; } = new("https://nls-gateway-cn-shanghai.aliyuncs.com/stream/v1/asr");

    /// <summary>File transcription (录音文件识别, RPC 2018-08-17).</summary>
    public Uri FileTranscriptionEndpoint { get; set; } = new("https://filetrans.cn-shanghai.aliyuncs.com/");

    public string RegionId { get; set; } = "cn-shanghai";

    public string? AccessKeyId { get; set; }

    /// <summary>Secret; never logged.</summary>
    public string? AccessKeySecret { get; set; }

    /// <summary>The project's appkey from the speech console.</summary>
    public string? AppKey { get; set; }

    public override string ToString() => $"{{ RegionId = {RegionId}, AccessKeyId = {(string.IsNullOrEmpty(AccessKeyId) ? "(none)" : "(set)")} }}";
}

/// <summary>The <c>Workflows:Speech</c> section: the provider, its keys, and the limits of a recording.</summary>
public sealed class SpeechOptions
{
    public const string Section = "Workflows:Speech";

    /// <summary>None (default: voice intake off) or Aliyun.</summary>
    public SpeechProvider Provider { get; set; } = SpeechProvider.None;

    public AliyunSpeechOptions Aliyun { get; set; } = new();

    /// <summary>Largest recording accepted, in bytes (default 4 MiB: about two minutes of 16 kHz 16-bit mono WAV).</summary>
    [Range(1024, 512L * 1024 * 1024)]
    public long MaxRecordingBytes { get; set; } = 4L * 1024 * 1024;

    /// <summary>Longest recording accepted (WAV and OGG are measured; WebM by its size only).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "05:00:00")]
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Up to this length a recording goes to short-sentence recognition (一句话识别, the provider documents at most 60 s);
    /// longer ones to file transcription (录音文件识别), which needs <see cref="PublicBaseUrl"/>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan ShortSentenceMaxDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// This host's address as the provider reaches it, for file transcription: the provider downloads the recording from a
    /// signed link under it (it must be a public domain name; the provider refuses IP addresses). Unset: recordings longer
    /// than <see cref="ShortSentenceMaxDuration"/> are refused with a message saying so.
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>How long a recording not (yet) filed with a complaint is kept before it is deleted.</summary>
    [Range(typeof(TimeSpan), "00:10:00", "30.00:00:00")]
    public TimeSpan PendingRecordingLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Time limit of one call to the provider.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Pause between two GetTaskResult polls of a file transcription.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a file transcription may take before it is given up (the signed download link lives as long).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "03:00:00")]
    public TimeSpan TranscriptionTimeout { get; set; } = TimeSpan.FromMinutes(5);

    public override string ToString() => $"{{ Provider = {Provider}, Aliyun = {Aliyun} }}";
}
