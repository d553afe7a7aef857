using System.ComponentModel.DataAnnotations;

namespace ComplaintWorkflows.WorkflowHost.CamundaRest;

/// <summary>The <c>Workflows:ExternalTasks</c> section: how a long-polling <c>fetchAndLock</c> waits for tasks.</summary>
public sealed class ExternalTaskOptions
{
    public const string Section = "Workflows:ExternalTasks";

    /// <summary>
    /// While a long-polling fetch waits, how often it looks in the database again for tasks another host created (a task
    /// created on this host wakes it at once).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest <c>asyncResponseTimeout</c> a fetch may ask for (Camunda's limit is 30 minutes); longer asks are refused with 400.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxAsyncResponseTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The most tasks one fetch may lock (<c>maxTasks</c>).</summary>
    [Range(1, 10000)]
    public int MaxTasksPerFetch { get; set; } = 1000;
}
