using System.Collections.Concurrent;
using System.Globalization;
using ComplaintWorkflows.Activities.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Calendar;

/// <summary>
/// Working days from the administrators' calendar: weekends are days off unless a make-up working day (调休上班),
/// statutory holidays are off. A year nobody has entered falls back to weekends only, and
/// <see cref="MissingYears"/> / <see cref="MissingYearNotices"/> say so (for the admin page and the dashboard:
/// "2027 年节假日未配置").
/// <para>
/// Deadlines end at 24:00 local time of their last day, i.e. the instant 00:00 of the next local day: a task due
/// then is on time for the whole of its last day, and a timer set to the deadline fires when the day is over.
/// When counting days from an instant, an instant at exactly local midnight belongs to the day that just ended,
/// so a deadline can start a new one (an extension counted from the old deadline) without losing a day.
/// </para>
/// The calendar is read from the database, kept for <see cref="CalendarOptions.CacheDuration"/> and read again at
/// once on this host when <see cref="CalendarService"/> changes it.
/// </summary>
public sealed class WorkingCalendar : IWorkingCalendar
{
    private readonly IDbContextFactory<DomainDbContext> _contexts;
    private readonly TimeProvider _time;
    private readonly CalendarOptions _options;
    private readonly (TimeOnly From, TimeOnly To)[] _officeHours;
    private readonly ConcurrentDictionary<int, bool> _yearsUsedUnconfigured = new();
    private Snapshot? _snapshot;

    public WorkingCalendar(IDbContextFactory<DomainDbContext> contexts, TimeProvider time, IOptions<CalendarOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _contexts = contexts;
        _time = time;
        _options = options.Value;
        Zone = TimeZoneInfo.FindSystemTimeZoneById(_options.TimeZone);
        _officeHours = [.. _options.EffectiveOfficeHours.Select(ParseRange)];
    }

    public TimeZoneInfo Zone { get; }

    public bool IsWorkingDay(DateOnly day)
    {
        var snapshot = Current();
        if (snapshot.Days.TryGetValue(day, out var kind))
        {
            return kind == CalendarDayKind.MakeUpWorkday;
        }

        if (!snapshot.Years.Contains(day.Year))
        {
            _yearsUsedUnconfigured.TryAdd(day.Year, true);
        }

        return day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
    }

    public bool IsOfficeHours(DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, Zone);
        if (!IsWorkingDay(DateOnly.FromDateTime(local.DateTime)))
        {
            return false;
        }

