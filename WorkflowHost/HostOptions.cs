using System.ComponentModel.DataAnnotations;

namespace ComplaintWorkflows.WorkflowHost;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>The <c>Workflows</c> configuration section.</summary>
public sealed class WorkflowsOptions
{
    public const string Section = "Workflows";

    /// <summary>Folder for the SQLite database and other local data; a relative path is taken from the working directory.</summary>
    [Required]
    public string DataFolder { get; set; } = "data";

    public DatabaseProvider Database { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>PostgreSQL connection string (required when <see cref="Database"/> is Postgres).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Folder of BPMN files deployed at start (unchanged files deploy no new version).</summary>
    public string ProcessesFolder { get; set; } = "Processes";

    /// <summary>Folder of the user-task forms (form-js schemas), relative to the host's content root.</summary>
    public string FormsFolder { get; set; } = "Forms";

    /// <summary>Seed the demo organisation, users and complaints at first start (a newcomer's try-out database).</summary>
    public bool SeedDemoData { get; set; } = true;

    /// <summary>With demo data, also file a few demo complaints in different states (when there is no complaint yet).</summary>
    public bool SeedDemoComplaints { get; set; } = true;

    /// <summary>How often due timers and pending jobs are looked for.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public TimerOptions Timers { get; set; } = new();

    /// <summary>
    /// On SQLite, how long one of this host's write transactions waits for the one before it (they queue in the host
    /// rather than sleep in SQLite's busy handler) before it begins anyway; zero: no queue.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan SqliteWriteQueueTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// On SQLite, the most process steps written in one transaction when they commit at the same time (group commit:
    /// a burst pays for one turn at the write lock and one commit; each step still succeeds or fails on its own); 1:
    /// each step in its own transaction.
    /// </summary>
    [Range(1, 1000)]
    public int SqliteStepsPerTransaction { get; set; } = ComplaintWorkflows.Engine.Persistence.EfWorkflowStore.DefaultStepsPerTransaction;

    /// <summary>On SQLite, how often the write-ahead log is folded back into the database file.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SqliteCheckpointInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many times one checkpoint is tried while readers keep it from finishing (background workers read all the time).</summary>
    [Range(1, 1000)]
    public int SqliteCheckpointAttempts { get; set; } = 20;

    /// <summary>The pause between those attempts.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan SqliteCheckpointRetryDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Outbox work older than this, left by a host that stopped after committing, is done by whichever host polls.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan OutboxRedeliveryAge { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// This host's name among the hosts sharing a database: the first part of its job lock owner (<c>wf_job</c>) and
    /// of its Quartz scheduler instance id, so an administrator sees which host holds what. Empty: the machine name.
    /// </summary>
    [RegularExpression("^[A-Za-z0-9._-]{1,40}$", ErrorMessage = "Workflows:NodeName may hold 1 to 40 letters, digits, '.', '_' or '-'.")]
    public string? NodeName { get; set; }

    /// <summary>
    /// On PostgreSQL, how long a starting host waits for another host's start-up on the same database (hosts run their
    /// start-up steps one at a time, see <see cref="StartupLock"/>) before it stops with an error.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan StartupLockTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary><see cref="NodeName"/>, or the machine name when it is not set.</summary>
    public string EffectiveNodeName => string.IsNullOrEmpty(NodeName) ? Environment.MachineName : NodeName;
}

/// <summary>The <c>Workflows:Timers</c> section.</summary>
public sealed class TimerOptions
{
    /// <summary>Fire timers through Quartz.NET at their due time; when off, only the poller fires them.</summary>
    public bool UseQuartz { get; set; } = true;

    /// <summary>How often hosts look for due timers without a trigger (a last resort: trigger changes left by a crash come back through the outbox redelivery).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "1.00:00:00")]
    public TimeSpan SafetyNetInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Quartz cluster check-in on PostgreSQL; a host silent for longer has its triggers taken over.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ClusterCheckinInterval { get; set; } = TimeSpan.FromSeconds(15);
}
