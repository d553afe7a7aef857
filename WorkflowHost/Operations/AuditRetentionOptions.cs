using System.ComponentModel.DataAnnotations;

namespace ComplaintWorkflows.WorkflowHost.Operations;

/// <summary>The <c>Workflows:Audit</c> section: the administrators' audit log.</summary>
public sealed class AuditOptions
{
    public const string Section = "Workflows:Audit";

    /// <summary>Most entries one page of <c>GET /api/admin/audit</c> returns.</summary>
    [Range(1, 10_000)]
    public int MaxPageSize { get; set; } = 200;

    /// <summary>Largest request body (bytes) whose fields an audited action records; a larger one is recorded by its size only.</summary>
    [Range(0, 100 * 1024 * 1024)]
    public int MaxRecordedBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Longest text value kept in an entry's details (a BPMN file in a request is recorded by its process ids and length).</summary>
    [Range(16, 100_000)]
    public int MaxRecordedValueLength { get; set; } = 200;
}

/// <summary>The <c>Workflows:Backup</c> section: the <c>backup</c> and <c>restore</c> commands.</summary>
public sealed class BackupOptions
{
    public const string Section = "Workflows:Backup";

    /// <summary>Folder of PostgreSQL's <c>pg_dump</c> and <c>pg_restore</c>; empty: the newest <c>/usr/lib/postgresql/&lt;version&gt;/bin</c>, else the PATH.</summary>
    public string? PostgresBinFolder { get; set; }

    /// <summary>How long <c>pg_dump</c> or <c>pg_restore</c> may run before the command gives up.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "7.00:00:00")]
    public TimeSpan PostgresToolTimeout { get; set; } = TimeSpan.FromHours(6);
}
