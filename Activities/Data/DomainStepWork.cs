using System.Data.Common;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Activities.Data;

/// <summary>
/// The domain rows a step's activities write (a complaint's record, its timeline, notifications), kept on one context
/// for the whole step and written by the engine in the transaction that commits the step: a complaint's stage is
/// stored exactly when the process is seen to have reached it, and a step run again after a lost race does not
/// record it twice. Activities of one step share it, so the second stage of a step sees the record as the first left it.
/// </summary>
public sealed class DomainStepWork : IStepWork
{
    private readonly DomainDbContext _db;
    private readonly RowInserter _rows;
    private readonly List<object> _updated = [];
    private readonly List<object> _added = [];
    private readonly List<object> _inserted = [];
    private readonly List<Action> _committed = [];
    private bool _disposed;

    private DomainStepWork(DomainDbContext db, RowInserter rows)
    {
        _db = db;
        _rows = rows;
    }

    /// <summary>
    /// Work on <paramref name="db"/> for a step about to begin (<see cref="Engine.Runtime.WorkflowEngine.StartProcessAsync(string, IReadOnlyDictionary{string, object?}?, string?, IReadOnlyList{IStepWork}, CancellationToken)"/>),
    /// which the step's activities then share; the work disposes of the context.
    /// </summary>
    public static DomainStepWork On(DomainDbContext db, RowInserter rows)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(rows);
        return new DomainStepWork(db, rows);
    }

    /// <summary>The step's domain work, or null when the engine's store cannot write it with the step (then write on your own).</summary>
    public static DomainStepWork? Of(ActivityContext context, IDbContextFactory<DomainDbContext> contexts, RowInserter rows)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(contexts);
        return context.StepWork(() => new DomainStepWork(contexts.CreateDbContext(), rows));
    }

    /// <summary>The step's context: read through it (tracked entities are the step's), but do not save it.</summary>
    public DomainDbContext Db => _db;

    public DbConnection Database => _db.Database.GetDbConnection();

    /// <summary>
    /// A new record the step's activities find on <see cref="Db"/> (tracked as added) and may change; inserted with the
    /// step as they leave it, before the other rows.
    /// </summary>
    public void Add(object entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        _db.Add(entity);
        _added.Add(entity);
    }

    /// <summary>Writes the changed columns of <paramref name="entity"/> (tracked by <see cref="Db"/>) with the step; a record added with the step is inserted as it is.</summary>
    public void Update(object entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        if (!_updated.Contains(entity) && !_added.Contains(entity))
        {
            _updated.Add(entity);
        }
    }

    /// <summary>Inserts the rows with the step, after the updates, in order.</summary>
    public void Insert(params ReadOnlySpan<object?> rows)
    {
        foreach (var row in rows)
        {
            if (row is not null)
            {
                _inserted.Add(row);
            }
        }
    }

    /// <summary>Runs after the step committed (say, wakes a worker for a notification written with it).</summary>
    public void OnCommitted(Action action) => _committed.Add(action);

    public async Task WriteAsync(DbTransaction transaction, CancellationToken cancellationToken)
    {
        foreach (var entity in _updated)
        {
            await _rows.UpdateAsync(_db, transaction, entity, cancellationToken).ConfigureAwait(false);
        }

        await _rows.InsertAsync(_db, transaction, [.. _added, .. _inserted], cancellationToken).ConfigureAwait(false);
    }

    public void Committed()
    {
        foreach (var action in _committed)
        {
            action();
        }
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _db.Dispose();
        }
    }
}
