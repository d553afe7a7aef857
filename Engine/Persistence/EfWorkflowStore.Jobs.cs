using ComplaintWorkflows.Engine.Runtime;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Engine.Persistence;

/// <summary>Jobs: queried, taken in batches under a lock, their locks extended, failed with a retry, given new retries.</summary>
public sealed partial class EfWorkflowStore
{
    public async Task<IReadOnlyList<JobInfo>> QueryJobsAsync(string? instanceId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var jobs = db.Jobs.AsNoTracking();
        if (instanceId is not null)
        {
            jobs = jobs.Where(j => j.InstanceId == instanceId);
        }

        var rows = await jobs.OrderBy(j => j.DueAt).ThenBy(j => j.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(ToInfo)];
    }

    public async Task<IReadOnlyList<JobInfo>> AcquireJobsAsync(string owner, DateTimeOffset now, int max, TimeSpan lockFor, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var at = now.ToUnixTimeMilliseconds();
        var until = (now + lockFor).ToUnixTimeMilliseconds();

        // One statement takes the batch; on PostgreSQL rows another host is taking are skipped, not waited for.
        var skipLocked = db.Database.IsNpgsql() ? " FOR UPDATE SKIP LOCKED" : "";
        var sql = $$"""
            UPDATE wf_job SET "LockOwner" = {0}, "LockExpiresAt" = {1}
            WHERE "Id" IN (
                SELECT j."Id" FROM wf_job j
                WHERE j."DueAt" <= {2} AND j."Retries" > 0 AND (j."LockExpiresAt" IS NULL OR j."LockExpiresAt" < {2})
                  AND NOT EXISTS (SELECT 1 FROM wf_job l WHERE l."InstanceId" = j."InstanceId" AND l."LockExpiresAt" >= {2})
                ORDER BY j."DueAt" LIMIT {3}{{skipLocked}})
            """;
        // Due jobs whose lock another worker let expire: those taken now are takeovers (the engine counts them).
        var stale = await db.Jobs.AsNoTracking()
            .Where(j => j.DueAt <= at && j.Retries > 0 && j.LockOwner != null && j.LockOwner != owner && j.LockExpiresAt < at)
            .Select(j => j.Id).Take(max).ToListAsync(cancellationToken).ConfigureAwait(false);
        await db.Database.ExecuteSqlRawAsync(sql, [owner, until, at, max], cancellationToken).ConfigureAwait(false);
        var rows = await db.Jobs.AsNoTracking()
            .Where(j => j.LockOwner == owner && j.LockExpiresAt == until)
            .OrderBy(j => j.DueAt)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(j => ToInfo(j) with { TakenOver = stale.Contains(j.Id) })];
    }

    public async Task<bool> ExtendJobLockAsync(string jobId, string owner, DateTimeOffset lockedUntil, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var until = lockedUntil.ToUnixTimeMilliseconds();
        return await db.Jobs.Where(j => j.Id == jobId && j.LockOwner == owner)
            .ExecuteUpdateAsync(u => u.SetProperty(j => j.LockExpiresAt, until), cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task FailJobAsync(string jobId, int retriesLeft, DateTimeOffset dueAt, string message, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var due = dueAt.ToUnixTimeMilliseconds();
        var text = message.Length > 4000 ? message[..4000] : message;
        await db.Jobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(
            u => u.SetProperty(j => j.Retries, retriesLeft)
                .SetProperty(j => j.DueAt, due)
                .SetProperty(j => j.ExceptionMessage, text)
                .SetProperty(j => j.LockOwner, (string?)null)
                .SetProperty(j => j.LockExpiresAt, (long?)null),
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> SetJobRetriesAsync(string jobId, int retries, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var due = now.ToUnixTimeMilliseconds();
        return await db.Jobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(
            u => u.SetProperty(j => j.Retries, retries)
                .SetProperty(j => j.DueAt, due)
                .SetProperty(j => j.LockOwner, (string?)null)
                .SetProperty(j => j.LockExpiresAt, (long?)null),
            cancellationToken).ConfigureAwait(false) == 1;
    }

    private static JobInfo ToInfo(JobRow j) => new(
        j.Id,
        j.InstanceId,
        j.ElementId,
        (WaitKind)j.Kind,
        DateTimeOffset.FromUnixTimeMilliseconds(j.DueAt),
        j.Retries,
        j.ExceptionMessage,
        j.LockOwner,
        j.LockExpiresAt is { } until ? DateTimeOffset.FromUnixTimeMilliseconds(until) : null);
}
