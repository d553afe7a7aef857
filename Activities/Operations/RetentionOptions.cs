using System.ComponentModel.DataAnnotations;

namespace ComplaintWorkflows.Activities.Operations;

/// <summary>The <c>Workflows:Retention</c> section: how long each kind of record is kept, and the daily cleanup that enforces it.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Workflows:Retention";

    /// <summary>Run the daily cleanup on its schedule (an administrator can still run it by hand).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>When the daily cleanup runs: a Quartz cron expression, in <see cref="TimeZone"/>.</summary>
    [Required]
    public string Schedule { get; set; } = "0 15 3 * * ?";

    /// <summary>The time zone of <see cref="Schedule"/>.</summary>
    [Required]
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>Rows removed or anonymised per transaction.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// Years an archived complaint keeps the consumer's personal data after it was archived; then the complaint is
    /// anonymised, its files removed and its archive entry redacted (the chain stays verifiable). 0: kept for ever.
    /// </summary>
    [Range(0, 100)]
    public int ArchivedComplaintYears { get; set; } = 3;

    /// <summary>Days a notification that is no longer waiting (sent, delivered, failed, given up) is kept after it was created. 0: for ever.</summary>
    [Range(0, 36_500)]
    public int NotificationDays { get; set; } = 180;

    /// <summary>Days SMS send records, delivery receipts and consumers' replies are kept after they were last touched. 0: for ever.</summary>
    [Range(0, 36_500)]
    public int SmsRecordDays { get; set; } = 180;

    /// <summary>Days the execution journal of an ended process instance is kept after it ended. 0: for ever.</summary>
    [Range(0, 36_500)]
    public int EndedInstanceJournalDays { get; set; } = 365;

    /// <summary>Days a complaint's attachments are kept after it was closed. 0: for ever (until the complaint's own retention ends).</summary>
    [Range(0, 36_500)]
    public int AttachmentDays { get; set; } = 365;
}
