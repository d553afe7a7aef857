using System.Globalization;
using ComplaintWorkflows.Activities.Complaints;
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

/// <summary>
/// A computed deadline: when it falls due, when to warn, by which rule set, and how it was counted
/// (<see cref="Amount"/> <see cref="Unit"/>s from <see cref="StartAt"/>, the amount including days added by pauses).
/// </summary>
public sealed record SlaDeadline(DateTimeOffset StartAt, DateTimeOffset DueAt, DateTimeOffset WarnAt, string RuleSet, DeadlineUnit Unit, int Amount);

/// <summary>
/// Computes deadlines on the working-day calendar by the rule set in force when the complaint was received,
/// with the warning at the rule set's fraction (80%) of the time between start and deadline.
/// <para>
/// Pauses (testing or appraisal, 检测/鉴定, do not count): a deadline counted in days moves later by the days in the
/// pause, counted like a deadline (the day the pause started does not count, the day it ended does; working days
/// for a working-day deadline, calendar days for a calendar-day one), so it still ends at 24:00 of a day; one counted
/// in hours or minutes moves by the exact length of the pause. The warning moves by as much as the deadline.
/// </para>
/// </summary>
public sealed class SlaClock(WorkingCalendar calendar)
{
    /// <summary>The rule set for a complaint received at <paramref name="receivedAt"/> (the latest in effect on that local date).</summary>
    public Task<DeadlineRuleSet> RuleSetForAsync(DateTimeOffset receivedAt, CancellationToken cancellationToken = default)
    {
        var day = calendar.LocalDate(receivedAt);
        var ruleSets = calendar.RuleSets();
        return Task.FromResult(ruleSets.LastOrDefault(r => r.EffectiveFrom <= day) ?? (ruleSets.Count > 0 ? ruleSets[0] : null) ?? new DeadlineRuleSet { Name = "默认规则 (built-in defaults)" });
    }

    /// <summary>
    /// The deadline of <paramref name="kind"/> counted from <paramref name="start"/> by the rules in force at
    /// <paramref name="receivedAt"/>. <paramref name="tier"/> (simple | general | complex, default general) is used by
    /// handling and channelReply; <paramref name="channel"/> (a <see cref="ComplaintChannel"/> name) by channelReply.
    /// </summary>
    /// <exception cref="ArgumentException">The tier or channel is not one of the known values.</exception>
    public async Task<SlaDeadline> ComputeAsync(DeadlineKind kind, DateTimeOffset start, DateTimeOffset receivedAt, string? tier = null, string? channel = null, CancellationToken cancellationToken = default)
    {
        var rules = await RuleSetForAsync(receivedAt, cancellationToken).ConfigureAwait(false);
        var (amount, unit) = SpanOf(rules, kind, tier, channel);
        var due = DueFrom(start, amount, unit);
        return new SlaDeadline(start, due, WarningAt(start, due, rules.WarningFraction), rules.Name, unit, amount);
    }

