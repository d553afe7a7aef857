using ComplaintWorkflows.Activities.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Calendar;

/// <summary>
/// Working days from the administrators' calendar: weekends are days off unless a make-up working day,
/// statutory holidays are off. A year nobody has entered falls back to weekends only, and
/// <see cref="MissingYears"/> says so (for the admin page: "2027 年节假日未配置").
/// Deadlines end at 23:59:59 local time of their last working day.
/// </summary>
public sealed class WorkingCalendar : IWorkingCalendar
{
    private readonly IDbContextFactory<DomainDbContext> _contexts;
    private readonly TimeProvider _time;
    private readonly CalendarOptions _options;
    private readonly (TimeOnly From, TimeOnly To)[] _officeHours;
    private Snapshot? _snapshot;

    public WorkingCalendar(IDbContextFactory<DomainDbContext> contexts, TimeProvider time, IOptions<CalendarOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _contexts = contexts;
        _time = time;
        _options = options.Value;
        Zone = TimeZoneInfo.FindSystemTimeZoneById(_options.TimeZone);
        _officeHours = [.. _options.OfficeHours.Select(ParseRange)];
    }

    public TimeZoneInfo Zone { get; }

    public bool IsWorkingDay(DateOnly day)
    {
        var snapshot = Current();
        if (snapshot.Days.TryGetValue(day, out var kind))
        {
            return kind == CalendarDayKind.MakeUpWorkday;
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

    public DateTimeOffset AddWorkingDays(DateTimeOffset start, int workingDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workingDays);
        var day = LocalDate(start);
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

    /// <summary>Working days in (from, to]: the day a span starts does not count, the day it ends does.</summary>
    public int WorkingDaysBetween(DateTimeOffset from, DateTimeOffset to)
    {
        var count = 0;
        for (var day = LocalDate(from).AddDays(1); day <= LocalDate(to); day = day.AddDays(1))
        {
            if (IsWorkingDay(day))
            {
                count++;
            }
        }

        return count;
    }

    public DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Zone).DateTime);

    /// <summary>23:59:59 local time of the day.</summary>
    public DateTimeOffset EndOf(DateOnly day)
    {
        var local = day.ToDateTime(new TimeOnly(23, 59, 59));
        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }

    /// <summary>Years between this one and the next that have no holiday arrangement entered.</summary>
    public IReadOnlyList<int> MissingYears()
    {
        var year = LocalDate(_time.GetUtcNow()).Year;
        return [.. new[] { year, year + 1 }.Where(y => !Current().Years.Contains(y) && (y == year || LocalDate(_time.GetUtcNow()).Month >= 11))];
    }

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
        snapshot = new Snapshot(days, years, now);
        Volatile.Write(ref _snapshot, snapshot);
        return snapshot;
    }

    private static (TimeOnly, TimeOnly) ParseRange(string range)
    {
        var parts = range.Split('-', StringSplitOptions.TrimEntries);
        return parts.Length == 2 && TimeOnly.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out var from) && TimeOnly.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var to) && from < to
            ? (from, to)
            : throw new OptionsValidationException(CalendarOptions.Section, typeof(CalendarOptions), [$"Office hours '{range}' must look like 08:30-12:00."]);
    }

    private sealed record Snapshot(Dictionary<DateOnly, CalendarDayKind> Days, HashSet<int> Years, DateTimeOffset LoadedAt);
}
