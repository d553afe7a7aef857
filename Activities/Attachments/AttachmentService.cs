using System.Security.Cryptography;
using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Attachments;

/// <summary>Why an upload was refused: the file is of a type not accepted, too large, or the complaint has no room left.</summary>
public enum AttachmentRejection
{
    UnsupportedType,
    TooLarge,
    TooMany,
    Empty,
}

/// <summary>An upload refused, with the field (the file's name) and a message naming what is wrong (Chinese first).</summary>
public sealed class AttachmentRejectedException : Exception
{
    public AttachmentRejectedException()
    {
    }

    public AttachmentRejectedException(string message)
        : base(message)
    {
    }

    public AttachmentRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public AttachmentRejectedException(AttachmentRejection reason, string fileName, string message)
        : base(message)
    {
        Reason = reason;
        FileName = fileName;
    }

    public AttachmentRejection Reason { get; }

    public string FileName { get; } = "";
}

/// <summary>An attachment without its content, as the complaint file lists it.</summary>
public sealed record AttachmentInfo(string Id, string FileName, string ContentType, long Size, DateTimeOffset UploadedAt, string UploadedBy, bool FromConsumer);

/// <summary>
/// Stores and reads a complaint's documents in the domain database (so several hosts on one database serve the
/// same files): checks each file's type by its content and its size against <see cref="AttachmentOptions"/>,
/// and notes the upload on the complaint's timeline.
/// </summary>
public sealed class AttachmentService(IDbContextFactory<DomainDbContext> contexts, IOptions<AttachmentOptions> options, TimeProvider time)
{
    private readonly AttachmentOptions _options = options.Value;

    public AttachmentOptions Options => _options;

