using ComplaintWorkflows.Engine.Model;
using ComplaintWorkflows.Engine.Timers;
using Microsoft.Extensions.Logging;

namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>Jobs (asynchronous continuations): taken in batches, their locks renewed while they run, retried after a failure.</summary>
public sealed partial class WorkflowEngine
{
    /// <summary>
    /// Takes a batch of due jobs (asynchronous continuations) for <paramref name="owner"/> and runs them.
    /// A job whose step fails is not committed: it is tried again after the delay of its element's
    /// <c>camunda:failedJobRetryTimeCycle</c> (default: <see cref="WorkflowEngineOptions.DefaultJobRetries"/>
    /// attempts); the last failing attempt commits and leaves an incident at the element. Returns how many ran.
    /// </summary>
    public async Task<int> RunDueJobsAsync(string owner, CancellationToken cancellationToken = default)
    {
        var jobs = await Store.AcquireJobsAsync(owner, Time.GetUtcNow(), Options.JobBatchSize, Options.JobLockDuration, cancellationToken).ConfigureAwait(false);
        Metrics?.TakenOver(jobs.Count(j => j.TakenOver));
        foreach (var job in jobs)
        {
            await RunJobAsync(job, cancellationToken).ConfigureAwait(false);
        }

        return jobs.Count;
    }

    /// <summary>Runs one job now, whatever its due time (administrators and tests).</summary>
    public async Task ExecuteJobAsync(string jobId, CancellationToken cancellationToken = default)
    {
        var job = (await Store.QueryJobsAsync(null, cancellationToken).ConfigureAwait(false)).FirstOrDefault(j => j.Id == jobId)
            ?? throw new WorkflowException($"Job '{jobId}' does not exist or has run already.") { Code = "not-found" };

        // Run outside any worker's lock: a worker holding it keeps renewing its own.
        await RunJobAsync(job with { LockOwner = null }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs due jobs until none is left (or <paramref name="max"/> ran); returns how many ran.</summary>
    public async Task<int> RunPendingJobsAsync(int max = 10_000, CancellationToken cancellationToken = default)
    {
        var ran = 0;
        while (ran < max && await RunDueJobsAsync("local", cancellationToken).ConfigureAwait(false) is > 0 and var count)
        {
            ran += count;
        }

        return ran;
    }

    /// <summary>Gives a job <paramref name="retries"/> more attempts, due now (after its retries ran out, say).</summary>
    public async Task SetJobRetriesAsync(string jobId, int retries, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(retries);
        if (!await Store.SetJobRetriesAsync(jobId, retries, Time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            throw new WorkflowException($"Job '{jobId}' does not exist.") { Code = "not-found" };
        }
    }

    private async Task RunJobAsync(JobInfo job, CancellationToken cancellationToken)
    {
        using var running = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var heartbeat = job.LockOwner is { } owner ? RenewJobLockAsync(job.Id, owner, running.Token) : Task.CompletedTask;
        try
        {
            await RunJobStepAsync(job, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await running.CancelAsync().ConfigureAwait(false);
            await heartbeat.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Extends a running job's lock every <see cref="WorkflowEngineOptions.JobLockRenewalInterval"/> until the job
    /// ends (<paramref name="cancellationToken"/>) or the lock turns out to be someone else's; a failed renewal
    /// is tried again at the next beat.
    /// </summary>
    private async Task RenewJobLockAsync(string jobId, string owner, CancellationToken cancellationToken)
    {
        var interval = Options.JobLockRenewalInterval ?? Options.JobLockDuration / 3;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        // Beats on a fixed cadence from the job's start: time that passes while a renewal is under way counts towards
        // the next beat rather than delaying it.
        using var beats = new PeriodicTimer(interval, Time);
        try
        {
            while (await beats.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    if (!await Store.ExtendJobLockAsync(jobId, owner, Time.GetUtcNow() + Options.JobLockDuration, cancellationToken).ConfigureAwait(false))
                    {
                        LogJobLockLost(_logger, jobId, owner);
                        return;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogJobLockRenewalFailed(_logger, jobId, ex);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The job ended (or the worker stops): no more renewals.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} is no longer locked by {Owner}; its lock is not renewed any more")]
    private static partial void LogJobLockLost(ILogger logger, string jobId, string owner);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing the lock of job {JobId} failed; trying again at the next beat")]
    private static partial void LogJobLockRenewalFailed(ILogger logger, string jobId, Exception exception);

    private async Task RunJobStepAsync(JobInfo job, CancellationToken cancellationToken)
    {
        (DateTimeOffset DueAt, string Message)? retry = null;
        await RunStepAsync(job.ProcessInstanceId, step => step.ContinueJob(job.NodeId), cancellationToken, commitWhen: step =>
        {
            if (step.IncidentsRaised == 0 || job.Retries <= 1)
            {
                return true;
            }

            var element = step.Instance.Definition.Element(job.ElementId) as FlowNode;
            var schedule = RetrySchedule.TryParse(element?.FailedJobRetryTimeCycle, Options.DefaultJobRetries, out var parsed) ? parsed : RetrySchedule.Parse(null, Options.DefaultJobRetries);
            var attempt = Math.Max(1, schedule.Retries - job.Retries + 1);
            retry = (schedule.DueAfterFailure(attempt, Time.GetUtcNow()), step.Instance.Incidents[^1].Message);
            return false;
        }).ConfigureAwait(false);
        if (retry is { } failed)
        {
            await Store.FailJobAsync(job.Id, job.Retries - 1, failed.DueAt, failed.Message, cancellationToken).ConfigureAwait(false);
        }
    }
}
