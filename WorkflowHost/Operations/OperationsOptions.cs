using System.ComponentModel.DataAnnotations;

namespace ComplaintWorkflows.WorkflowHost.Operations;

/// <summary>The <c>Workflows:Operations</c> section: metrics, traces, the engine-health figures and their history, heartbeats, logs.</summary>
public sealed class OperationsOptions
{
    public const string Section = "Workflows:Operations";

    /// <summary>Serve <c>/metrics</c> (Prometheus text format) to administrators and to the scrape token.</summary>
    public bool MetricsEnabled { get; set; } = true;

    /// <summary>
    /// A token Prometheus sends as <c>Authorization: Bearer &lt;token&gt;</c> to read <c>/metrics</c> without a user
    /// (at least 32 characters); empty: only signed-in administrators may read it.
    /// </summary>
    public string? ScrapeToken { get; set; }

    /// <summary>How long the figures read from the database (jobs due, incidents, outbox, notifications, overdue complaints) are kept before the next read asks again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan FigureCacheDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A job or timer this long past its due time counts as overdue.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan OverdueAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the figures are written to the history (<c>ops_sample</c>, one row per figure and interval, whichever host writes first) for the health page's charts.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long the history is kept.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "366.00:00:00")]
    public TimeSpan SampleRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often each host records that it is alive (<c>ops_host_heartbeat</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A host whose last heartbeat is older than this is shown as silent.</summary>
    [Range(typeof(TimeSpan), "00:00:02", "1.00:00:00")]
    public TimeSpan HostSilentAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The name this host records its heartbeat under; empty: the machine name.</summary>
    public string? HostName { get; set; }

    /// <summary>A running instance with nothing to move it counts as stuck once it is this old (younger ones may be between their commit and their outbox work).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan StuckAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Send traces (HTTP requests down to the engine's steps) and metrics to this OTLP endpoint (<c>http://collector:4317</c>); empty: no traces are recorded.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>Write the log to the console as JSON lines (one object per entry with its structured fields) instead of text.</summary>
    public bool JsonConsoleLogs { get; set; }
}
