using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.Json;
using ComplaintWorkflows.Engine.Runtime;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace ComplaintWorkflows.Engine.Persistence;

/// <summary>
/// Keeps the engine's state in a relational database through EF Core: SQLite (a file, WAL mode) or
/// PostgreSQL. A step commits its instance snapshot and its task, wait and job rows in one transaction,
/// and only when the instance's revision is still the one it read (optimistic concurrency), so that
/// several hosts can share one database. Disposing it closes the connection its group commit keeps open.
/// </summary>
public sealed class EfWorkflowStore(IDbContextFactory<WorkflowDbContext> contexts, int stepsPerTransaction = 1) : IWorkflowStore, IAsyncDisposable, IDisposable
{
    /// <summary>The most steps a SQLite store writes in one transaction when steps commit at the same time (see <see cref="GroupCommit"/>).</summary>
    public const int DefaultStepsPerTransaction = 32;

    private readonly RowInserter _inserter = new();

    /// <summary>Writes steps committing at the same time in one transaction; null: each step in its own.</summary>
    private readonly GroupCommit? _groupCommit = stepsPerTransaction > 1 ? new GroupCommit(contexts, stepsPerTransaction) : null;

    /// <summary>This store's database as <see cref="DatabaseOf"/> names it (read once from a context's connection).</summary>
    private string? _database;

    /// <summary>
    /// The database of each connection string asked about (<see cref="CommitsStepWorkFor"/> is asked at each intake);
    /// null for a SQLite database private to its connection, which is named by the connection.
    /// </summary>
    private readonly ConcurrentDictionary<string, string?> _databases = new(StringComparer.Ordinal);

    /// <summary>A step's work for this store's own database is written in the step's transaction.</summary>
    public bool CommitsStepWorkFor(DbConnection database)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (_database is null)
        {
            using var db = contexts.CreateDbContext();
            _database = DatabaseOf(db.Database.GetDbConnection());
        }

