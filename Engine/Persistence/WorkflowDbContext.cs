using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Engine.Persistence;

/// <summary>
/// The engine's tables. An instance is one row holding its versioned snapshot (the whole state) and a
/// revision for optimistic concurrency; tasks, waits (subscriptions), start timers and jobs are rows of
/// their own so they can be found without loading instances. Times are stored as Unix milliseconds (UTC)
/// so that SQLite and PostgreSQL compare and order them alike.
/// </summary>
public abstract class WorkflowDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<DefinitionRow> Definitions => Set<DefinitionRow>();

    public DbSet<InstanceRow> Instances => Set<InstanceRow>();

    public DbSet<TaskRow> Tasks => Set<TaskRow>();

    /// <summary>A task's candidate users and groups, one row each, for the groups' inbox (keyset over an index).</summary>
    public DbSet<TaskCandidateRow> TaskCandidates => Set<TaskCandidateRow>();

    public DbSet<SubscriptionRow> Subscriptions => Set<SubscriptionRow>();

    public DbSet<StartTimerRow> StartTimers => Set<StartTimerRow>();

    public DbSet<JobRow> Jobs => Set<JobRow>();

    public DbSet<JournalRow> Journal => Set<JournalRow>();

    public DbSet<OutboxRow> Outbox => Set<OutboxRow>();

    public DbSet<DeploymentRow> Deployments => Set<DeploymentRow>();

    public DbSet<DeliveryRow> Deliveries => Set<DeliveryRow>();

    public DbSet<ExternalTaskRow> ExternalTasks => Set<ExternalTaskRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<DefinitionRow>(e =>
        {
            e.ToTable("wf_definition");
            e.HasKey(d => d.Id);
            e.Property(d => d.Id).HasMaxLength(300);
            e.Property(d => d.Key).HasMaxLength(255);
            e.Property(d => d.ContentHash).HasMaxLength(64);
            e.Property(d => d.DeploymentId).HasMaxLength(64);
            e.Property(d => d.ResourceName).HasMaxLength(255);
            e.HasIndex(d => new { d.Key, d.Version }).IsUnique();
            e.HasIndex(d => d.DeploymentId);
        });
        modelBuilder.Entity<DeploymentRow>(e =>
        {
            e.ToTable("wf_deployment");
            e.HasKey(d => d.Id);
            e.Property(d => d.Id).HasMaxLength(64);
            e.Property(d => d.Name).HasMaxLength(255);
            e.Property(d => d.Source).HasMaxLength(255);
            e.Property(d => d.TenantId).HasMaxLength(64);
            e.HasIndex(d => new { d.Name, d.Source });
            e.HasIndex(d => d.DeployedAt);
        });
        modelBuilder.Entity<DeliveryRow>(e =>
        {
            e.ToTable("wf_delivery");
            e.HasKey(d => new { d.DeliveryId, d.Receiver });
            e.Property(d => d.DeliveryId).HasMaxLength(64);
            e.Property(d => d.Receiver).HasMaxLength(600);
        });
        modelBuilder.Entity<InstanceRow>(e =>
        {
            e.ToTable("wf_instance");
            e.HasKey(i => i.Id);
            e.Property(i => i.Id).HasMaxLength(64);
            e.Property(i => i.DefinitionId).HasMaxLength(300);
            e.Property(i => i.DefinitionKey).HasMaxLength(255);
            e.Property(i => i.BusinessKey).HasMaxLength(255);
            e.Property(i => i.ParentInstanceId).HasMaxLength(64);
            e.HasIndex(i => new { i.DefinitionKey, i.Status });
            e.HasIndex(i => i.BusinessKey);
        });
        modelBuilder.Entity<TaskRow>(e =>
        {
            e.ToTable("wf_task");
            e.HasKey(t => t.Id);
            e.Property(t => t.Id).HasMaxLength(64);
            e.Property(t => t.InstanceId).HasMaxLength(64);
            e.Property(t => t.ElementId).HasMaxLength(255);
            e.Property(t => t.Assignee).HasMaxLength(255);
            e.Property(t => t.Owner).HasMaxLength(255);
            e.Property(t => t.DelegationState).HasMaxLength(16);
            e.Property(t => t.DefinitionKey).HasMaxLength(255);
            e.Property(t => t.BusinessKey).HasMaxLength(255);
            e.HasIndex(t => t.InstanceId);
            e.HasIndex(t => t.Assignee);
            e.HasIndex(t => t.CreatedAt);
            e.HasIndex(t => new { t.Assignee, t.DueSort, t.CreatedAt, t.Id });
        });
        modelBuilder.Entity<TaskCandidateRow>(e =>
        {
            e.ToTable("wf_task_candidate");
            e.HasKey(c => new { c.TaskId, c.Kind, c.Name });
            e.Property(c => c.TaskId).HasMaxLength(64);
            e.Property(c => c.Name).HasMaxLength(255);
            e.HasIndex(c => new { c.Kind, c.Name, c.Claimed, c.DueSort, c.CreatedAt, c.TaskId });
        });
        modelBuilder.Entity<SubscriptionRow>(e =>
        {
            e.ToTable("wf_subscription");
            e.HasKey(s => new { s.InstanceId, s.SubscriptionId });
            e.Property(s => s.InstanceId).HasMaxLength(64);
            e.Property(s => s.EventName).HasMaxLength(255);
            e.Property(s => s.CorrelationKey).HasMaxLength(255);
            e.Property(s => s.BusinessKey).HasMaxLength(255);
            e.Property(s => s.ElementId).HasMaxLength(255);
            e.Property(s => s.DefinitionId).HasMaxLength(300);
            e.HasIndex(s => new { s.Kind, s.EventName, s.CorrelationKey });
            e.HasIndex(s => new { s.Kind, s.EventName, s.BusinessKey });
            e.HasIndex(s => new { s.Kind, s.DueAt });
        });
        modelBuilder.Entity<StartTimerRow>(e =>
        {
            e.ToTable("wf_start_timer");
            e.HasKey(t => new { t.DefinitionId, t.ElementId });
            e.Property(t => t.DefinitionId).HasMaxLength(300);
            e.Property(t => t.ElementId).HasMaxLength(255);
            e.HasIndex(t => t.DueAt);
        });
        modelBuilder.Entity<JournalRow>(e =>
        {
            e.ToTable("wf_journal");
            e.HasKey(j => new { j.InstanceId, j.FirstSequence });
            e.Property(j => j.InstanceId).HasMaxLength(64);
        });
        modelBuilder.Entity<OutboxRow>(e =>
        {
            e.ToTable("wf_outbox");
            e.HasKey(o => o.Id);
            e.Property(o => o.Id).HasMaxLength(64);
            e.HasIndex(o => o.CreatedAt);
        });
        modelBuilder.Entity<JobRow>(e =>
        {
            e.ToTable("wf_job");
            e.HasKey(j => j.Id);
            e.Property(j => j.Id).HasMaxLength(80);
            e.Property(j => j.InstanceId).HasMaxLength(64);
            e.Property(j => j.ElementId).HasMaxLength(255);
            e.Property(j => j.LockOwner).HasMaxLength(100);
            e.HasIndex(j => j.InstanceId);
            e.HasIndex(j => j.DueAt);
        });
        modelBuilder.Entity<ExternalTaskRow>(e =>
        {
            e.ToTable("wf_external_task");
            e.HasKey(t => t.Id);
            e.Property(t => t.Id).HasMaxLength(64);
            e.Property(t => t.Topic).HasMaxLength(255);
            e.Property(t => t.InstanceId).HasMaxLength(64);
            e.Property(t => t.ElementId).HasMaxLength(255);
            e.Property(t => t.DefinitionId).HasMaxLength(300);
            e.Property(t => t.DefinitionKey).HasMaxLength(255);
            e.Property(t => t.BusinessKey).HasMaxLength(255);
            e.Property(t => t.WorkerId).HasMaxLength(255);
            e.Property(t => t.ErrorMessage).HasMaxLength(4000);
            e.HasIndex(t => new { t.Topic, t.LockExpiresAt });
            e.HasIndex(t => t.InstanceId);
        });
    }
}

