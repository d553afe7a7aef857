using System.ComponentModel.DataAnnotations;

namespace ComplaintWorkflows.Activities.Organisation;

/// <summary>The <c>Workflows:Domain:Organisation</c> section: jurisdiction, dispatch and assignment rules.</summary>
public sealed class OrganisationOptions
{
    public const string Section = "Workflows:Domain:Organisation";

    /// <summary>How long a host uses the organisation as last read before reading it again (another host may have changed it).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan SnapshotCacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time zone of duty-roster dates.</summary>
    [Required]
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>The intake centre that refuses or transfers what no unit covers; empty: the only intake-centre unit.</summary>
    public string? IntakeCentreUnitId { get; set; }

    /// <summary>Open complaints per person when a staff record does not say (and the default for new staff).</summary>
    [Range(1, 10_000)]
    public int DefaultMaxOpenComplaints { get; set; } = 30;

    /// <summary>The highest <see cref="StaffMember.MaxOpenComplaints"/> an administrator may set.</summary>
    [Range(1, 100_000)]
    public int MaxOpenComplaintsLimit { get; set; } = 500;

    /// <summary>Out of office hours, tasks go to the unit's duty officer (值班) instead of the chosen person.</summary>
    public bool RouteOutOfHoursToDuty { get; set; } = true;

    /// <summary>
    /// A gap in office hours no longer than this on each side (the lunch break) does not count as out of hours:
    /// tasks keep going to the chosen person. Zero: every gap counts.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "12:00:00")]
    public TimeSpan OfficeBreakTolerance { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Days of weekend and holiday duty the demo organisation is given from today.</summary>
    [Range(1, 366)]
    public int DemoDutyRosterDays { get; set; } = 60;

    /// <summary>
    /// Key phrases for each skill (skill name → phrases): a handler with the skill suits a complaint whose
    /// industry, goods or service, problem type or text contains the skill's name or one of its phrases.
    /// Empty: the built-in list (<see cref="DefaultSkillKeywords"/>).
    /// </summary>
    public Dictionary<string, string[]> SkillKeywords { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Where to send a complainant whose respondent no unit covers: the first entry whose region the
    /// address contains gives the text. Empty regions never match.
    /// </summary>
    public List<JurisdictionReferral> Referrals { get; set; } = [];

    /// <summary>What a complainant is told when no referral matches.</summary>
    [Required]
    public string DefaultReferral { get; set; } = "请向被投诉方经营地或住所地的县级市场监督管理部门投诉，或通过全国12315平台提交。";

    /// <summary>
    /// Parts every real address has (市, 区, 镇, 路, 号 ...): an address with none of them ("网店", "不详")
    /// is not reachable, so an in-platform seller goes to the platform's jurisdiction. Empty: the built-in list.
    /// </summary>
    public string[] AddressMarkers { get; set; } = [];

    public static IReadOnlyDictionary<string, string[]> DefaultSkillKeywords { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["汽车"] = ["汽车", "轿车", "车辆", "4S店", "交通工具", "变速箱", "发动机"],
        ["新能源汽车"] = ["新能源", "电动汽车", "纯电", "混动", "续航", "动力电池", "充电桩"],
        ["食品"] = ["食品", "餐饮", "外卖", "过期", "变质", "异物"],
        ["预付卡"] = ["预付卡", "预付式", "储值卡", "会员卡", "充值", "办卡"],
        ["电子商务"] = ["电子商务", "网购", "网店", "电商", "直播带货", "旗舰店", "平台"],
    };

    public static IReadOnlyList<string> DefaultAddressMarkers { get; } = ["省", "市", "区", "县", "旗", "镇", "乡", "街道", "村", "路", "街", "巷", "弄", "号", "大道", "广场", "大厦"];

    public IReadOnlyDictionary<string, string[]> EffectiveSkillKeywords => SkillKeywords.Count > 0 ? SkillKeywords : DefaultSkillKeywords;

    public IReadOnlyList<string> EffectiveAddressMarkers => AddressMarkers.Length > 0 ? AddressMarkers : DefaultAddressMarkers;

    public TimeZoneInfo FindTimeZone() => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
}

/// <summary>Where to send complainants whose respondent is in a region outside the organisation.</summary>
public sealed class JurisdictionReferral
{
    /// <summary>A region name as it appears in addresses (杭州市, 乐清市).</summary>
    public string Region { get; set; } = "";

    /// <summary>What the complainant is told (请向乐清市市场监督管理局投诉，电话 ...).</summary>
    public string Text { get; set; } = "";
}
