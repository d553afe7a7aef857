namespace ComplaintWorkflows.Activities.Speech;

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

/// <summary>The <c>Workflows:Speech</c> section (not yet bound by the host: work in progress, see the branch's report).</summary>
public sealed class SpeechOptions
{
    public const string Section = "Workflows:Speech";

    public AliyunSpeechOptions Aliyun { get; set; } = new();

    /// <summary>Time limit of one call to the provider.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Pause between two GetTaskResult polls of a file transcription.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a file transcription may take before it is given up.</summary>
    public TimeSpan TranscriptionTimeout { get; set; } = TimeSpan.FromMinutes(5);
}