/// <summary>The tables on SQLite, with SQLite's migrations (Persistence/Migrations/Sqlite).</summary>
public sealed class SqliteWorkflowDbContext(DbContextOptions<SqliteWorkflowDbContext> options) : WorkflowDbContext(options);

/// <summary>The tables on PostgreSQL, with PostgreSQL's migrations (Persistence/Migrations/Postgres).</summary>
public sealed class PostgresWorkflowDbContext(DbContextOptions<PostgresWorkflowDbContext> options) : WorkflowDbContext(options);

/// <summary>Lets <c>dotnet ef migrations add</c> build the SQLite context without a host.</summary>
internal sealed class SqliteDesignTimeFactory : Microsoft.EntityFrameworkCore.Design.IDesignTimeDbContextFactory<SqliteWorkflowDbContext>
{
    public SqliteWorkflowDbContext CreateDbContext(string[] args)
        => new(new DbContextOptionsBuilder<SqliteWorkflowDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>Lets <c>dotnet ef migrations add</c> build the PostgreSQL context without a server.</summary>
internal sealed class PostgresDesignTimeFactory : Microsoft.EntityFrameworkCore.Design.IDesignTimeDbContextFactory<PostgresWorkflowDbContext>
{
    public PostgresWorkflowDbContext CreateDbContext(string[] args)
        => new(new DbContextOptionsBuilder<PostgresWorkflowDbContext>().UseNpgsql("Host=localhost;Database=design-time").Options);
}

public sealed class DefinitionRow
{
    public required string Id { get; set; }

    public required string Key { get; set; }

    public int Version { get; set; }

    public required string Xml { get; set; }

    public required string ContentHash { get; set; }

    public long DeployedAt { get; set; }

    /// <summary>The deployment that created this version (null for versions older than recorded deployments).</summary>
    public string? DeploymentId { get; set; }

    /// <summary>The deployment's file this version came from.</summary>
    public string? ResourceName { get; set; }
}

/// <summary>A deployment: when, by what name and source, with which files (name to content hash, as JSON).</summary>
public sealed class DeploymentRow
{
    public required string Id { get; set; }

    public string? Name { get; set; }

    public string? Source { get; set; }

    public long DeployedAt { get; set; }

    public string? TenantId { get; set; }

    /// <summary>A JSON object: resource name to SHA-256 of its content (lower-case hex).</summary>
    public required string Resources { get; set; }
}

/// <summary>
/// An outbox entry a receiver (an instance, or a start event) has applied, written in the receiver's own
/// transaction, so that the entry delivered again after a crash changes nothing; deleted with the entry.
/// </summary>
public sealed class DeliveryRow
{
    public required string DeliveryId { get; set; }

    public required string Receiver { get; set; }
}

public sealed class InstanceRow
{
    public required string Id { get; set; }

    public required string DefinitionId { get; set; }

    public required string DefinitionKey { get; set; }

    public string? BusinessKey { get; set; }

    public int Status { get; set; }

    /// <summary>Incremented by every committed step; a step commits only if it read the current revision.</summary>
    public long Revision { get; set; }

    /// <summary>The instance snapshot (versioned JSON, see the engine's snapshot format).</summary>
    public required string State { get; set; }

    public long StartedAt { get; set; }

    public long? EndedAt { get; set; }

    public string? ParentInstanceId { get; set; }

    public bool HasIncident { get; set; }
}

public sealed class TaskRow
{
    public required string Id { get; set; }

    public required string InstanceId { get; set; }

    public int NodeId { get; set; }

    public required string ElementId { get; set; }

    public required string Name { get; set; }

    public required string DefinitionKey { get; set; }

    public string? BusinessKey { get; set; }

    public string? Assignee { get; set; }

    /// <summary>Comma-separated and comma-wrapped (",a,b,") so a LIKE finds one member exactly.</summary>
    public required string CandidateUsers { get; set; }

    public required string CandidateGroups { get; set; }

    public long? DueDate { get; set; }

    public long? FollowUpDate { get; set; }

    public int Priority { get; set; }

    /// <summary>Who delegated the task (Camunda's owner).</summary>
    public string? Owner { get; set; }

    /// <summary>PENDING or RESOLVED once delegated.</summary>
    public string? DelegationState { get; set; }

    public string? FormKey { get; set; }

    public long CreatedAt { get; set; }

    /// <summary>The inbox order's first key: <see cref="DueDate"/>, or <see cref="long.MaxValue"/> without one (last).</summary>
    public long DueSort { get; set; }
}

/// <summary>One candidate (user or group) of a task: written and removed with the task's row.</summary>
public sealed class TaskCandidateRow
{
    /// <summary><see cref="Kind"/> of a candidate user.</summary>
    public const int UserKind = 0;

    /// <summary><see cref="Kind"/> of a candidate group.</summary>
    public const int GroupKind = 1;

    public required string TaskId { get; set; }

    public int Kind { get; set; }

    public required string Name { get; set; }

    /// <summary>Whether the task has an assignee (it then leaves the groups' inbox).</summary>
    public bool Claimed { get; set; }

    public long DueSort { get; set; }

    public long CreatedAt { get; set; }

    /// <summary>The candidate rows of a task row (a name listed twice gives one row).</summary>
    public static IEnumerable<TaskCandidateRow> Of(TaskRow task)
    {
        ArgumentNullException.ThrowIfNull(task);
        foreach (var (kind, list) in new[] { (UserKind, task.CandidateUsers), (GroupKind, task.CandidateGroups) })
        {
            foreach (var name in list.Split(',', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal))
            {
                yield return new TaskCandidateRow { TaskId = task.Id, Kind = kind, Name = name, Claimed = task.Assignee is not null, DueSort = task.DueSort, CreatedAt = task.CreatedAt };
            }
        }
    }
}

public sealed class SubscriptionRow
{
    public required string InstanceId { get; set; }

    public int SubscriptionId { get; set; }

    public int Kind { get; set; }

    public string? EventName { get; set; }

    public string? CorrelationKey { get; set; }

    public string? BusinessKey { get; set; }

    public required string ElementId { get; set; }

    public required string DefinitionId { get; set; }

    public long? DueAt { get; set; }

    public int FiredCount { get; set; }
}

public sealed class StartTimerRow
{
    public required string DefinitionId { get; set; }

    public required string ElementId { get; set; }

    public long DueAt { get; set; }

    public int FiredCount { get; set; }
}

public sealed class JobRow
{
    public required string Id { get; set; }

    public required string InstanceId { get; set; }

    public int NodeId { get; set; }

    public required string ElementId { get; set; }

    public int Kind { get; set; }

    public long DueAt { get; set; }

    public int Retries { get; set; }

    public string? ExceptionMessage { get; set; }

    public string? LockOwner { get; set; }

    public long? LockExpiresAt { get; set; }
}

/// <summary>The journal entries one step wrote (a JSON array), so a step adds one row however much it did.</summary>
public sealed class JournalRow
{
    public required string InstanceId { get; set; }

    public long FirstSequence { get; set; }

    public long LastSequence { get; set; }

    public long At { get; set; }

    public required string Entries { get; set; }
}

/// <summary>Work a committed step left for other instances, deleted once done.</summary>
public sealed class OutboxRow
{
    public required string Id { get; set; }

    public long CreatedAt { get; set; }

    public required string Payload { get; set; }
}

/// <summary>
/// An external task waiting for a worker: a projection of its instance's snapshot written with the instance's steps,
/// plus its lock (<see cref="WorkerId"/>, <see cref="LockExpiresAt"/>), which only this row holds.
/// </summary>
public sealed class ExternalTaskRow
{
    public required string Id { get; set; }

    public required string Topic { get; set; }

    public required string InstanceId { get; set; }

    public int NodeId { get; set; }

    public required string ElementId { get; set; }

    public required string DefinitionId { get; set; }

    public required string DefinitionKey { get; set; }

    public string? BusinessKey { get; set; }

    public long Priority { get; set; }

    public long CreatedAt { get; set; }

    public string? WorkerId { get; set; }

    public long? LockExpiresAt { get; set; }

    /// <summary>Null until a worker reported a failure (Camunda's "retries not set").</summary>
    public int? Retries { get; set; }

    public string? ErrorMessage { get; set; }

    public string? ErrorDetails { get; set; }
}
