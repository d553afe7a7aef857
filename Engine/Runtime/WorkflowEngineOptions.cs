namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>Limits and settings of an engine; every one of them can come from configuration.</summary>
public sealed class WorkflowEngineOptions
{
    /// <summary>Operations one step may run before the engine calls it a loop without wait state.</summary>
    public int MaxOperationsPerStep { get; set; } = 100_000;

    public int MaxMultiInstanceCount { get; set; } = 10_000;

    /// <summary>Zone for timer dates written without an offset (China Standard Time by default).</summary>
    public TimeZoneInfo TimeZone { get; set; } = FindZone("Asia/Shanghai");

    /// <summary>Timers fired per call of <see cref="WorkflowEngine.FireDueTimersAsync"/>.</summary>
    public int MaxTimersPerPoll { get; set; } = 1_000;

    /// <summary>How often an operation is retried when another host changed the same instance first.</summary>
    public int MaxConflictRetries { get; set; } = 5;

    /// <summary>Attempts of a job whose element gives no <c>camunda:failedJobRetryTimeCycle</c>.</summary>
    public int DefaultJobRetries { get; set; } = 3;

    /// <summary>
    /// How long a worker holds a job before another may take it. The lock of a job that is running is renewed
    /// every <see cref="JobLockRenewalInterval"/>, so this can be short: a killed worker's jobs come back after it.
    /// </summary>
    public TimeSpan JobLockDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often a running job's lock is extended by <see cref="JobLockDuration"/>; null: a third of it.</summary>
    public TimeSpan? JobLockRenewalInterval { get; set; }

    /// <summary>Jobs a worker takes at once.</summary>
    public int JobBatchSize { get; set; } = 20;

    /// <summary>Whether each instance keeps its history (elements entered, completed, cancelled; variables; who).</summary>
    public bool KeepJournal { get; set; } = true;

    /// <summary>
    /// Variables holding personal data (a consumer's name, phone number, address): the history records that they were
    /// set, and of what type, but not their values, which stay in the instance's variables for whoever may read those.
    /// </summary>
    public HashSet<string> PersonalVariables { get; set; } = new(StringComparer.Ordinal);

    private static TimeZoneInfo FindZone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.CreateCustomTimeZone(id, TimeSpan.FromHours(8), id, id);
        }
    }
}
