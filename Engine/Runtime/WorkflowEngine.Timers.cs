using System.Globalization;
using ComplaintWorkflows.Engine.Expressions;
using ComplaintWorkflows.Engine.Model;
using ComplaintWorkflows.Engine.Persistence;
using ComplaintWorkflows.Engine.Timers;
using Microsoft.Extensions.Logging;

namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>Timers: the start timers of definitions, the timer scheduler kept in step with the store, and firing timers.</summary>
public sealed partial class WorkflowEngine
{
    private async Task ScheduleStartTimersAsync(ProcessDefinition definition, CancellationToken cancellationToken)
    {
        foreach (var start in definition.Model.Container.StartEvents)
        {
            if (StartTimerSchedule(start) is { } schedule && schedule.GetFirstDue(Time.GetUtcNow()) is { } due)
            {
                await ScheduleStartTimerAsync(new DueTimer(due, null, 0, definition.Id, start.Id, 0), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private Task ScheduleStartTimerAsync(DueTimer timer, CancellationToken cancellationToken)
        => WithTimerEntryAsync(
            new PostAction.ChangeTimers([timer], []),
            entry => Store.ScheduleStartTimerAsync(timer.DefinitionId, timer.ElementId, timer.DueAt, timer.FiredCount, entry, cancellationToken),
            cancellationToken);

    private static string StartTimerId(string definitionId, string elementId) => new DueTimer(default, null, 0, definitionId, elementId, 0).Id;

    /// <summary>
    /// Runs a store write that changes timers together with the outbox entry telling the scheduler (when there
    /// is one), then applies the entry and marks it done; a refused entry stays for the outbox redelivery.
    /// </summary>
    private async Task WithTimerEntryAsync(PostAction.ChangeTimers? change, Func<OutboxEntry?, Task> write, CancellationToken cancellationToken)
    {
        var entry = change is not null && TimerScheduler is not null ? NewOutboxEntry(change) : null;
        await write(entry).ConfigureAwait(false);
        if (entry is not null && await TryChangeTimersAsync(change!, cancellationToken).ConfigureAwait(false))
        {
            await Store.DeleteOutboxAsync(entry.Id, cancellationToken).ConfigureAwait(false);
        }
    }

    private TimerSchedule? StartTimerSchedule(StartEvent start)
        => start.Definition is TimerEventDefinition timer
            && TimerSchedule.TryParse(timer.TimerKind, Convert.ToString(Expressions.Evaluate(timer.Value, EmptyScope.Instance), CultureInfo.InvariantCulture) ?? "", out var schedule, out _, Options.TimeZone)
            ? schedule
            : null;

    /// <summary>The timer triggers a step began and ended (net), or null when it changed none or no scheduler is set.</summary>
    private PostAction.ChangeTimers? TimerChanges(ProcessInstance instance, StepChanges changes)
    {
        if (TimerScheduler is null)
        {
            return null;
        }

        var scheduled = new Dictionary<string, DueTimer>(StringComparer.Ordinal);
        var removed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var change in changes.Items)
        {
            if (change.Subscription is not { Kind: SubscriptionKind.Timer } subscription)
            {
                continue;
            }

            var timer = new DueTimer(change.DueAt!.Value, instance.Id, subscription.Id, instance.Definition.Id, subscription.EventElementId, subscription.FiredCount);
            if (change.Kind == StepChanges.ChangeKind.SubscriptionAdded)
            {
                scheduled[timer.Id] = timer;
                removed.Remove(timer.Id);
            }
            else
            {
                scheduled.Remove(timer.Id);
                removed.Add(timer.Id);
            }
        }

        return scheduled.Count == 0 && removed.Count == 0 ? null : new PostAction.ChangeTimers([.. scheduled.Values], [.. removed]);
    }

    /// <summary>
    /// Puts the timer entry of a just-committed step (the first entry, when there is one) on the scheduler
    /// and marks it done; an entry the scheduler refused stays for <see cref="RedeliverOutboxAsync"/>.
    /// </summary>
    private async Task ApplyTimerChangesAsync(List<(string Id, PostAction Action)> outbox, CancellationToken cancellationToken)
    {
        if (outbox.Count > 0 && outbox[0] is (var id, PostAction.ChangeTimers timers))
        {
            outbox.RemoveAt(0);
            if (await TryChangeTimersAsync(timers, cancellationToken).ConfigureAwait(false))
            {
                await Store.DeleteOutboxAsync(id, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<bool> TryChangeTimersAsync(PostAction.ChangeTimers timers, CancellationToken cancellationToken)
    {
        if (TimerScheduler is null)
        {
            // Nothing to tell: the store's timer rows are fired by FireDueTimersAsync.
            return true;
        }

        try
        {
            await TimerScheduler.TimersChangedAsync(timers.Scheduled, timers.Removed, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSchedulerFailed(_logger, string.Join(", ", timers.Scheduled.Select(t => t.Id).Concat(timers.Removed)), ex);
            return false;
        }
    }

    /// <summary>
    /// A timer entry done again (after a crash or a scheduler failure): each instance timer it names is put on
    /// the scheduler as the store has it now, or taken off when its wait is gone, so that entries done late
    /// or out of order still leave the scheduler right. Start timer changes are applied as written.
    /// </summary>
    private async Task<bool> RedeliverTimersAsync(PostAction.ChangeTimers timers, CancellationToken cancellationToken)
    {
        var scheduled = new List<DueTimer>();
        var removed = new List<string>();
        var named = timers.Scheduled.Where(t => t.InstanceId is not null).Select(t => (t.Id, t.InstanceId!))
            .Concat(timers.Removed.Where(id => !id.StartsWith("start:", StringComparison.Ordinal)).Select(id => (id, id[..Math.Max(0, id.LastIndexOf(':'))])))
            .DistinctBy(t => t.Item1, StringComparer.Ordinal);
        foreach (var group in named.GroupBy(t => t.Item2, StringComparer.Ordinal))
        {
            var current = (await Store.QueryTimersAsync(group.Key, cancellationToken).ConfigureAwait(false)).ToDictionary(t => t.Id, StringComparer.Ordinal);
            foreach (var (timerId, _) in group)
            {
                if (current.TryGetValue(timerId, out var timer))
                {
                    scheduled.Add(timer);
                }
                else
                {
                    removed.Add(timerId);
                }
            }
        }

        scheduled.AddRange(timers.Scheduled.Where(t => t.InstanceId is null));
        removed.AddRange(timers.Removed.Where(id => id.StartsWith("start:", StringComparison.Ordinal)));
        return await TryChangeTimersAsync(new PostAction.ChangeTimers(scheduled, removed), cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell the timer scheduler about timers {TimerIds}; the outbox entry stays and is applied again by the outbox redelivery")]
    private static partial void LogSchedulerFailed(ILogger logger, string timerIds, Exception exception);

    /// <summary>Fires every timer due at the engine clock's now (up to <see cref="WorkflowEngineOptions.MaxTimersPerPoll"/>).</summary>
    public async Task<int> FireDueTimersAsync(CancellationToken cancellationToken = default)
    {
        var fired = 0;
        foreach (var timer in await Store.FindDueTimersAsync(Time.GetUtcNow(), Options.MaxTimersPerPoll, cancellationToken).ConfigureAwait(false))
        {
            if (await FireAsync(timer, cancellationToken).ConfigureAwait(false))
            {
                fired++;
            }
        }

        return fired;
    }

    /// <summary>Fires one timer now, whether or not it is due (administrators and tests).</summary>
    public async Task FireTimerAsync(string timerId, CancellationToken cancellationToken = default)
    {
        if (!await FireTimerByIdAsync(timerId, onlyIfDue: false, cancellationToken).ConfigureAwait(false))
        {
            throw new WorkflowException($"Timer '{timerId}' does not exist or has fired already.") { Code = "not-found" };
        }
    }

    /// <summary>
    /// Fires a timer by id if it still exists and (with <paramref name="onlyIfDue"/>) is due: what a scheduler's
    /// trigger calls; a trigger whose wait ended or moved fires into nothing. Returns whether it fired.
    /// </summary>
    public async Task<bool> FireTimerByIdAsync(string timerId, bool onlyIfDue = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(timerId);
        var now = Time.GetUtcNow();
        if (!timerId.StartsWith("start:", StringComparison.Ordinal))
        {
            var separator = timerId.LastIndexOf(':');
            if (separator <= 0 || !int.TryParse(timerId.AsSpan(separator + 1), System.Globalization.NumberStyles.None, CultureInfo.InvariantCulture, out var subscriptionId))
            {
                return false;
            }

            return await RunStepAsync(timerId[..separator], step => step.FireTimerIfDue(subscriptionId, onlyIfDue ? now : null), cancellationToken).ConfigureAwait(false);
        }

        var timer = (await Store.QueryTimersAsync(null, cancellationToken).ConfigureAwait(false)).FirstOrDefault(t => t.Id == timerId);
        return timer != default && (!onlyIfDue || timer.DueAt <= now) && await FireAsync(timer, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> FireAsync(DueTimer timer, CancellationToken cancellationToken)
    {
        if (timer.InstanceId is not null)
        {
            return await RunStepAsync(timer.InstanceId, step => step.FireTimer(timer.SubscriptionId, timer.DueAt), cancellationToken).ConfigureAwait(false);
        }

        if (!await Store.ClaimStartTimerAsync(timer, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        var definition = GetDefinitionOrLoad(timer.DefinitionId);
        var start = definition.Model.Container.StartEvents.First(s => s.Id == timer.ElementId);
        await StartAsync(definition, start, null, null, cancellationToken).ConfigureAwait(false);
        var firedCount = timer.FiredCount + 1;
        if (StartTimerSchedule(start)?.GetNextDue(timer.DueAt, firedCount) is { } next && GetDefinition(definition.Key) == definition)
        {
            await ScheduleStartTimerAsync(new DueTimer(next, null, 0, definition.Id, start.Id, firedCount), cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>A scope with no variables, for expressions evaluated outside any instance.</summary>
    private sealed class EmptyScope : IVariableScope
    {
        public static readonly EmptyScope Instance = new();

        public string? ProcessInstanceId => null;

        public string? BusinessKey => null;

        public string? ActivityId => null;

        public bool TryGetVariable(string name, out object? value)
        {
            value = null;
            return false;
        }

        public void SetVariable(string name, object? value) => throw new InvalidOperationException("No variables can be set here.");
    }
}
