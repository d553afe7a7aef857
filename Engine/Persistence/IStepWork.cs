using System.Data.Common;

namespace ComplaintWorkflows.Engine.Persistence;

/// <summary>
/// Rows of the host's own tables (a complaint record, its timeline, a notification) that activities write as part of
/// their step: the store writes them in the transaction that commits the step, so they are stored exactly when the step
/// is. A step that loses a race and runs again, or that is not committed, leaves none of them, and a step never commits
/// without them. One piece of work of each kind is shared by the activities of a step
/// (<see cref="Activities.ActivityContext.StepWork{T}"/>); an activity adds to it only once it cannot fail any more, as
/// what it added stays with the step even when a later activity of the step fails.
/// </summary>
/// <remarks>The engine may dispose of a piece of work more than once; the second time does nothing.</remarks>
public interface IStepWork : IDisposable
{
    /// <summary>A connection to the database the rows belong in; the store takes the work only when that is its own database.</summary>
    DbConnection Database { get; }

    /// <summary>
    /// Writes the work on the step's connection inside its transaction (the same database as the engine's tables).
    /// Throwing rolls the whole step back; a <see cref="Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException"/>
    /// counts as a lost race, and the step is tried again where the engine tries steps again.
    /// </summary>
    Task WriteAsync(DbTransaction transaction, CancellationToken cancellationToken);

    /// <summary>After the step committed: tells whoever waits for the rows (wakes a worker). Should not throw: the engine logs what it throws and goes on, as the step is stored.</summary>
    void Committed();
}
