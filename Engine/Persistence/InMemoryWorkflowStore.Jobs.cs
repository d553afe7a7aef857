using ComplaintWorkflows.Engine.Runtime;

namespace ComplaintWorkflows.Engine.Persistence;

/// <summary>Jobs: queried, taken in batches under a lock, their locks extended, failed with a retry, given new retries.</summary>
public sealed partial class InMemoryWorkflowStore
{
    public Task<IReadOnlyList<JobInfo>> QueryJobsAsync(string? instanceId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<JobInfo>>([.. _jobs.Values.Where(j => instanceId is null || j.ProcessInstanceId == instanceId)]);
        }
    }

    public Task<IReadOnlyList<JobInfo>> AcquireJobsAsync(string owner, DateTimeOffset now, int max, TimeSpan lockFor, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var busy = _jobs.Values.Where(j => j.LockExpiresAt > now).Select(j => j.ProcessInstanceId).ToHashSet(StringComparer.Ordinal);
            var acquired = new List<JobInfo>();
            foreach (var job in _jobs.Values.Where(j => j.DueAt <= now && j.Retries > 0 && !(j.LockExpiresAt > now)).OrderBy(j => j.DueAt).ThenBy(j => j.Id, StringComparer.Ordinal))
            {
                if (acquired.Count >= max)
                {
                    break;
                }

                if (busy.Add(job.ProcessInstanceId))
                {
                    var locked = job with { LockOwner = owner, LockExpiresAt = now + lockFor, TakenOver = job.LockOwner is not null && job.LockOwner != owner };
                    _jobs[job.Id] = locked;
                    acquired.Add(locked);
                }
            }

            return Task.FromResult<IReadOnlyList<JobInfo>>(acquired);
        }
    }

    public Task<bool> ExtendJobLockAsync(string jobId, string owner, DateTimeOffset lockedUntil, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_jobs.TryGetValue(jobId, out var job) || job.LockOwner != owner)
            {
                return Task.FromResult(false);
            }

            _jobs[jobId] = job with { LockExpiresAt = lockedUntil };
            return Task.FromResult(true);
        }
    }

    public Task FailJobAsync(string jobId, int retriesLeft, DateTimeOffset dueAt, string message, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_jobs.TryGetValue(jobId, out var job))
            {
                _jobs[jobId] = job with { Retries = retriesLeft, DueAt = dueAt, ExceptionMessage = message, LockOwner = null, LockExpiresAt = null };
            }
        }

        return Task.CompletedTask;
    }

    public Task<bool> SetJobRetriesAsync(string jobId, int retries, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_jobs.TryGetValue(jobId, out var job))
            {
                return Task.FromResult(false);
            }

            _jobs[jobId] = job with { Retries = retries, DueAt = now, LockOwner = null, LockExpiresAt = null };
            return Task.FromResult(true);
        }
    }
}
