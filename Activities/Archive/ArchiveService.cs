using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ComplaintWorkflows.Activities.Cases;
using ComplaintWorkflows.Activities.Closure;
using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Surveys;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Activities.Archive;

/// <summary>The result of checking the archive chain: intact, or the first entry that does not match.</summary>
public sealed record ArchiveVerification(bool Intact, long Entries, long? FirstBrokenSequence, string? Problem)
{
    /// <summary>How many of the entries were redacted (content dropped; their links were checked, their content cannot be).</summary>
    public long Redacted { get; init; }
}

/// <summary>Appends complaints to the tamper-evident archive and checks the chain.</summary>
public sealed class ArchiveService(IDbContextFactory<DomainDbContext> contexts, TimeProvider time)
{
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    private static readonly JsonSerializerOptions ContentJson = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    /// <summary>Archives a complaint once (a second call returns the existing entry).</summary>
    public async Task<ArchiveEntry> ArchiveAsync(string complaintId, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            var existing = await db.Set<ArchiveEntry>().AsNoTracking().FirstOrDefaultAsync(a => a.ComplaintId == complaintId, cancellationToken).ConfigureAwait(false);
            if (existing is not null)
            {
                return existing;
            }

            var content = await ContentAsync(db, complaintId, cancellationToken).ConfigureAwait(false);
            var last = await db.Set<ArchiveEntry>().AsNoTracking().OrderByDescending(a => a.Sequence).Select(a => new { a.Sequence, a.Hash }).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            var sequence = (last?.Sequence ?? 0) + 1;
            var previous = last?.Hash ?? GenesisHash;
            var entry = new ArchiveEntry
            {
                Sequence = sequence,
                ComplaintId = complaintId,
                ArchivedAt = time.GetUtcNow(),
                Content = content,
                PreviousHash = previous,
                Hash = HashOf(previous, sequence, content),
            };
            db.Add(entry);
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                return entry;
            }
            catch (DbUpdateException) when (attempt < 20)
            {
                // Another host appended the same sequence number first: chain onto its entry instead.
            }
        }
    }

    /// <summary>Walks the chain from the start and reports the first entry whose links or hash do not match.</summary>
    public async Task<ArchiveVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var previous = GenesisHash;
        long expected = 1;
        long count = 0;
        long redacted = 0;
        await foreach (var entry in db.Set<ArchiveEntry>().AsNoTracking().OrderBy(a => a.Sequence).AsAsyncEnumerable().WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            count++;
            if (entry.Sequence != expected)
            {
                return new(false, count, expected, $"第 {expected} 条归档记录缺失 (archive entry {expected} is missing)");
            }

            if (entry.PreviousHash != previous)
            {
                return new(false, count, entry.Sequence, $"第 {entry.Sequence} 条的前序哈希不符 (entry {entry.Sequence} does not chain to the one before it)");
            }

            if (entry.RedactedAt is not null)
            {
                // The content is gone: the entry's stored hash stands for it, and the next entry must chain to that hash.
                redacted++;
            }
            else if (HashOf(previous, entry.Sequence, entry.Content) != entry.Hash)
            {
                return new(false, count, entry.Sequence, $"第 {entry.Sequence} 条内容已被改动 (entry {entry.Sequence} was altered)");
            }

            previous = entry.Hash;
            expected++;
        }

        return new(true, count, null, null) { Redacted = redacted };
    }

    /// <summary>What a redacted entry's content is replaced with: the complaint it was and why its content was dropped.</summary>
    public static string RedactedContent(string complaintId, string reason)
        => JsonSerializer.Serialize(new { version = 1, redacted = true, complaintId, reason }, ContentJson);

    public static string HashOf(string previousHash, long sequence, string content)
        => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{previousHash}\n{sequence}\n{content}")));

    private static async Task<string> ContentAsync(DomainDbContext db, string complaintId, CancellationToken cancellationToken)
    {
        var complaint = await db.Set<Complaint>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == complaintId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Complaint '{complaintId}' does not exist and cannot be archived.");
        var timeline = await db.Set<ComplaintEvent>().AsNoTracking().Where(e => e.ComplaintId == complaintId).OrderBy(e => e.At).ThenBy(e => e.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        var closure = await db.Set<ClosureRecord>().AsNoTracking().Where(r => r.ComplaintId == complaintId).OrderBy(r => r.Round).ToListAsync(cancellationToken).ConfigureAwait(false);
        var cases = await db.Set<CaseFile>().AsNoTracking().Where(c => c.ComplaintId == complaintId).ToListAsync(cancellationToken).ConfigureAwait(false);
        var surveys = await db.Set<SurveyAnswer>().AsNoTracking().Where(s => s.ComplaintId == complaintId).OrderBy(s => s.AnsweredAt).ToListAsync(cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Serialize(new { version = 1, complaint, timeline, closure, cases, surveys }, ContentJson);
    }
}
