namespace ComplaintWorkflows.Activities.Attachments;

/// <summary>A file type we recognise by its first bytes, with the file name extensions it goes by.</summary>
public sealed record AttachmentType(string MediaType, string DisplayName, IReadOnlyList<string> Extensions);

/// <summary>
/// Content sniffing: the type of a file is what its signature says (JPEG, PNG, GIF, WebP, PDF), and the name's
/// extension must agree with it, so a script renamed <c>photo.jpg</c> or a photo sent as <c>text/html</c> is refused.
/// </summary>
public static class AttachmentTypes
{
    public static IReadOnlyList<AttachmentType> Known { get; } =
    [
        new("image/jpeg", "JPEG 图片", [".jpg", ".jpeg"]),
        new("image/png", "PNG 图片", [".png"]),
        new("image/gif", "GIF 图片", [".gif"]),
        new("image/webp", "WebP 图片", [".webp"]),
        new("application/pdf", "PDF 文档", [".pdf"]),
    ];

    /// <summary>How many leading bytes <see cref="Sniff"/> needs.</summary>
    public const int SignatureLength = 12;

    /// <summary>The type the content starts like, or null when it is none we know.</summary>
    public static AttachmentType? Sniff(ReadOnlySpan<byte> head)
    {
        string? media = head switch
        {
            [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
            [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, ..] => "image/png",
            [0x47, 0x49, 0x46, 0x38, 0x37 or 0x39, 0x61, ..] => "image/gif",
            [0x52, 0x49, 0x46, 0x46, _, _, _, _, 0x57, 0x45, 0x42, 0x50, ..] => "image/webp",
            [0x25, 0x50, 0x44, 0x46, 0x2D, ..] => "application/pdf",
            _ => null,
        };
        return media is null ? null : Known.First(k => k.MediaType == media);
    }
}