        var time = TimeOnly.FromDateTime(local.DateTime);
        return _officeHours.Any(r => time >= r.From && time < r.To);
    }

    /// <summary>
    /// The end (24:00 local) of the <paramref name="workingDays"/>-th working day after the day of
    /// <paramref name="start"/> (the day of receipt does not count, even when it is a working day).
    /// </summary>
    public DateTimeOffset AddWorkingDays(DateTimeOffset start, int workingDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workingDays);
        var day = CountingDay(start);
        for (var counted = 0; counted < workingDays;)
        {
            day = day.AddDays(1);
            if (IsWorkingDay(day))
            {
                counted++;
            }
        }

        return EndOf(day);
    }

    /// <summary>
    /// The end (24:00 local) of the <paramref name="days"/>-th day after the day of <paramref name="start"/>; when
    /// that day is not a working day and <see cref="CalendarOptions.CalendarDayDeadlinesEndOnWorkingDay"/> is on,
    /// the end of the next working day.
    /// </summary>
    public DateTimeOffset AddCalendarDays(DateTimeOffset start, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        var day = CountingDay(start).AddDays(days);
        if (_options.CalendarDayDeadlinesEndOnWorkingDay)
        {
            while (!IsWorkingDay(day))
            {
                day = day.AddDays(1);
            }
        }

        return EndOf(day);
    }

    /// <summary>Working days in (from, to]: the day a span starts does not count, the day it ends does.</summary>
    public int WorkingDaysBetween(DateTimeOffset from, DateTimeOffset to)
    {
        var count = 0;
        for (var day = CountingDay(from).AddDays(1); day <= CountingDay(to); day = day.AddDays(1))
        {
            if (IsWorkingDay(day))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Calendar days in (from, to], counted like <see cref="WorkingDaysBetween"/>.</summary>
    public int CalendarDaysBetween(DateTimeOffset from, DateTimeOffset to)
        => Math.Max(0, CountingDay(to).DayNumber - CountingDay(from).DayNumber);

    /// <summary>The local date of an instant.</summary>
    public DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Zone).DateTime);

    /// <summary>
    /// The day an instant belongs to when counting a deadline: its local date, except that local midnight is the
    /// end (24:00) of the day before.
    /// </summary>
    public DateOnly CountingDay(DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, Zone).DateTime;
        var day = DateOnly.FromDateTime(local);
        return local.TimeOfDay == TimeSpan.Zero ? day.AddDays(-1) : day;
    }

    /// <summary>24:00 local time of the day, which is 00:00 of the next day.</summary>
    public DateTimeOffset EndOf(DateOnly day)
    {
        var local = day.AddDays(1).ToDateTime(TimeOnly.MinValue);
        while (Zone.IsInvalidTime(local))
        {
            // A zone whose clocks jump forward at midnight: the day ends at the first instant that exists.
            local = local.AddMinutes(30);
        }

        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }

    /// <summary>
    /// The years without a holiday arrangement that matter now: this year, next year from
    /// <see cref="CalendarOptions.NextYearReminderMonth"/>, and any year a deadline was counted in since the host
    /// started (those deadlines counted weekends only).
    /// </summary>
    public IReadOnlyList<int> MissingYears()
    {
        var today = LocalDate(_time.GetUtcNow());
        var snapshot = Current();
        var relevant = new SortedSet<int>(_yearsUsedUnconfigured.Keys) { today.Year };
        if (today.Month >= _options.NextYearReminderMonth)
        {
            relevant.Add(today.Year + 1);
        }

        return [.. relevant.Where(y => !snapshot.Years.Contains(y))];
    }

    /// <summary>What the dashboard and the calendar page show for each <see cref="MissingYears">missing year</see>.</summary>
    public IReadOnlyList<string> MissingYearNotices()
        => [.. MissingYears().Select(y => string.Create(CultureInfo.InvariantCulture, $"{y} 年节假日未配置，暂按周末计算工作日 ({y} holidays are not configured: working days count weekends only)"))];

    /// <summary>Forgets the cached calendar (after an administrator changed it).</summary>
    public void Invalidate() => Volatile.Write(ref _snapshot, null);

    private Snapshot Current()
    {
        var snapshot = Volatile.Read(ref _snapshot);
        var now = _time.GetUtcNow();
        if (snapshot is not null && now - snapshot.LoadedAt < _options.CacheDuration)
        {
            return snapshot;
        }

        using var db = _contexts.CreateDbContext();
        var days = db.Set<CalendarDay>().AsNoTracking().ToDictionary(d => d.Date, d => d.Kind);
        var years = db.Set<CalendarYear>().AsNoTracking().Select(y => y.Year).ToHashSet();
        var ruleSets = db.Set<DeadlineRuleSet>().AsNoTracking().OrderBy(r => r.EffectiveFrom).ToList();
        snapshot = new Snapshot(days, years, ruleSets, now);
        Volatile.Write(ref _snapshot, snapshot);
        return snapshot;
    }

    private static (TimeOnly, TimeOnly) ParseRange(string range)
    {
        var parts = range.Split('-', StringSplitOptions.TrimEntries);
        return parts.Length == 2 && TimeOnly.TryParse(parts[0], CultureInfo.InvariantCulture, out var from) && TimeOnly.TryParse(parts[1], CultureInfo.InvariantCulture, out var to) && from < to
            ? (from, to)
            : throw new OptionsValidationException(CalendarOptions.Section, typeof(CalendarOptions), [$"{CalendarOptions.Section}:OfficeHours: '{range}' is not a range like 08:30-12:00 (办公时间格式应为 08:30-12:00)."]);
    }

    /// <summary>The deadline rule sets by effective date (read with the calendar, so deadlines need no query of their own).</summary>
    internal IReadOnlyList<DeadlineRuleSet> RuleSets() => Current().RuleSets;

    private sealed record Snapshot(Dictionary<DateOnly, CalendarDayKind> Days, HashSet<int> Years, List<DeadlineRuleSet> RuleSets, DateTimeOffset LoadedAt);
}
