using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Engine.Runtime;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.WorkflowHost.LiveUpdates;

/// <summary>
/// Tells connected browsers of new tasks. Every host polls the shared task table for tasks created since its last
/// look (minus <see cref="LiveUpdateOptions.Overlap"/>) and sends each new one to its assignee's, candidate users'
/// and candidate groups' connections on this host, so a task created on any host reaches a user connected to any
/// other (the database is the backplane; no Redis needed). Delay: up to one poll interval.
/// </summary>
public sealed partial class TaskArrivalWatcher(
    WorkflowEngine engine, IHubContext<TaskHub, ITaskClient> hub, IDbContextFactory<DomainDbContext> contexts,
    IOptions<LiveUpdateOptions> options, TimeProvider time, ILogger<TaskArrivalWatcher> logger) : BackgroundService
{
    // Ids told within the overlap window; older ones are dropped as the window moves on.
    private readonly Dictionary<string, DateTimeOffset> _told = new(StringComparer.Ordinal);
    private DateTimeOffset _since;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        // Tasks that existed before this host started are in the inbox already: only newer ones are news.
        _since = time.GetUtcNow();
        using var timer = new PeriodicTimer(settings.PollInterval, time);
        while (await timer.WaitForNextPollAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await PollAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPollFailed(logger, ex);
            }
        }
    }

    /// <summary>One look: sends every task created since the last look that was not told yet; answers how many were sent.</summary>
    private async Task<int> PollAsync(CancellationToken cancellationToken)
    {
        var overlap = options.Value.Overlap;
        // The overlap window is read as ids only: under load it holds thousands of tasks already told.
        var stamps = await engine.GetTaskStampsAsync(_since - overlap, cancellationToken).ConfigureAwait(false);
        var unseen = stamps.Where(t => !_told.ContainsKey(t.Id)).Select(t => t.Id).ToList();
        IReadOnlyList<TaskInfo> fresh = unseen.Count == 0 ? [] : await engine.GetTasksAsync(new TaskQuery { Ids = unseen }, cancellationToken).ConfigureAwait(false);
        if (fresh.Count > 0)
        {
            var businessKeys = fresh.Select(t => t.ProcessInstanceId).Distinct(StringComparer.Ordinal).ToList();
            await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            var complaints = await db.Set<Complaint>().AsNoTracking().Where(c => c.ProcessInstanceId != null && businessKeys.Contains(c.ProcessInstanceId))
                .Select(c => new { c.ProcessInstanceId, c.Id }).ToDictionaryAsync(c => c.ProcessInstanceId!, c => c.Id, cancellationToken).ConfigureAwait(false);
            foreach (var task in fresh)
            {
                var message = new TaskArrived(task.Id, task.Name, complaints.GetValueOrDefault(task.ProcessInstanceId) ?? task.BusinessKey, task.BusinessKey,
                    task.Assignee, task.CandidateGroups, task.CreatedAt, task.DueDate);
                var groups = new List<string>();
                if (task.Assignee is { } assignee)
                {
                    groups.Add(TaskHub.UserGroup(assignee));
                }
                else
                {
                    groups.AddRange(task.CandidateUsers.Select(TaskHub.UserGroup));
                    groups.AddRange(task.CandidateGroups.Select(TaskHub.TaskGroup));
                }

                if (groups.Count > 0)
                {
                    await hub.Clients.Groups(groups).TaskArrived(message).ConfigureAwait(false);
                }

                _told[task.Id] = task.CreatedAt;
            }
        }

        var newest = stamps.Count == 0 ? _since : stamps.Max(t => t.CreatedAt);
        _since = newest > _since ? newest : _since;
        foreach (var old in _told.Where(t => t.Value < _since - overlap - overlap).Select(t => t.Key).ToList())
        {
            _told.Remove(old);
        }

        return fresh.Count;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Looking for new tasks to tell browsers about failed")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);
}