        var named = _databases.GetOrAdd(database.ConnectionString, static (_, connection) => connection is SqliteConnection && IsPrivate(connection) ? null : DatabaseOf(connection), database);
        return string.Equals(_database, named ?? DatabaseOf(database), StringComparison.Ordinal);
    }

    public ValueTask DisposeAsync() => _groupCommit?.DisposeAsync() ?? ValueTask.CompletedTask;

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>A SQLite database of one connection only (in memory): its name depends on the connection, not its string.</summary>
    private static bool IsPrivate(DbConnection connection)
        => new SqliteConnectionStringBuilder(connection.ConnectionString).DataSource is not { Length: > 0 } file || file == ":memory:" || file.StartsWith("file:", StringComparison.Ordinal);

    /// <summary>A connection's database: the provider and, for SQLite, the file's full path, else the server and the database name.</summary>
    private static string DatabaseOf(DbConnection connection) => connection is SqliteConnection
        ? !IsPrivate(connection)
            ? "sqlite:" + Path.GetFullPath(new SqliteConnectionStringBuilder(connection.ConnectionString).DataSource)
            : "sqlite-private:" + connection.GetHashCode().ToString(System.Globalization.CultureInfo.InvariantCulture)
        : connection.GetType().FullName + ":" + connection.DataSource + "/" + connection.Database;

    /// <summary>
    /// A store on a SQLite database file, opened in WAL mode with a busy timeout; write transactions queue at the gate
    /// when one is given, and steps committing at the same time are written up to <paramref name="stepsPerTransaction"/>
    /// in one transaction (1: each in its own).
    /// </summary>
    public static EfWorkflowStore Sqlite(string path, SqliteWriteGate? gate = null, int stepsPerTransaction = DefaultStepsPerTransaction)
    {
        var connection = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();
        var options = new DbContextOptionsBuilder<SqliteWorkflowDbContext>()
            .UseSqlite(connection)
            .AddInterceptors(gate is null ? [new SqlitePragmas()] : [new SqlitePragmas(), gate])
            .Options;
        return new EfWorkflowStore(new Contexts<SqliteWorkflowDbContext>(new PooledDbContextFactory<SqliteWorkflowDbContext>(options)), stepsPerTransaction);
    }

    /// <summary>A store on a PostgreSQL database.</summary>
    public static EfWorkflowStore Postgres(string connectionString)
    {
        var options = new DbContextOptionsBuilder<PostgresWorkflowDbContext>().UseNpgsql(connectionString).Options;
        return new EfWorkflowStore(new Contexts<PostgresWorkflowDbContext>(new PooledDbContextFactory<PostgresWorkflowDbContext>(options)));
    }

    /// <summary>Brings the schema up to date with this version's migrations (creating it in a new database).</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Hands out contexts of a provider's concrete type as the shared base type.</summary>
    private sealed class Contexts<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<WorkflowDbContext>
        where TContext : WorkflowDbContext
    {
        public WorkflowDbContext CreateDbContext() => inner.CreateDbContext();

        public async Task<WorkflowDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default)
            => await inner.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task SaveDeploymentAsync(DeploymentInfo deployment, IReadOnlyList<DefinitionRecord> definitions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(definitions);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.Deployments.Add(new DeploymentRow
        {
            Id = deployment.Id,
            Name = deployment.Name,
            Source = deployment.Source,
            DeployedAt = deployment.DeployedAt.ToUnixTimeMilliseconds(),
            TenantId = deployment.TenantId,
            Resources = JsonSerializer.Serialize(deployment.ResourceHashes),
        });
        db.Definitions.AddRange(definitions.Select(definition => new DefinitionRow
        {
            Id = definition.Id,
            Key = definition.Key,
            Version = definition.Version,
            Xml = definition.Xml,
            ContentHash = definition.ContentHash,
            DeployedAt = definition.DeployedAt.ToUnixTimeMilliseconds(),
            DeploymentId = definition.DeploymentId,
            ResourceName = definition.ResourceName,
        }));
        try
        {
            // One SaveChanges: EF wraps the deployment and its definitions in one transaction.
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException ex)
        {
            var processes = string.Join(", ", definitions.Select(d => $"'{d.Key}' version {d.Version}"));
            throw new ConcurrencyException($"Process {processes} was deployed by someone else meanwhile; deploy again.", ex);
        }
    }

    public async Task<IReadOnlyList<DeploymentInfo>> QueryDeploymentsAsync(DeploymentQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        IQueryable<DeploymentRow> rows = db.Deployments.AsNoTracking();
        if (query.Id is { } id)
        {
            rows = rows.Where(d => d.Id == id);
        }

        if (query.Name is { } name)
        {
            rows = rows.Where(d => d.Name == name);
        }

        if (query.Source is { } source)
        {
            rows = rows.Where(d => d.Source == source);
        }

        if (query.DeployedAfter is { } after)
        {
            var at = after.ToUnixTimeMilliseconds();
            rows = rows.Where(d => d.DeployedAt > at);
        }

        if (query.DeployedBefore is { } before)
        {
            var at = before.ToUnixTimeMilliseconds();
            rows = rows.Where(d => d.DeployedAt < at);
        }

        var found = await rows.OrderBy(d => d.DeployedAt).ThenBy(d => d.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. found.Select(d => new DeploymentInfo(
            d.Id,
            d.Name,
            d.Source,
            DateTimeOffset.FromUnixTimeMilliseconds(d.DeployedAt),
            d.TenantId,
            JsonSerializer.Deserialize<Dictionary<string, string>>(d.Resources) ?? []))];
    }

    public async Task<bool> DeleteDeploymentAsync(string deploymentId, IReadOnlyList<string> definitionIds, bool cascade, OutboxEntry? trigger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definitionIds);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var ids = definitionIds.ToList();
        if (await db.Deployments.Where(d => d.Id == deploymentId).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            return false;
        }

        var instances = db.Instances.Where(i => ids.Contains(i.DefinitionId));
        var running = await instances.CountAsync(i => i.Status == (int)InstanceStatus.Active, cancellationToken).ConfigureAwait(false);
        if (running > 0 && !cascade)
        {
            throw InMemoryWorkflowStore.DeploymentInUse(deploymentId, running);
        }

        var instanceIds = instances.Select(i => i.Id);
        await db.Tasks.Where(t => instanceIds.Contains(t.InstanceId)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await db.Subscriptions.Where(t => instanceIds.Contains(t.InstanceId)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await db.Jobs.Where(t => instanceIds.Contains(t.InstanceId)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await db.Journal.Where(t => instanceIds.Contains(t.InstanceId)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await instances.ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await db.StartTimers.Where(t => ids.Contains(t.DefinitionId)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await db.Definitions.Where(d => ids.Contains(d.Id)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        AddOutbox(db, trigger);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<IReadOnlyList<DefinitionRecord>> LoadDefinitionsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Definitions.AsNoTracking().OrderBy(d => d.Key).ThenBy(d => d.Version).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(d => new DefinitionRecord(d.Id, d.Key, d.Version, d.Xml, d.ContentHash, DateTimeOffset.FromUnixTimeMilliseconds(d.DeployedAt), d.DeploymentId, d.ResourceName))];
    }

    public Task<IInstanceLease> CreateAsync(ProcessInstance instance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return Task.FromResult<IInstanceLease>(new Lease(this, instance, expectedRevision: null));
    }

    public async Task<IInstanceLease?> AcquireAsync(string instanceId, Func<string, ProcessDefinition> definitions, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var row = await db.Instances.AsNoTracking()
            .Where(i => i.Id == instanceId)
            .Select(i => new { i.State, i.Revision })
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return null;
        }

        var instance = InstanceSnapshot.Read(row.State, definitions);
        instance.Revision = row.Revision;
        return new Lease(this, instance, row.Revision);
    }

    public async Task<TaskLocation?> FindTaskAsync(string taskId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var row = await db.Tasks.AsNoTracking().Where(t => t.Id == taskId).Select(t => new { t.InstanceId, t.NodeId }).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return row is null ? null : new TaskLocation(row.InstanceId, row.NodeId);
    }

    public async Task<IReadOnlyList<TaskStamp>> QueryTaskStampsAsync(DateTimeOffset createdAfter, CancellationToken cancellationToken = default)
    {
        var after = createdAfter.ToUnixTimeMilliseconds();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Tasks.AsNoTracking().Where(t => t.CreatedAt > after).OrderBy(t => t.CreatedAt).ThenBy(t => t.Id)
            .Select(t => new { t.Id, t.CreatedAt }).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => new TaskStamp(r.Id, DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt)))];
    }

    public async Task<IReadOnlyList<TaskInfo>> QueryTasksAsync(TaskQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        IQueryable<TaskRow> tasks = db.Tasks.AsNoTracking();
        if (query.ProcessInstanceId is { } instanceId)
        {
            tasks = tasks.Where(t => t.InstanceId == instanceId);
        }

        if (query.Assignee is { } assignee)
        {
            tasks = tasks.Where(t => t.Assignee == assignee);
        }

        if (query.ElementId is { } elementId)
        {
            tasks = tasks.Where(t => t.ElementId == elementId);
        }

        if (query.CandidateUser is { } user)
        {
            var pattern = "%," + EscapeLike(user) + ",%";
            tasks = tasks.Where(t => EF.Functions.Like(t.CandidateUsers, pattern, "\\"));
        }

        if (query.CandidateGroup is { } group)
        {
            var pattern = "%," + EscapeLike(group) + ",%";
            tasks = tasks.Where(t => EF.Functions.Like(t.CandidateGroups, pattern, "\\"));
        }

        if (query.CreatedAfter is { } createdAfter)
        {
            var after = createdAfter.ToUnixTimeMilliseconds();
            tasks = tasks.Where(t => t.CreatedAt > after);
        }

        if (query.Ids is { } ids)
        {
            var wanted = ids.ToList();
            tasks = tasks.Where(t => wanted.Contains(t.Id));
        }

        var rows = await tasks.OrderBy(t => t.CreatedAt).ThenBy(t => t.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(ToInfo)];
    }

    public async Task<IReadOnlyList<WaitLocation>> FindMessageWaitsAsync(string name, string? correlationKey, string? businessKey, string? instanceId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var waits = db.Subscriptions.AsNoTracking().Where(s => s.Kind == (int)SubscriptionKind.Message && s.EventName == name);
        if (correlationKey is not null)
        {
            waits = waits.Where(s => s.CorrelationKey == correlationKey);
        }
        else if (instanceId is not null)
        {
            waits = waits.Where(s => s.InstanceId == instanceId);
        }
        else if (businessKey is not null)
        {
            waits = waits.Where(s => s.BusinessKey == businessKey);
        }

        var rows = await waits.Select(s => new { s.InstanceId, s.SubscriptionId }).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => new WaitLocation(r.InstanceId, r.SubscriptionId))];
    }

    public async Task<IReadOnlyList<WaitLocation>> FindSignalWaitsAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Subscriptions.AsNoTracking()
            .Where(s => s.Kind == (int)SubscriptionKind.Signal && s.EventName == name)
            .Select(s => new { s.InstanceId, s.SubscriptionId })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => new WaitLocation(r.InstanceId, r.SubscriptionId))];
    }

    public Task<IReadOnlyList<DueTimer>> FindDueTimersAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
        => TimersAsync(null, now.ToUnixTimeMilliseconds(), max, cancellationToken);

    public Task<IReadOnlyList<DueTimer>> QueryTimersAsync(string? instanceId, CancellationToken cancellationToken = default)
        => TimersAsync(instanceId, null, int.MaxValue, cancellationToken);

    private async Task<IReadOnlyList<DueTimer>> TimersAsync(string? instanceId, long? dueBy, int max, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var waits = db.Subscriptions.AsNoTracking().Where(s => s.Kind == (int)SubscriptionKind.Timer);
        if (instanceId is not null)
        {
            waits = waits.Where(s => s.InstanceId == instanceId);
        }

        if (dueBy is { } by)
        {
            waits = waits.Where(s => s.DueAt <= by);
        }

        var timers = (await waits.OrderBy(s => s.DueAt).Take(max).ToListAsync(cancellationToken).ConfigureAwait(false))
            .Select(s => new DueTimer(DateTimeOffset.FromUnixTimeMilliseconds(s.DueAt!.Value), s.InstanceId, s.SubscriptionId, s.DefinitionId, s.ElementId, s.FiredCount))
            .ToList();
        if (instanceId is null)
        {
            var starts = db.StartTimers.AsNoTracking();
            if (dueBy is { } by2)
            {
                starts = starts.Where(t => t.DueAt <= by2);
            }

            timers.AddRange((await starts.OrderBy(t => t.DueAt).Take(max).ToListAsync(cancellationToken).ConfigureAwait(false))
                .Select(t => new DueTimer(DateTimeOffset.FromUnixTimeMilliseconds(t.DueAt), null, 0, t.DefinitionId, t.ElementId, t.FiredCount)));
        }

        return [.. timers.OrderBy(t => t.DueAt).Take(max)];
    }

    public async Task<IReadOnlyList<JobInfo>> QueryJobsAsync(string? instanceId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var jobs = db.Jobs.AsNoTracking();
        if (instanceId is not null)
        {
            jobs = jobs.Where(j => j.InstanceId == instanceId);
        }

        var rows = await jobs.OrderBy(j => j.DueAt).ThenBy(j => j.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(ToInfo)];
    }

    public async Task<IReadOnlyList<JobInfo>> AcquireJobsAsync(string owner, DateTimeOffset now, int max, TimeSpan lockFor, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var at = now.ToUnixTimeMilliseconds();
        var until = (now + lockFor).ToUnixTimeMilliseconds();

        // One statement takes the batch; on PostgreSQL rows another host is taking are skipped, not waited for.
        var skipLocked = db.Database.IsNpgsql() ? " FOR UPDATE SKIP LOCKED" : "";
        var sql = $$"""
            UPDATE wf_job SET "LockOwner" = {0}, "LockExpiresAt" = {1}
            WHERE "Id" IN (
                SELECT j."Id" FROM wf_job j
                WHERE j."DueAt" <= {2} AND j."Retries" > 0 AND (j."LockExpiresAt" IS NULL OR j."LockExpiresAt" < {2})
                  AND NOT EXISTS (SELECT 1 FROM wf_job l WHERE l."InstanceId" = j."InstanceId" AND l."LockExpiresAt" >= {2})
                ORDER BY j."DueAt" LIMIT {3}{{skipLocked}})
            """;
        await db.Database.ExecuteSqlRawAsync(sql, [owner, until, at, max], cancellationToken).ConfigureAwait(false);
        var rows = await db.Jobs.AsNoTracking()
            .Where(j => j.LockOwner == owner && j.LockExpiresAt == until)
            .OrderBy(j => j.DueAt)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(ToInfo)];
    }

    public async Task<bool> ExtendJobLockAsync(string jobId, string owner, DateTimeOffset lockedUntil, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var until = lockedUntil.ToUnixTimeMilliseconds();
        return await db.Jobs.Where(j => j.Id == jobId && j.LockOwner == owner)
            .ExecuteUpdateAsync(u => u.SetProperty(j => j.LockExpiresAt, until), cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task FailJobAsync(string jobId, int retriesLeft, DateTimeOffset dueAt, string message, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var due = dueAt.ToUnixTimeMilliseconds();
        var text = message.Length > 4000 ? message[..4000] : message;
        await db.Jobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(
            u => u.SetProperty(j => j.Retries, retriesLeft)
                .SetProperty(j => j.DueAt, due)
                .SetProperty(j => j.ExceptionMessage, text)
                .SetProperty(j => j.LockOwner, (string?)null)
                .SetProperty(j => j.LockExpiresAt, (long?)null),
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> SetJobRetriesAsync(string jobId, int retries, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var due = now.ToUnixTimeMilliseconds();
        return await db.Jobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(
            u => u.SetProperty(j => j.Retries, retries)
                .SetProperty(j => j.DueAt, due)
                .SetProperty(j => j.LockOwner, (string?)null)
                .SetProperty(j => j.LockExpiresAt, (long?)null),
            cancellationToken).ConfigureAwait(false) == 1;
    }

    private static JobInfo ToInfo(JobRow j) => new(
        j.Id,
        j.InstanceId,
        j.ElementId,
        (WaitKind)j.Kind,
        DateTimeOffset.FromUnixTimeMilliseconds(j.DueAt),
        j.Retries,
        j.ExceptionMessage,
        j.LockOwner,
        j.LockExpiresAt is { } until ? DateTimeOffset.FromUnixTimeMilliseconds(until) : null);

    public async Task<IReadOnlyList<ProcessInstanceInfo>> QueryInstancesAsync(string? definitionKey, bool activeOnly, bool withIncidentOnly = false, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var instances = db.Instances.AsNoTracking();
        if (definitionKey is not null)
        {
            instances = instances.Where(i => i.DefinitionKey == definitionKey);
        }

        if (activeOnly)
        {
            instances = instances.Where(i => i.Status == (int)InstanceStatus.Active);
        }

        if (withIncidentOnly)
        {
            instances = instances.Where(i => i.HasIncident);
        }

        var rows = await instances.OrderBy(i => i.StartedAt).ThenBy(i => i.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        var versions = await db.Definitions.AsNoTracking().Select(d => new { d.Id, d.Version }).ToDictionaryAsync(d => d.Id, d => d.Version, cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(i => new ProcessInstanceInfo(
            i.Id,
            i.DefinitionId,
            i.DefinitionKey,
            versions.GetValueOrDefault(i.DefinitionId),
            i.BusinessKey,
            (InstanceStatus)i.Status,
            DateTimeOffset.FromUnixTimeMilliseconds(i.StartedAt),
            i.EndedAt is { } ended ? DateTimeOffset.FromUnixTimeMilliseconds(ended) : null,
            i.ParentInstanceId,
            []))];
    }

    public async Task<IReadOnlyList<OutboxEntry>> FindOutboxAsync(DateTimeOffset createdBefore, int max, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var before = createdBefore.ToUnixTimeMilliseconds();
        var rows = await db.Outbox.AsNoTracking().Where(o => o.CreatedAt < before).OrderBy(o => o.CreatedAt).Take(max).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(o => new OutboxEntry(o.Id, DateTimeOffset.FromUnixTimeMilliseconds(o.CreatedAt), o.Payload))];
    }

    public async Task DeleteOutboxAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await db.Outbox.Where(o => o.Id == id).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await db.Deliveries.Where(d => d.DeliveryId == id).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<string>> FindDeliveryReceiversAsync(string deliveryId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Deliveries.AsNoTracking().Where(d => d.DeliveryId == deliveryId).Select(d => d.Receiver).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<JournalEntry>> QueryJournalAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Journal.AsNoTracking().Where(j => j.InstanceId == instanceId).OrderBy(j => j.FirstSequence).Select(j => j.Entries).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.SelectMany(JournalJson.Read)];
    }

    public async Task ScheduleStartTimerAsync(string definitionId, string elementId, DateTimeOffset dueAt, int firedCount, OutboxEntry? trigger = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await db.StartTimers.Where(t => t.DefinitionId == definitionId && t.ElementId == elementId).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        db.StartTimers.Add(new StartTimerRow { DefinitionId = definitionId, ElementId = elementId, DueAt = dueAt.ToUnixTimeMilliseconds(), FiredCount = firedCount });
        AddOutbox(db, trigger);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task RemoveStartTimersAsync(string definitionId, OutboxEntry? trigger = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await db.StartTimers.Where(t => t.DefinitionId == definitionId).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        AddOutbox(db, trigger);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void AddOutbox(WorkflowDbContext db, OutboxEntry? entry)
    {
        if (entry is not null)
        {
            db.Outbox.Add(new OutboxRow { Id = entry.Id, CreatedAt = entry.CreatedAt.ToUnixTimeMilliseconds(), Payload = entry.Payload });
        }
    }

    public async Task<bool> ClaimStartTimerAsync(DueTimer timer, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var due = timer.DueAt.ToUnixTimeMilliseconds();
        var claimed = await db.StartTimers
            .Where(t => t.DefinitionId == timer.DefinitionId && t.ElementId == timer.ElementId && t.DueAt == due)
            .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        return claimed == 1;
    }

    private static TaskInfo ToInfo(TaskRow t) => new(
        t.Id,
        t.Name,
        t.ElementId,
        t.InstanceId,
        t.DefinitionKey,
        t.BusinessKey,
        t.Assignee,
        SplitList(t.CandidateUsers),
        SplitList(t.CandidateGroups),
        t.DueDate is { } due ? DateTimeOffset.FromUnixTimeMilliseconds(due) : null,
        t.FollowUpDate is { } followUp ? DateTimeOffset.FromUnixTimeMilliseconds(followUp) : null,
        t.Priority,
        t.FormKey,
        DateTimeOffset.FromUnixTimeMilliseconds(t.CreatedAt));

    private static string JoinList(IReadOnlyList<string> values) => values.Count == 0 ? "" : "," + string.Join(',', values) + ",";

    private static string[] SplitList(string value) => value.Split(',', StringSplitOptions.RemoveEmptyEntries);

    private static string EscapeLike(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    private static TaskRow ToRow(ProcessInstance instance, ExecutionNode node)
    {
        var task = InstanceViews.Task(instance, node);
        return new TaskRow
        {
            Id = task.Id,
            InstanceId = instance.Id,
            NodeId = node.Id,
            ElementId = task.ElementId,
            Name = task.Name,
            DefinitionKey = task.DefinitionKey,
            BusinessKey = task.BusinessKey,
            Assignee = task.Assignee,
            CandidateUsers = JoinList(task.CandidateUsers),
            CandidateGroups = JoinList(task.CandidateGroups),
            DueDate = task.DueDate?.ToUnixTimeMilliseconds(),
            FollowUpDate = task.FollowUpDate?.ToUnixTimeMilliseconds(),
            Priority = task.Priority,
            FormKey = task.FormKey,
            CreatedAt = task.CreatedAt.ToUnixTimeMilliseconds(),
        };
    }

    private async Task CommitAsync(ProcessInstance instance, long? expectedRevision, StepChanges changes, CancellationToken cancellationToken)
    {
        // Everything but the database work is done before the transaction, which on SQLite holds the write lock.
        var state = InstanceSnapshot.Write(instance);
        var journal = changes.Journal.Count > 0 ? JournalJson.Write(changes.Journal) : null;
        if (_groupCommit is { } group)
        {
            await group.WriteAsync((db, token) => WriteStepAsync(db, instance, expectedRevision, changes, state, journal, token), cancellationToken).ConfigureAwait(false);
            return;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await WriteStepAsync(db, instance, expectedRevision, changes, state, journal, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes a step's rows and work in the open transaction of <paramref name="db"/>.</summary>
    private async Task WriteStepAsync(WorkflowDbContext db, ProcessInstance instance, long? expectedRevision, StepChanges changes, string state, string? journal, CancellationToken cancellationToken)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction() ?? throw new InvalidOperationException("A step is written inside a transaction.");
        var hasIncident = instance.Incidents.Count > 0;
        var endedAt = instance.EndedAt?.ToUnixTimeMilliseconds();
        var rows = new List<object>();
        if (expectedRevision is null)
        {
            rows.Add(new InstanceRow
            {
                Id = instance.Id,
                DefinitionId = instance.Definition.Id,
                DefinitionKey = instance.Definition.Key,
                BusinessKey = instance.BusinessKey,
                Status = (int)instance.Status,
                Revision = instance.Revision,
                State = state,
                StartedAt = instance.StartedAt.ToUnixTimeMilliseconds(),
                EndedAt = endedAt,
                ParentInstanceId = instance.ParentInstanceId,
                HasIncident = hasIncident,
            });
        }
        else
        {
            var expected = expectedRevision.Value;
            var status = (int)instance.Status;
            var revision = instance.Revision;
            var updated = await db.Instances
                .Where(i => i.Id == instance.Id && i.Revision == expected)
                .ExecuteUpdateAsync(
                    u => u.SetProperty(i => i.State, state)
                        .SetProperty(i => i.Revision, revision)
                        .SetProperty(i => i.Status, status)
                        .SetProperty(i => i.EndedAt, endedAt)
                        .SetProperty(i => i.HasIncident, hasIncident),
                    cancellationToken).ConfigureAwait(false);
            if (updated != 1)
            {
                throw new ConcurrencyException($"Process instance '{instance.Id}' was changed by someone else meanwhile.");
            }
        }

        await ApplyAsync(db, instance, changes, rows, cancellationToken).ConfigureAwait(false);
        rows.AddRange(changes.Outbox.Select(o => new OutboxRow { Id = o.Id, CreatedAt = o.CreatedAt.ToUnixTimeMilliseconds(), Payload = o.Payload }));
        if (changes.Delivery is { } delivery)
        {
            rows.Add(new DeliveryRow { DeliveryId = delivery.Id, Receiver = delivery.Receiver });
        }
        if (changes.Journal.Count > 0)
        {
            rows.Add(new JournalRow
            {
                InstanceId = instance.Id,
                FirstSequence = changes.Journal[0].Sequence,
                LastSequence = changes.Journal[^1].Sequence,
                At = changes.Journal[0].At.ToUnixTimeMilliseconds(),
                Entries = journal!,
            });
        }

        try
        {
            await _inserter.InsertAsync(db, rows, cancellationToken).ConfigureAwait(false);
        }
        catch (DbException ex) when (expectedRevision is null || changes.Delivery is not null)
        {
            throw new ConcurrencyException(
                changes.Delivery is { } applied
                    ? $"Process instance '{instance.Id}' exists already, or outbox entry '{applied.Id}' was applied by '{applied.Receiver}' already."
                    : $"Process instance '{instance.Id}' exists already.",
                ex);
        }

        foreach (var work in changes.Work)
        {
            try
            {
                await work.WriteAsync(transaction, cancellationToken).ConfigureAwait(false);
            }
            catch (DbUpdateConcurrencyException ex)
            {
                throw new ConcurrencyException($"A step of process instance '{instance.Id}' wrote a record someone else changed meanwhile: {ex.Message}", ex);
            }
        }
    }

    /// <summary>Writes the net effect of a step's changes: rows created and ended in the same step are never written.</summary>
    private static async Task ApplyAsync(WorkflowDbContext db, ProcessInstance instance, StepChanges changes, List<object> rows, CancellationToken cancellationToken)
    {
        var tasks = new Dictionary<string, (bool Existed, StepChanges.Change Last)>(StringComparer.Ordinal);
        var subscriptions = new Dictionary<int, (bool Existed, StepChanges.Change Last)>();
        var jobs = new Dictionary<int, (bool Existed, StepChanges.Change Last)>();
        foreach (var change in changes.Items)
        {
            switch (change.Kind)
            {
                case StepChanges.ChangeKind.TaskCreated or StepChanges.ChangeKind.TaskRemoved or StepChanges.ChangeKind.TaskUpdated:
                    tasks[change.TaskId!] = (tasks.TryGetValue(change.TaskId!, out var t) ? t.Existed : change.Kind != StepChanges.ChangeKind.TaskCreated, change);
                    break;
                case StepChanges.ChangeKind.SubscriptionAdded or StepChanges.ChangeKind.SubscriptionRemoved:
                    var id = change.Subscription!.Id;
                    subscriptions[id] = (subscriptions.TryGetValue(id, out var s) ? s.Existed : change.Kind == StepChanges.ChangeKind.SubscriptionRemoved, change);
                    break;
                default:
                    jobs[change.NodeId] = (jobs.TryGetValue(change.NodeId, out var j) ? j.Existed : change.Kind == StepChanges.ChangeKind.JobRemoved, change);
                    break;
            }
        }

        foreach (var (taskId, (existed, last)) in tasks)
        {
            var node = last.Kind == StepChanges.ChangeKind.TaskRemoved ? null : instance.FindNode(last.NodeId);
            if (existed)
            {
                await db.Tasks.Where(r => r.Id == taskId).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
            }

            if (node?.Task?.TaskId == taskId)
            {
                rows.Add(ToRow(instance, node));
            }
        }

        var instanceId = instance.Id;
        var touched = subscriptions.Where(s => s.Value.Existed).Select(s => s.Key).ToList();
        if (touched.Count > 0)
        {
            await db.Subscriptions.Where(r => r.InstanceId == instanceId && touched.Contains(r.SubscriptionId)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var (_, (_, last)) in subscriptions.Where(s => s.Value.Last.Kind == StepChanges.ChangeKind.SubscriptionAdded))
        {
            var subscription = last.Subscription!;
            rows.Add(new SubscriptionRow
            {
                InstanceId = instanceId,
                SubscriptionId = subscription.Id,
                Kind = (int)subscription.Kind,
                EventName = subscription.EventName,
                CorrelationKey = subscription.CorrelationKey,
                BusinessKey = instance.BusinessKey,
                ElementId = subscription.EventElementId,
                DefinitionId = instance.Definition.Id,
                DueAt = subscription.DueAt?.ToUnixTimeMilliseconds(),
                FiredCount = subscription.FiredCount,
            });
        }

        var endedJobs = jobs.Where(j => j.Value.Existed).Select(j => JobInfo.IdOf(instanceId, j.Key)).ToList();
        if (endedJobs.Count > 0)
        {
            await db.Jobs.Where(r => endedJobs.Contains(r.Id)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var (nodeId, (_, last)) in jobs.Where(j => j.Value.Last.Kind == StepChanges.ChangeKind.JobAdded))
        {
            var node = instance.FindNode(nodeId)!;
            rows.Add(new JobRow
            {
                Id = JobInfo.IdOf(instanceId, nodeId),
                InstanceId = instanceId,
                NodeId = nodeId,
                ElementId = node.ElementId,
                Kind = (int)node.Wait,
                DueAt = last.DueAt!.Value.ToUnixTimeMilliseconds(),
                Retries = last.Retries,
            });
        }
    }

    private sealed class Lease(EfWorkflowStore store, ProcessInstance instance, long? expectedRevision) : IInstanceLease
    {
        public ProcessInstance Instance => instance;

        public async Task CommitAsync(StepChanges changes, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(changes);
            instance.Revision = (expectedRevision ?? instance.Revision) + 1;
            await store.CommitAsync(instance, expectedRevision, changes, cancellationToken).ConfigureAwait(false);
        }

        public void Checkpoint()
        {
            // The instance is this lease's own copy; a discarded step is simply not committed.
        }

        public void Discard()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
