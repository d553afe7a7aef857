using System.Globalization;
using ComplaintWorkflows.Activities.Data;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Activities.Calendar;

/// <summary>The deadlines the process keeps, by the name the <c>sla.deadline</c> activity's <c>kind</c> input uses.</summary>
public enum DeadlineKind
{
    Acceptance,
    Handling,
    Mediation,
    TerminationNotice,
    CaseOpening,
    CaseOpeningExtension,
    ReporterNotice,
    Registration,
    ChannelReply,
}

/// <summary>A computed deadline: when it falls due, when to warn, by which rule set and unit.</summary>
public sealed record SlaDeadline(DateTimeOffset DueAt, DateTimeOffset WarnAt, string RuleSet, DeadlineUnit Unit, int Amount);

/// <summary>
/// Computes deadlines on the working-day calendar by the rule set in force when the complaint was received,
/// with the warning at the rule set's fraction (80%) of the time between start and deadline, and moves them
/// later by the time a pause (testing or appraisal, 检测/鉴定) took: for working-day deadlines by the working
/// days in the pause (the day it started does not count, the day it ended does); otherwise by its length.
/// </summary>
public sealed class SlaClock(IDbContextFactory<DomainDbContext> contexts, WorkingCalendar calendar)
{
    public async Task<DeadlineRuleSet> RuleSetForAsync(DateTimeOffset receivedAt, CancellationToken cancellationToken = default)
    {
        var day = calendar.LocalDate(receivedAt);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<DeadlineRuleSet>().AsNoTracking().Where(r => r.EffectiveFrom <= day).OrderByDescending(r => r.EffectiveFrom).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false)
            ?? await db.Set<DeadlineRuleSet>().AsNoTracking().OrderBy(r => r.EffectiveFrom).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false)
            ?? new DeadlineRuleSet { Name = "默认规则 (built-in defaults)" };
    }

    public async Task<SlaDeadline> ComputeAsync(DeadlineKind kind, DateTimeOffset start, DateTimeOffset receivedAt, string? tier = null, string? channel = null, CancellationToken cancellationToken = default)
    {
        var rules = await RuleSetForAsync(receivedAt, cancellationToken).ConfigureAwait(false);
        var (amount, unit) = Span(rules, kind, tier, channel);
        var due = DueFrom(start, amount, unit);
        var warn = start + TimeSpan.FromTicks((long)((due - start).Ticks * rules.WarningFraction));
        return new SlaDeadline(due, warn, rules.Name, unit, amount);
    }

    public DateTimeOffset DueFrom(DateTimeOffset start, int amount, DeadlineUnit unit) => unit switch
    {
        DeadlineUnit.WorkingDays => calendar.AddWorkingDays(start, amount),
        DeadlineUnit.CalendarDays => calendar.EndOf(calendar.LocalDate(start).AddDays(amount)),
        DeadlineUnit.Hours => start.AddHours(amount),
        _ => start.AddMinutes(amount),
    };

    /// <summary>The due and warning instants after a pause from <paramref name="pausedAt"/> to <paramref name="resumedAt"/>.</summary>
    public (DateTimeOffset DueAt, DateTimeOffset WarnAt) Resume(DeadlineUnit unit, DateTimeOffset due, DateTimeOffset warn, DateTimeOffset pausedAt, DateTimeOffset resumedAt)
    {
        if (resumedAt <= pausedAt)
        {
            return (due, warn);
        }

        if (unit == DeadlineUnit.WorkingDays)
        {
            var paused = calendar.WorkingDaysBetween(pausedAt, resumedAt);
            var moved = paused == 0 ? due : calendar.AddWorkingDays(due, paused);
            return (moved, warn + (moved - due));
        }

        var span = resumedAt - pausedAt;
        return (due + span, warn + span);
    }

    public static string Format(DateTimeOffset instant, TimeZoneInfo zone)
        => TimeZoneInfo.ConvertTime(instant, zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static (int Amount, DeadlineUnit Unit) Span(DeadlineRuleSet rules, DeadlineKind kind, string? tier, string? channel)
    {
        var normalizedTier = (tier ?? "general").Trim().ToLowerInvariant();
        return kind switch
        {
            DeadlineKind.Acceptance => (rules.AcceptanceWorkingDays, DeadlineUnit.WorkingDays),
            DeadlineKind.Handling => (normalizedTier switch
            {
                "simple" => rules.SimpleWorkingDays,
                "complex" => rules.ComplexWorkingDays,
                _ => rules.GeneralWorkingDays,
            }, DeadlineUnit.WorkingDays),
            DeadlineKind.Mediation => (rules.MediationLimit, rules.MediationLimitUnit),
            DeadlineKind.TerminationNotice => (rules.TerminationNoticeWorkingDays, DeadlineUnit.WorkingDays),
            DeadlineKind.CaseOpening => (rules.CaseOpeningWorkingDays, DeadlineUnit.WorkingDays),
            DeadlineKind.CaseOpeningExtension => (rules.CaseOpeningExtensionWorkingDays, DeadlineUnit.WorkingDays),
            DeadlineKind.ReporterNotice => (rules.ReporterNoticeWorkingDays, DeadlineUnit.WorkingDays),
            DeadlineKind.Registration => (rules.RegistrationMinutes, DeadlineUnit.Minutes),
            DeadlineKind.ChannelReply => channel switch
            {
                "Letter" => (rules.LetterReplyWorkingDays, DeadlineUnit.WorkingDays),
                "WeChat" or "Weibo" => (normalizedTier switch
                {
                    "simple" => rules.SocialSimpleReplyHours,
                    "complex" => rules.SocialComplexReplyHours,
                    _ => rules.SocialGeneralReplyHours,
                }, DeadlineUnit.Hours),
                _ => (rules.HotlineReplyWorkingDays, DeadlineUnit.WorkingDays),
            },
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown deadline kind."),
        };
    }
}
