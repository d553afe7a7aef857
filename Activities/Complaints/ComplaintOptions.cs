using System.ComponentModel.DataAnnotations;

namespace ComplaintWorkflows.Activities.Complaints;

/// <summary>The <c>Workflows:Domain:Complaints</c> section: intake rules.</summary>
public sealed class ComplaintOptions
{
    public const string Section = "Workflows:Domain:Complaints";

    /// <summary>The same consumer, respondent and text within this window is the same complaint.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan DuplicateWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>A complaint must be registered within this time of receipt (首接负责制).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan RegistrationLimit { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Prefix of tracking numbers (TS = 投诉).</summary>
    [Required]
    [RegularExpression("^[A-Z]{1,4}$")]
    public string TrackingPrefix { get; set; } = "TS";

    /// <summary>Prefix of report tracking numbers (JB = 举报).</summary>
    [Required]
    [RegularExpression("^[A-Z]{1,4}$")]
    public string ReportTrackingPrefix { get; set; } = "JB";

    /// <summary>
    /// How many tracking numbers a host reserves in the database at a time (<see cref="TrackingNumberAllocator"/>):
    /// one write per block rather than per complaint. The unused rest of a block is skipped when the host stops; 1
    /// numbers every complaint in order without gaps.
    /// </summary>
    [Range(1, 1000)]
    public int TrackingNumberBlock { get; set; } = 20;

    /// <summary>The key of the complaint-handling process started for every complaint.</summary>
    [Required]
    public string ProcessKey { get; set; } = "complaint-handling";

    /// <summary>Different staff members who must sign a closing record (二级办结制); the inbox checks it before the process does.</summary>
    [Range(1, 10)]
    public int MinimumClosureSignatures { get; set; } = 2;

    [Range(1, 100_000)]
    public int MaxFactsLength { get; set; } = 10_000;

    [Range(1, 10_000)]
    public int MaxRequestLength { get; set; } = 2_000;
}
