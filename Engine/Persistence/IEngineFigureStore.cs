namespace ComplaintWorkflows.Engine.Persistence;

/// <summary>
/// Counts over the whole database for the engine's health (the same on every host of a shared database): running
/// instances, jobs due and overdue, instances with an open incident, outbox entries not yet done, timers overdue, and the
/// instances started and ended since a given time.
/// </summary>
public sealed record EngineFigures(int RunningInstances, int JobsDue, int JobsOverdue, int OpenIncidents, int OutboxBacklog, int TimersOverdue, int StartedSince, int EndedSince);

/// <summary>A running instance that nothing will move: no task, wait, job, external task, incident or running called instance.</summary>
public sealed record StuckInstance(string Id, string ProcessKey, string? BusinessKey, DateTimeOffset StartedAt);

/// <summary>A store that can count the engine's health figures (the relational store; the in-memory one has nothing to watch).</summary>
public interface IEngineFigureStore
{
    /// <summary>
    /// The figures at <paramref name="now"/>; a job or timer is overdue once it is <paramref name="overdueAfter"/> past its
    /// due time; instances started and ended are counted from <paramref name="since"/>.
    /// </summary>
    Task<EngineFigures> QueryFiguresAsync(DateTimeOffset now, TimeSpan overdueAfter, DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="max"/> stuck instances started before <paramref name="startedBefore"/>, oldest first.</summary>
    Task<IReadOnlyList<StuckInstance>> QueryStuckInstancesAsync(DateTimeOffset startedBefore, int max, CancellationToken cancellationToken = default);
}