    /// <summary>The deadline <paramref name="amount"/> <paramref name="unit"/>s after <paramref name="start"/>.</summary>
    public DateTimeOffset DueFrom(DateTimeOffset start, int amount, DeadlineUnit unit) => unit switch
    {
        DeadlineUnit.WorkingDays => calendar.AddWorkingDays(start, amount),
        DeadlineUnit.CalendarDays => calendar.AddCalendarDays(start, amount),
        DeadlineUnit.Hours => start.AddHours(amount),
        DeadlineUnit.Minutes => start.AddMinutes(amount),
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "Unknown deadline unit."),
    };

    /// <summary>The instant <paramref name="fraction"/> of the way from <paramref name="start"/> to <paramref name="due"/>.</summary>
    public static DateTimeOffset WarningAt(DateTimeOffset start, DateTimeOffset due, double fraction)
        => due <= start ? due : start + TimeSpan.FromTicks((long)((due - start).Ticks * fraction));

    /// <summary>
    /// The deadline after a pause from <paramref name="pausedAt"/> to <paramref name="resumedAt"/> (see the class
    /// remarks for the rule). A pause that ended before it started changes nothing.
    /// </summary>
    public SlaDeadline Resume(SlaDeadline deadline, DateTimeOffset pausedAt, DateTimeOffset resumedAt)
    {
        ArgumentNullException.ThrowIfNull(deadline);
        if (resumedAt <= pausedAt)
        {
            return deadline;
        }

        var moved = deadline.Unit switch
        {
            DeadlineUnit.WorkingDays => PausedDays(calendar.WorkingDaysBetween(pausedAt, resumedAt)),
            DeadlineUnit.CalendarDays => PausedDays(calendar.CalendarDaysBetween(pausedAt, resumedAt)),
            _ => deadline with { DueAt = deadline.DueAt + (resumedAt - pausedAt) },
        };
        return moved with { WarnAt = deadline.WarnAt + (moved.DueAt - deadline.DueAt) };

        SlaDeadline PausedDays(int days) => days == 0
            ? deadline
            : deadline with { Amount = deadline.Amount + days, DueAt = DueFrom(deadline.StartAt, deadline.Amount + days, deadline.Unit) };
    }

    /// <summary>An instant as the process variables carry it: ISO-8601 local time with its offset, e.g. 2026-10-11T00:00:00+08:00.</summary>
    public static string Format(DateTimeOffset instant, TimeZoneInfo zone)
        => TimeZoneInfo.ConvertTime(instant, zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static (int Amount, DeadlineUnit Unit) SpanOf(DeadlineRuleSet rules, DeadlineKind kind, string? tier, string? channel)
    {
        var level = ParseTier(tier);
        return kind switch
        {
            DeadlineKind.Acceptance => (rules.AcceptanceWorkingDays, DeadlineUnit.WorkingDays),
            DeadlineKind.Handling => (level switch
            {
                ComplexityTier.Simple => rules.SimpleWorkingDays,
                ComplexityTier.Complex => rules.ComplexWorkingDays,
                _ => rules.GeneralWorkingDays,
            }, DeadlineUnit.WorkingDays),
            DeadlineKind.Mediation => (rules.MediationLimit, rules.MediationLimitUnit),
            DeadlineKind.TerminationNotice => (rules.TerminationNoticeWorkingDays, DeadlineUnit.WorkingDays),
            DeadlineKind.CaseOpening => (rules.CaseOpeningWorkingDays, DeadlineUnit.WorkingDays),
            DeadlineKind.CaseOpeningExtension => (rules.CaseOpeningExtensionWorkingDays, DeadlineUnit.WorkingDays),
            DeadlineKind.ReporterNotice => (rules.ReporterNoticeWorkingDays, DeadlineUnit.WorkingDays),
            DeadlineKind.Registration => (rules.RegistrationMinutes, DeadlineUnit.Minutes),
            DeadlineKind.ChannelReply => ParseChannel(channel) switch
            {
                ComplaintChannel.Letter => (rules.LetterReplyWorkingDays, DeadlineUnit.WorkingDays),
                ComplaintChannel.WeChat or ComplaintChannel.Weibo => (level switch
                {
                    ComplexityTier.Simple => rules.SocialSimpleReplyHours,
                    ComplexityTier.Complex => rules.SocialComplexReplyHours,
                    _ => rules.SocialGeneralReplyHours,
                }, DeadlineUnit.Hours),

                // 12315 platform, 12345 hotline and every other channel: the platform's reply deadline.
                _ => (rules.HotlineReplyWorkingDays, DeadlineUnit.WorkingDays),
            },
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown deadline kind."),
        };
    }

    private static ComplexityTier ParseTier(string? tier)
        => string.IsNullOrWhiteSpace(tier) ? ComplexityTier.General
            : tier.Trim().All(char.IsAsciiLetter) && Enum.TryParse<ComplexityTier>(tier.Trim(), ignoreCase: true, out var parsed) ? parsed
            : throw new ArgumentException($"复杂程度 '{tier}' 无效，应为 simple、general 或 complex (tier '{tier}' is not simple, general or complex).", nameof(tier));

    private static ComplaintChannel ParseChannel(string? channel)
    {
        var text = channel?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            throw new ArgumentException("渠道答复期限需要渠道 (channelReply needs the channel, e.g. Hotline12345, Letter, WeChat).", nameof(channel));
        }

        return text switch
        {
            "12345" => ComplaintChannel.Hotline12345,
            "12315" => ComplaintChannel.Platform12315,
            _ when text.All(char.IsAsciiLetterOrDigit) && !char.IsAsciiDigit(text[0]) && Enum.TryParse<ComplaintChannel>(text, ignoreCase: true, out var parsed) => parsed,
            _ => throw new ArgumentException($"渠道 '{text}' 无效 (channel '{text}' is not one of {string.Join(", ", Enum.GetNames<ComplaintChannel>())}).", nameof(channel)),
        };
    }
}
