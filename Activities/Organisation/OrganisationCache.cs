using ComplaintWorkflows.Activities.Data;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Organisation;

/// <summary>
/// The organisation as last read, kept for <see cref="OrganisationOptions.SnapshotCacheDuration"/> so dispatch and
/// assignment do not read every table for each complaint. This host's own changes clear it at once; another
/// host's show after the cache duration.
/// </summary>
public sealed class OrganisationCache(TimeProvider time, IOptions<OrganisationOptions> options)
{
    private Entry? _entry;

    internal async Task<OrganisationSnapshot> GetAsync(DomainDbContext db, CancellationToken cancellationToken)
    {
        var entry = Volatile.Read(ref _entry);
        var now = time.GetUtcNow();
        if (entry is not null && now - entry.LoadedAt < options.Value.SnapshotCacheDuration)
        {
            return entry.Snapshot;
        }

        var snapshot = await OrganisationSnapshot.LoadAsync(db, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _entry, new Entry(snapshot, now));
        return snapshot;
    }

    public void Invalidate() => Volatile.Write(ref _entry, null);

    private sealed record Entry(OrganisationSnapshot Snapshot, DateTimeOffset LoadedAt);
}
