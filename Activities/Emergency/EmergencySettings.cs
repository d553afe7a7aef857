using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplaintWorkflows.Activities.Emergency;

/// <summary>
/// The detection rules administrators change at run time (one row; absent: the defaults of
/// <see cref="EmergencyOptions"/>): group-complaint threshold, window and matching, surge multiple and floor,
/// risk-notice threshold and window, the 舆情 report hours.
/// </summary>
public sealed class EmergencySettings
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    public int GroupThreshold { get; set; }

    public int GroupWindowHours { get; set; }

    public GroupMatch GroupMatch { get; set; }

    public double SurgeMultiple { get; set; }

    public int SurgeMinimumPerHour { get; set; }

    public int SurgeBaselineDays { get; set; }

    public int RiskThreshold { get; set; }

    public int RiskWindowDays { get; set; }

    public int OpinionBlueHours { get; set; }

    public int OpinionYellowHours { get; set; }

    public int OpinionOrangeHours { get; set; }

    public int OpinionRedHours { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }

    public string? UpdatedBy { get; set; }

    public static EmergencySettings Defaults(EmergencyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new()
        {
            GroupThreshold = options.GroupThreshold,
            GroupWindowHours = options.GroupWindowHours,
            GroupMatch = options.GroupMatch,
            SurgeMultiple = options.SurgeMultiple,
            SurgeMinimumPerHour = options.SurgeMinimumPerHour,
            SurgeBaselineDays = options.SurgeBaselineDays,
            RiskThreshold = options.RiskThreshold,
            RiskWindowDays = options.RiskWindowDays,
            OpinionBlueHours = options.OpinionReportHours.GetValueOrDefault("blue", 120),
            OpinionYellowHours = options.OpinionReportHours.GetValueOrDefault("yellow", 72),
            OpinionOrangeHours = options.OpinionReportHours.GetValueOrDefault("orange", 24),
            OpinionRedHours = options.OpinionReportHours.GetValueOrDefault("red", 24),
        };
    }

    /// <summary>Hours to the investigation report for a grade; null for an unknown grade.</summary>
    public int? OpinionHours(string? grade) => grade?.Trim().ToLowerInvariant() switch
    {
        "blue" or "蓝" or "蓝色" => OpinionBlueHours,
        "yellow" or "黄" or "黄色" => OpinionYellowHours,
        "orange" or "橙" or "橙色" => OpinionOrangeHours,
        "red" or "红" or "红色" => OpinionRedHours,
        _ => null,
    };

    /// <summary>Every rule that is out of range, by field.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Check(bool ok, string field, string message)
        {
            if (!ok)
            {
                errors[field] = [message];
            }
        }

        Check(GroupThreshold is >= 2 and <= 100_000, "groupThreshold", "群体投诉人数应在 2 到 100000 之间 (groupThreshold must be 2..100000).");
        Check(GroupWindowHours is >= 1 and <= 8760, "groupWindowHours", "统计时段应在 1 到 8760 小时之间 (groupWindowHours must be 1..8760).");
        Check(Enum.IsDefined(GroupMatch), "groupMatch", "匹配方式无效 (groupMatch must be RespondentAndProblemType, Respondent or RespondentAndGoodsOrService).");
        Check(SurgeMultiple is >= 1.1 and <= 1000, "surgeMultiple", "激增倍数应在 1.1 到 1000 之间 (surgeMultiple must be 1.1..1000).");
        Check(SurgeMinimumPerHour is >= 1 and <= 1_000_000, "surgeMinimumPerHour", "每小时最少件数应在 1 到 1000000 之间 (surgeMinimumPerHour must be 1..1000000).");
        Check(SurgeBaselineDays is >= 1 and <= 90, "surgeBaselineDays", "基准天数应在 1 到 90 之间 (surgeBaselineDays must be 1..90).");
        Check(RiskThreshold is >= 1 and <= 100_000, "riskThreshold", "风险提示件数应在 1 到 100000 之间 (riskThreshold must be 1..100000).");
        Check(RiskWindowDays is >= 1 and <= 3650, "riskWindowDays", "风险提示统计天数应在 1 到 3650 之间 (riskWindowDays must be 1..3650).");
        foreach (var (field, hours) in new[] { ("opinionBlueHours", OpinionBlueHours), ("opinionYellowHours", OpinionYellowHours), ("opinionOrangeHours", OpinionOrangeHours), ("opinionRedHours", OpinionRedHours) })
        {
            Check(hours is >= 1 and <= 720, field, $"舆情报告时限应在 1 到 720 小时之间 ({field} must be 1..720).");
        }

        return errors;
    }
}

internal sealed class EmergencySettingsConfiguration : IEntityTypeConfiguration<EmergencySettings>
{
    public void Configure(EntityTypeBuilder<EmergencySettings> builder)
    {
        builder.ToTable("cw_emergency_settings");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.GroupMatch).HasConversion<string>().HasMaxLength(32);
        builder.Property(s => s.UpdatedBy).HasMaxLength(64);
    }
}
