using ComplaintWorkflows.Activities.Data;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Activities.Operations;

/// <summary>What to look for in the audit log; every filter is optional, <see cref="From"/> inclusive and <see cref="To"/> exclusive.</summary>
public sealed record AuditQuery(string? Actor = null, string? Action = null, string? Target = null, DateTimeOffset? From = null, DateTimeOffset? To = null, int Page = 1, int PageSize = 50);

/// <summary>One page of the audit log, latest first.</summary>
public sealed record AuditPage(long Total, int Page, int PageSize, IReadOnlyList<AuditEntry> Items);

/// <summary>The administrators' audit log (<c>cw_audit</c>): written in a transaction of its own, read with filters and paging.</summary>
public sealed class AuditLog(IDbContextFactory<DomainDbContext> contexts, TimeProvider time, string? node)
{
    public async Task<AuditEntry> RecordAsync(string actor, string action, string? target, int status, string? details, CancellationToken cancellationToken = default)
    {
        var entry = new AuditEntry
        {
            At = time.GetUtcNow(),
            Actor = Cut(actor, 256),
            Action = action,
            Target = target is null ? null : Cut(target, 512),
            Status = status,
            Details = details,
            Node = node,
        };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.Add(entry);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return entry;
    }

    public async Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var entries = db.Set<AuditEntry>().AsNoTracking();
        if (query.Actor is { Length: > 0 } actor)
        {
            entries = entries.Where(e => e.Actor == actor);
        }

        if (query.Action is { Length: > 0 } action)
        {
            // "user" finds user.create, user.roles ...; "user.roles" only that.
            entries = action.Contains('.', StringComparison.Ordinal) ? entries.Where(e => e.Action == action) : entries.Where(e => e.Action == action || e.Action.StartsWith(action + "."));
        }

        if (query.Target is { Length: > 0 } target)
        {
            entries = entries.Where(e => e.Target != null && e.Target.Contains(target));
        }

        if (query.From is { } from)
        {
            entries = entries.Where(e => e.At >= from);
        }

        if (query.To is { } to)
        {
            entries = entries.Where(e => e.At < to);
        }

        var total = await entries.LongCountAsync(cancellationToken).ConfigureAwait(false);
        var items = await entries.OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Skip((query.Page - 1) * query.PageSize).Take(query.PageSize).ToListAsync(cancellationToken).ConfigureAwait(false);
        return new AuditPage(total, query.Page, query.PageSize, items);
    }

    private static string Cut(string value, int length) => value.Length <= length ? value : value[..length];
}
