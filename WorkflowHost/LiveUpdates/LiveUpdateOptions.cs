using System.ComponentModel.DataAnnotations;

namespace ComplaintWorkflows.WorkflowHost.LiveUpdates;

/// <summary>The <c>Workflows:LiveUpdates</c> section: how each host looks for new tasks to tell browsers about.</summary>
public sealed class LiveUpdateOptions
{
    public const string Section = "Workflows:LiveUpdates";

    public bool Enabled { get; set; } = true;

    /// <summary>How often each host reads the tasks created since its last look (from any host sharing the database).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How far back each look reaches before the last one: a task is stamped when its step starts and becomes visible
    /// when the step commits, and hosts' clocks differ a little; tasks already told are not told twice.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan Overlap { get; set; } = TimeSpan.FromSeconds(30);
}
