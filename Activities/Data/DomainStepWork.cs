using System.Data.Common;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace ComplaintWorkflows.Activities.Data;

/// <summary>
/// The domain rows a step's activities write (a complaint's record, its timeline, notifications), kept on one context
/// for the whole step and written by the engine in the transaction that commits the step: a complaint's stage is
/// stored exactly when the process is seen to have reached it, and a step run again after a lost race does not
/// record it twice. Activities of one step share it, so the second stage of a step sees the record as the first left it.
/// </summary>
public sealed class DomainStepWork : IStepWork, IAsyncDisposable
{
    private readonly DomainDbContext _db;
    private readonly RowInserter _rows;
    private readonly List<object> _updated = [];
    private readonly List<object> _added = [];
    private readonly List<object> _inserted = [];
    private readonly List<Action> _committed = [];
    private bool _disposed;

    private DomainStepWork(DomainDbContext db, RowInserter rows, bool own = false)
    {
        _db = db;
        _rows = rows;
        Own = own;
    }

    /// <summary>The activity's own work (<see cref="For"/> when the step could not take it): <see cref="SaveAsync"/> writes it.</summary>
    public bool Own { get; }

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
    private static DomainStepWork? Of(ActivityContext context, IDbContextFactory<DomainDbContext> contexts, RowInserter rows)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(contexts);
        return context.StepWork(() => new DomainStepWork(contexts.CreateDbContext(), rows));
    }

    /// <summary>
    /// The step's domain work when the engine's store writes it with the step; else work of the activity's own (an
    /// engine in memory, or on another database), which <see cref="SaveAsync"/> writes in a transaction of its own.
    /// Either way the activity adds to it, calls <see cref="SaveAsync"/> when done, and disposes of it
    /// (<c>await using</c>): the step's work is the engine's to dispose of, so that leaves it alone.
    /// </summary>
    public static DomainStepWork For(ActivityContext context, IDbContextFactory<DomainDbContext> contexts, RowInserter rows)
    {
        ArgumentNullException.ThrowIfNull(contexts);
        return Of(context, contexts, rows) ?? new DomainStepWork(contexts.CreateDbContext(), rows, own: true);
    }

    /// <summary>
    /// The context an activity reads on during its step: the step's when the engine's store writes the step's domain
    /// work (the reads then take no connection of their own, and see the records the step has already); null otherwise,
    /// when the activity reads on a context of its own. Read without tracking: what the step tracks is the step's.
    /// </summary>
    public static DomainDbContext? ReadingContext(ActivityContext context, IDbContextFactory<DomainDbContext> contexts, RowInserter rows)
        => Of(context, contexts, rows)?.Db;

    /// <summary>
    /// Writes what the activity added when the work is its own (in one transaction, then runs what waits for the
    /// commit); for the step's work nothing: the engine writes it with the step.
    /// </summary>
    public async Task SaveAsync(CancellationToken cancellationToken = default)
    {
        if (!Own)
        {
            return;
        }

        var transaction = await _db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            try
            {
                await WriteAsync(transaction.GetDbTransaction(), cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                // Rolled back, not just disposed: the context's connection stays open, and only a rollback ends the write turn (see SqliteWriteGate).
                await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                throw;
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        _updated.Clear();
        _added.Clear();
        _inserted.Clear();
        Committed();
        _committed.Clear();
    }

    /// <summary>A record by its key: one the step has already (as it left it, a new one included), else read from the database and tracked.</summary>
    public ValueTask<T?> FindAsync<T>(object key, CancellationToken cancellationToken = default)
        where T : class
        => _db.Set<T>().FindAsync([key], cancellationToken);

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

    /// <summary>Disposes of the activity's own work; the step's is the engine's to dispose of.</summary>
    public ValueTask DisposeAsync()
    {
        if (Own)
        {
            Dispose();
        }

        return ValueTask.CompletedTask;
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
