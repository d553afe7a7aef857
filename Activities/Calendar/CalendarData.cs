using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplaintWorkflows.Activities.Calendar;

/// <summary>A day that differs from the weekday/weekend rule: a statutory holiday off, or a make-up working day (调休上班).</summary>
public enum CalendarDayKind
{
    Holiday,
    MakeUpWorkday,
}

/// <summary>One year's published holiday arrangement (the State Council notice), entered by an administrator.</summary>
public sealed class CalendarYear
{
    public int Year { get; set; }

    /// <summary>The notice it comes from, e.g. "国务院办公厅关于2026年部分节假日安排的通知（2025-11-04）".</summary>
    public required string Source { get; set; }

    public string? UpdatedBy { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public List<CalendarDay> Days { get; set; } = [];
}

/// <summary>A holiday or make-up working day of a <see cref="CalendarYear"/>.</summary>
public sealed class CalendarDay
{
    public DateOnly Date { get; set; }

    public int Year { get; set; }

    public CalendarDayKind Kind { get; set; }

    /// <summary>The holiday it belongs to (元旦, 春节, 国庆 ...).</summary>
    public required string Name { get; set; }
}

/// <summary>
/// The deadlines in force for complaints received on or after <see cref="EffectiveFrom"/> (rules change: SAMR
/// Order 121 replaced Order 20 on 2026-04-15). Administrators add a new rule set instead of editing code.
/// </summary>
public sealed class DeadlineRuleSet
{
    public long Id { get; set; }

    public required string Name { get; set; }

    public DateOnly EffectiveFrom { get; set; }

    /// <summary>Decide on acceptance within this many working days of receipt.</summary>
    public int AcceptanceWorkingDays { get; set; } = 7;

    public int SimpleWorkingDays { get; set; } = 3;

    public int GeneralWorkingDays { get; set; } = 7;

    public int ComplexWorkingDays { get; set; } = 15;

    /// <summary>Mediation ends without agreement after this long from acceptance.</summary>
    public int MediationLimit { get; set; } = 60;

    public DeadlineUnit MediationLimitUnit { get; set; } = DeadlineUnit.CalendarDays;

    public int TerminationNoticeWorkingDays { get; set; } = 7;

    public int CaseOpeningWorkingDays { get; set; } = 15;

    public int CaseOpeningExtensionWorkingDays { get; set; } = 15;

    public int ReporterNoticeWorkingDays { get; set; } = 5;

    public int HotlineReplyWorkingDays { get; set; } = 5;

    public int LetterReplyWorkingDays { get; set; } = 7;

    public int SocialSimpleReplyHours { get; set; } = 24;

    public int SocialGeneralReplyHours { get; set; } = 48;

    public int SocialComplexReplyHours { get; set; } = 72;

    public int RegistrationMinutes { get; set; } = 30;

    /// <summary>The warning comes when this share of the time between start and deadline has passed.</summary>
    public double WarningFraction { get; set; } = 0.8;

    public string? UpdatedBy { get; set; }
}

/// <summary>How a deadline is counted.</summary>
public enum DeadlineUnit
{
    WorkingDays,
    CalendarDays,
    Hours,
    Minutes,
}

internal sealed class CalendarYearConfiguration : IEntityTypeConfiguration<CalendarYear>
{
    public void Configure(EntityTypeBuilder<CalendarYear> builder)
    {
        builder.ToTable("cw_calendar_year");
        builder.HasKey(y => y.Year);
        builder.Property(y => y.Year).ValueGeneratedNever();
        builder.Property(y => y.Source).HasMaxLength(500);
        builder.Property(y => y.UpdatedBy).HasMaxLength(128);
        builder.HasMany(y => y.Days).WithOne().HasForeignKey(d => d.Year).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CalendarDayConfiguration : IEntityTypeConfiguration<CalendarDay>
{
    public void Configure(EntityTypeBuilder<CalendarDay> builder)
    {
        builder.ToTable("cw_calendar_day");
        builder.HasKey(d => d.Date);
        builder.Property(d => d.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.Name).HasMaxLength(50);
    }
}

internal sealed class DeadlineRuleSetConfiguration : IEntityTypeConfiguration<DeadlineRuleSet>
{
    public void Configure(EntityTypeBuilder<DeadlineRuleSet> builder)
    {
        builder.ToTable("cw_deadline_rule_set");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Name).HasMaxLength(200);
        builder.HasIndex(r => r.EffectiveFrom).IsUnique();
        builder.Property(r => r.MediationLimitUnit).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.UpdatedBy).HasMaxLength(128);
    }
}