    /// <summary>Reads <paramref name="content"/> (at most the size limit plus one byte), checks it and stores it; the same file twice is stored once.</summary>
    public async Task<AttachmentInfo> AddAsync(string complaintId, string fileName, Stream content, string uploadedBy, bool fromConsumer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var name = CleanName(fileName);
        var bytes = await ReadLimitedAsync(content, name, cancellationToken).ConfigureAwait(false);
        var type = Check(name, bytes);
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var existing = await db.Set<ComplaintAttachment>().AsNoTracking().Where(a => a.ComplaintId == complaintId)
            .Select(a => new { a.Id, a.Sha256, a.Size }).ToListAsync(cancellationToken).ConfigureAwait(false);
        if (existing.FirstOrDefault(a => a.Sha256 == hash) is { } same)
        {
            return (await GetInfoAsync(db, complaintId, same.Id, cancellationToken).ConfigureAwait(false))!;
        }

        if (existing.Count >= _options.MaxFilesPerComplaint)
        {
            throw new AttachmentRejectedException(AttachmentRejection.TooMany, name, $"每件投诉最多 {_options.MaxFilesPerComplaint} 个附件，已满 (at most {_options.MaxFilesPerComplaint} files per complaint).");
        }

        if (existing.Sum(a => a.Size) + bytes.Length > _options.MaxBytesPerComplaint)
        {
            throw new AttachmentRejectedException(AttachmentRejection.TooMany, name, $"每件投诉的附件合计不能超过 {Megabytes(_options.MaxBytesPerComplaint)} (files of one complaint at most {Megabytes(_options.MaxBytesPerComplaint)} together).");
        }

        var now = time.GetUtcNow();
        var attachment = new ComplaintAttachment
        {
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            ComplaintId = complaintId,
            FileName = name,
            ContentType = type.MediaType,
            Size = bytes.Length,
            Sha256 = hash,
            UploadedAt = now,
            UploadedBy = uploadedBy,
            FromConsumer = fromConsumer,
            Content = bytes,
        };
        db.Add(attachment);
        db.Add(new ComplaintEvent
        {
            ComplaintId = complaintId,
            At = now,
            Kind = "attachment",
            Text = fromConsumer ? $"投诉人上传附件：{name}" : $"工作人员上传附件：{name}",
            Actor = uploadedBy,
            Public = fromConsumer,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // The same file uploaded twice at once (a double click): the other upload stored it.
            if (await GetByHashAsync(complaintId, hash, cancellationToken).ConfigureAwait(false) is { } raced)
            {
                return raced;
            }

            throw;
        }

        return Info(attachment);
    }

    /// <summary>The complaint id a recording not yet filed with a complaint is kept under: this prefix and a random part.</summary>
    public const string PendingRecordingPrefix = "voice:";

    /// <summary>
    /// Stores a voice recording made before its complaint exists (voice intake): kept under a pending id until
    /// <see cref="LinkRecordingAsync"/> moves it to the complaint, or deleted by <see cref="DeleteExpiredRecordingsAsync"/>.
    /// The caller has checked the content's type (<paramref name="type"/>); the size is checked here.
    /// </summary>
    public async Task<AttachmentInfo> AddPendingRecordingAsync(string fileName, byte[] content, AttachmentType type, string uploadedBy, bool fromConsumer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(type);
        var name = CleanName(fileName);
        if (content.Length == 0)
        {
            throw new AttachmentRejectedException(AttachmentRejection.Empty, name, $"录音“{name}”是空文件 (the recording is empty).");
        }

        if (content.Length > _options.MaxFileBytes)
        {
            throw TooLarge(name);
        }

        var attachment = new ComplaintAttachment
        {
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            ComplaintId = PendingRecordingPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            FileName = name,
            ContentType = type.MediaType,
            Size = content.Length,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)),
            UploadedAt = time.GetUtcNow(),
            UploadedBy = uploadedBy,
            FromConsumer = fromConsumer,
            Content = content,
        };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.Add(attachment);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Info(attachment);
    }

    /// <summary>The recording's content by its id, whether pending or already filed, or null.</summary>
    public async Task<ComplaintAttachment?> GetRecordingAsync(string recordingId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<ComplaintAttachment>().AsNoTracking().FirstOrDefaultAsync(a => a.Id == recordingId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Files a pending recording with its complaint (noted on the timeline). True when it is now the complaint's
    /// (also when it already was: a repeated submission); false when there is no such pending recording.
    /// </summary>
    public async Task<bool> LinkRecordingAsync(string recordingId, string complaintId, string actor, bool fromConsumer, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var recording = await db.Set<ComplaintAttachment>().FirstOrDefaultAsync(a => a.Id == recordingId, cancellationToken).ConfigureAwait(false);
        if (recording is null || !(recording.ComplaintId == complaintId || recording.ComplaintId.StartsWith(PendingRecordingPrefix, StringComparison.Ordinal)))
        {
            return false;
        }

        if (recording.ComplaintId == complaintId)
        {
            return true;
        }

        var hash = recording.Sha256;
        if (await db.Set<ComplaintAttachment>().AnyAsync(a => a.ComplaintId == complaintId && a.Sha256 == hash, cancellationToken).ConfigureAwait(false))
        {
            db.Remove(recording);
        }
        else
        {
            recording.ComplaintId = complaintId;
        }

        db.Add(new ComplaintEvent
        {
            ComplaintId = complaintId,
            At = time.GetUtcNow(),
            Kind = "attachment",
            Text = fromConsumer ? $"投诉人语音录音：{recording.FileName}" : $"工作人员语音录音：{recording.FileName}",
            Actor = actor,
            Public = fromConsumer,
        });
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Deletes the recordings uploaded before <paramref name="before"/> that were never filed with a complaint.</summary>
    public async Task<int> DeleteExpiredRecordingsAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<ComplaintAttachment>().Where(a => a.ComplaintId.StartsWith(PendingRecordingPrefix) && a.UploadedAt < before).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<AttachmentInfo>> ListAsync(string complaintId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<ComplaintAttachment>().AsNoTracking().Where(a => a.ComplaintId == complaintId).OrderBy(a => a.UploadedAt).ThenBy(a => a.FileName)
            .Select(a => new AttachmentInfo(a.Id, a.FileName, a.ContentType, a.Size, a.UploadedAt, a.UploadedBy, a.FromConsumer))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The attachment with its content, or null when the complaint has no such attachment.</summary>
    public async Task<ComplaintAttachment?> GetAsync(string complaintId, string attachmentId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<ComplaintAttachment>().AsNoTracking().FirstOrDefaultAsync(a => a.ComplaintId == complaintId && a.Id == attachmentId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks the name's extension and the content's signature against each other and the accepted types.</summary>
    public AttachmentType Check(string fileName, ReadOnlySpan<byte> content)
    {
        if (content.IsEmpty)
        {
            throw new AttachmentRejectedException(AttachmentRejection.Empty, fileName, $"附件“{fileName}”是空文件 (the file is empty).");
        }

        if (content.Length > _options.MaxFileBytes)
        {
            throw TooLarge(fileName);
        }

        var allowed = _options.EffectiveAllowedTypes;
        var accepted = string.Join("、", AttachmentTypes.Known.Where(k => allowed.Contains(k.MediaType)).SelectMany(k => k.Extensions));
        var type = AttachmentTypes.Sniff(content[..Math.Min(content.Length, AttachmentTypes.SignatureLength)]);
        if (type is null || !allowed.Contains(type.MediaType))
        {
            throw new AttachmentRejectedException(AttachmentRejection.UnsupportedType, fileName,
                $"附件“{fileName}”的内容不是可接受的文件类型，可上传：{accepted} (the file's content is not an accepted type; accepted: {accepted}).");
        }

        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (!type.Extensions.Contains(extension))
        {
            throw new AttachmentRejectedException(AttachmentRejection.UnsupportedType, fileName,
                $"附件“{fileName}”的扩展名与内容（{type.DisplayName}）不符 (the file name's extension does not match its content, {type.MediaType}).");
        }

        return type;
    }

    private async Task<byte[]> ReadLimitedAsync(Stream content, string name, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > _options.MaxFileBytes)
            {
                throw TooLarge(name);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private AttachmentRejectedException TooLarge(string name)
        => new(AttachmentRejection.TooLarge, name, $"附件“{name}”超过 {Megabytes(_options.MaxFileBytes)} 的上限 (the file is larger than {Megabytes(_options.MaxFileBytes)}).");

    private async Task<AttachmentInfo?> GetByHashAsync(string complaintId, string hash, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var id = await db.Set<ComplaintAttachment>().AsNoTracking().Where(a => a.ComplaintId == complaintId && a.Sha256 == hash).Select(a => a.Id).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return id is null ? null : await GetInfoAsync(db, complaintId, id, cancellationToken).ConfigureAwait(false);
    }

    private static Task<AttachmentInfo?> GetInfoAsync(DomainDbContext db, string complaintId, string id, CancellationToken cancellationToken)
        => db.Set<ComplaintAttachment>().AsNoTracking().Where(a => a.ComplaintId == complaintId && a.Id == id)
            .Select(a => new AttachmentInfo(a.Id, a.FileName, a.ContentType, a.Size, a.UploadedAt, a.UploadedBy, a.FromConsumer)).FirstOrDefaultAsync(cancellationToken);

    private static AttachmentInfo Info(ComplaintAttachment a) => new(a.Id, a.FileName, a.ContentType, a.Size, a.UploadedAt, a.UploadedBy, a.FromConsumer);

    /// <summary>The last part of the name (browsers on Windows send a full path), without control characters, at most 255 characters.</summary>
    internal static string CleanName(string? fileName)
    {
        var name = (fileName ?? "").Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];
        name = new string([.. name.Where(c => !char.IsControl(c))]).Trim();
        if (name.Length == 0)
        {
            name = "附件";
        }

        return name.Length <= 255 ? name : name[..200] + Path.GetExtension(name)[..Math.Min(Path.GetExtension(name).Length, 20)];
    }

    private static string Megabytes(long bytes) => bytes >= 1024 * 1024 ? $"{bytes / (1024.0 * 1024):0.#} MB" : $"{bytes / 1024.0:0.#} KB";
}
