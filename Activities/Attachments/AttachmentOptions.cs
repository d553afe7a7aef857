using System.ComponentModel.DataAnnotations;

namespace ComplaintWorkflows.Activities.Attachments;

/// <summary>The <c>Workflows:Domain:Attachments</c> section: what may be attached to a complaint and how much.</summary>
public sealed class AttachmentOptions
{
    public const string Section = "Workflows:Domain:Attachments";

    /// <summary>Largest single file, in bytes (default 10 MiB).</summary>
    [Range(1024, 200L * 1024 * 1024)]
    public long MaxFileBytes { get; set; } = 10L * 1024 * 1024;

    /// <summary>Most files one complaint may carry.</summary>
    [Range(1, 500)]
    public int MaxFilesPerComplaint { get; set; } = 20;

    /// <summary>Most bytes one complaint's files may take together (default 50 MiB).</summary>
    [Range(1024, 2L * 1024 * 1024 * 1024)]
    public long MaxBytesPerComplaint { get; set; } = 50L * 1024 * 1024;

    /// <summary>Media types accepted (a subset of <see cref="AttachmentTypes.Known"/>); empty means all of them.</summary>
    public string[] AllowedTypes { get; set; } = [];

    /// <summary>How long after filing an anonymous consumer may still add files with the tracking number and phone.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan AnonymousUploadWindow { get; set; } = TimeSpan.FromHours(24);

    public IReadOnlyList<string> EffectiveAllowedTypes => AllowedTypes.Length > 0 ? AllowedTypes : [.. AttachmentTypes.Known.Select(k => k.MediaType)];
}
