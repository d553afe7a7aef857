using ComplaintWorkflows.Activities.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Classification;

/// <summary>
/// The enabled rules as the classifier uses them, kept per host for <see cref="ClassificationOptions.RuleCacheDuration"/>
/// and dropped at once when this host changes a rule.
/// </summary>
public sealed class ClassificationRuleCache(IDbContextFactory<DomainDbContext> contexts, TimeProvider time, IOptions<ClassificationOptions> options)
{
    private Snapshot? _snapshot;
    private long _generation;

    public void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        Volatile.Write(ref _snapshot, null);
    }

    public async Task<IReadOnlyList<ClassificationRule>> GetEnabledAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var snapshot = Volatile.Read(ref _snapshot);
        if (snapshot is not null && now - snapshot.LoadedAt < options.Value.RuleCacheDuration)
        {
            return snapshot.Rules;
        }

        // Concurrent loads are harmless; a load that raced with a change is not kept.
        var generation = Interlocked.Read(ref _generation);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rules = await db.Set<ClassificationRule>().AsNoTracking().Where(r => r.Enabled).ToListAsync(cancellationToken).ConfigureAwait(false);
        if (Interlocked.Read(ref _generation) == generation)
        {
            Volatile.Write(ref _snapshot, new Snapshot(rules, now));
        }

        return rules;
    }

    private sealed record Snapshot(IReadOnlyList<ClassificationRule> Rules, DateTimeOffset LoadedAt);
}
