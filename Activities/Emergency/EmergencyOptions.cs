using System.ComponentModel.DataAnnotations;

namespace ComplaintWorkflows.Activities.Emergency;

/// <summary>How complaints against one respondent are matched into one group complaint.</summary>
public enum GroupMatch
{
    /// <summary>Same respondent and same problem type (the same matter).</summary>
    RespondentAndProblemType,

    /// <summary>Same respondent, whatever the matter.</summary>
    Respondent,

    /// <summary>Same respondent and same goods or service.</summary>
    RespondentAndGoodsOrService,
}

/// <summary>
/// The <c>Workflows:Domain:Emergency</c> section: detection, grading, deadlines and the scheduled work of the
/// emergency plans, risk notices, duty roster and case library. The detection rules here are the defaults of
/// <see cref="EmergencySettings"/>, which administrators change at run time.
/// </summary>
public sealed class EmergencyOptions
{
    public const string Section = "Workflows:Domain:Emergency";

    /// <summary>Run detection, risk notices, roster reminders and the case library on this host.</summary>
    public bool ScheduledWork { get; set; } = true;

    /// <summary>How often the detector looks at newly registered complaints (off the intake path).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan DetectionInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Complaints younger than this are looked at again next time (a transaction may still commit an older id).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan CommitLag { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Complaints looked at per detection round.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 1000;

    /// <summary>How long a host uses the administrators' detection settings before reading them again.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan SettingsCacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    [Range(2, 100_000)]
    public int GroupThreshold { get; set; } = 5;

    [Range(1, 8760)]
    public int GroupWindowHours { get; set; } = 72;

    public GroupMatch GroupMatch { get; set; } = GroupMatch.RespondentAndProblemType;

    /// <summary>A surge: complaints received in the last hour at least this multiple of the usual hourly level ...</summary>
    [Range(1.1, 1000.0)]
    public double SurgeMultiple { get; set; } = 3.0;

    /// <summary>... and at least this many (a quiet centre's 3 complaints instead of 1 is no surge).</summary>
    [Range(1, 1_000_000)]
    public int SurgeMinimumPerHour { get; set; } = 30;

    /// <summary>Days before the last hour whose average hourly intake is the usual level.</summary>
    [Range(1, 90)]
    public int SurgeBaselineDays { get; set; } = 7;

    /// <summary>Consumers from which a group complaint is level III 较大, II 重大, I 特别重大 (below: IV 一般).</summary>
    [Range(2, 1_000_000)]
    public int LevelIIIConsumers { get; set; } = 30;

    [Range(2, 1_000_000)]
    public int LevelIIConsumers { get; set; } = 100;

    [Range(2, 1_000_000)]
    public int LevelIConsumers { get; set; } = 300;

    /// <summary>Surge multiples from which a surge is level III, II, I (below: IV).</summary>
    [Range(1.1, 1000.0)]
    public double LevelIIISurgeMultiple { get; set; } = 5;

    [Range(1.1, 1000.0)]
    public double LevelIISurgeMultiple { get; set; } = 10;

    [Range(1.1, 1000.0)]
    public double LevelISurgeMultiple { get; set; } = 20;

    /// <summary>Hours to the upward report (信息报送) by level: I, II, III, IV.</summary>
    [Required]
    public Dictionary<string, int> ReportDeadlineHours { get; set; } = new(StringComparer.Ordinal) { ["I"] = 1, ["II"] = 2, ["III"] = 4, ["IV"] = 24 };

    /// <summary>Hours to the investigation report of a 舆情 item by grade (seed document: 5 days, 3 days, 1 day, 1 day).</summary>
    [Required]
    public Dictionary<string, int> OpinionReportHours { get; set; } = new(StringComparer.Ordinal) { ["blue"] = 120, ["yellow"] = 72, ["orange"] = 24, ["red"] = 24 };

    /// <summary>Share of a deadline after which the warning goes out.</summary>
    [Range(0.1, 0.99)]
    public double WarningFraction { get; set; } = 0.8;

    /// <summary>Words in a complaint that make a group complaint a prepaid-card run-off (预付卡跑路) for the joint enforcement group.</summary>
    [Required]
    public List<string> PrepaidCardKeywords { get; set; } = ["预付卡", "储值卡", "会员卡", "充值卡", "次卡", "年卡", "办卡", "充值"];

    /// <summary>The leadership group (领导小组) by user name; empty: the leaders of the intake centre and of the lead unit (and its county bureau).</summary>
    public List<string> LeadershipGroup { get; set; } = [];

    /// <summary>The office (办公室) by user name; empty: the intake centre's desk officers.</summary>
    public List<string> Office { get; set; } = [];

    [Required]
    public string EmergencyProcessKey { get; set; } = "emergency-plan";

    [Required]
    public string OpinionProcessKey { get; set; } = "public-opinion";

    [Required]
    public string RiskNoticeProcessKey { get; set; } = "risk-notice";

    /// <summary>Complaints against one respondent within <see cref="RiskWindowDays"/> that call for a risk notice.</summary>
    [Range(1, 100_000)]
    public int RiskThreshold { get; set; } = 5;

    [Range(1, 3650)]
    public int RiskWindowDays { get; set; } = 365;

    /// <summary>No improvement: at least one complaint within this many days of the latest (complaints keep coming).</summary>
    [Range(1, 3650)]
    public int RiskImprovementDays { get; set; } = 90;

    /// <summary>After a risk notice, none for the same respondent for this many days.</summary>
    [Range(1, 3650)]
    public int RiskNoticeCooldownDays { get; set; } = 180;

    /// <summary>Day of the month by which next month's weekend and holiday duty schedule is due (23rd).</summary>
    [Range(1, 28)]
    public int RosterDueDay { get; set; } = 23;

    /// <summary>Day of the month from which units missing next month's schedule are reminded.</summary>
    [Range(1, 28)]
    public int RosterReminderDay { get; set; } = 20;

    /// <summary>Day of the month on which last month's selected typical cases are published.</summary>
    [Range(1, 28)]
    public int CaseLibraryPublishDay { get; set; } = 1;
}
