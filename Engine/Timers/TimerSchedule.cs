using System.Globalization;
using ComplaintWorkflows.Engine.Model;
using Quartz;

namespace ComplaintWorkflows.Engine.Timers;

/// <summary>
/// When a BPMN timer fires: a <c>timeDate</c> (ISO-8601 date-time), a <c>timeDuration</c> (ISO-8601
/// duration from the start of the wait) or a <c>timeCycle</c> (ISO-8601 repeating interval such as
/// <c>R3/PT10S</c> or <c>R/2026-01-01T08:00:00+08:00/P1D</c>, or a Quartz cron expression such as
/// <c>0 0/5 * * * ?</c>). Repetitions follow Camunda 7: <c>R3/PT10S</c> fires three times in all.
/// </summary>
public sealed class TimerSchedule
{
    /// <summary>Longest definition accepted (cron expressions are the longest legitimate ones).</summary>
    private const int MaxLength = 256;

    private readonly DateTimeOffset? _date;
    private readonly IsoDuration _interval;
    private readonly DateTimeOffset? _cycleStart;
    private readonly DateTimeOffset? _cycleEnd;
    private readonly CronExpression? _cron;

    private TimerSchedule(TimerKind kind, string text, int? repetitions, DateTimeOffset? date = null, IsoDuration interval = default, DateTimeOffset? cycleStart = null, DateTimeOffset? cycleEnd = null, CronExpression? cron = null)
    {
        Kind = kind;
        Text = text;
        Repetitions = repetitions;
        _date = date;
        _interval = interval;
        _cycleStart = cycleStart;
        _cycleEnd = cycleEnd;
        _cron = cron;
    }

    public TimerKind Kind { get; }

    public string Text { get; }

    /// <summary>How many times the timer fires in all; null for an unbounded cycle.</summary>
    public int? Repetitions { get; }

    public static TimerSchedule Parse(TimerKind kind, string text, TimeZoneInfo? defaultZone = null)
        => TryParse(kind, text, out var schedule, out var error, defaultZone) ? schedule! : throw new FormatException(error);

    /// <summary>What is wrong with a timer definition, or null when it parses (the validator's timer check).</summary>
    public static string? Check(TimerKind kind, string text) => Check(kind, text, null);

    /// <summary>As <see cref="Check(TimerKind, string)"/>, reading dates without an offset in <paramref name="defaultZone"/>.</summary>
    public static string? Check(TimerKind kind, string text, TimeZoneInfo? defaultZone)
        => TryParse(kind, text, out _, out var error, defaultZone) ? null : error;

    public static bool TryParse(TimerKind kind, string? text, out TimerSchedule? schedule, out string? error, TimeZoneInfo? defaultZone = null)
    {
        schedule = null;
        text = text?.Trim() ?? "";
        if (text.Length == 0)
        {
            error = $"the timer {Describe(kind)} is empty";
            return false;
        }

        if (text.Length > MaxLength)
        {
            error = $"the timer {Describe(kind)} is {text.Length} characters long; at most {MaxLength} are accepted";
            return false;
        }

        var zone = defaultZone ?? TimeZoneInfo.Utc;
        switch (kind)
        {
            case TimerKind.Date:
                if (!TryParseDate(text, zone, out var date))
                {
                    error = $"'{text}' is not an ISO-8601 date-time (e.g. 2026-12-01T09:00:00+08:00)";
                    return false;
                }

                schedule = new TimerSchedule(kind, text, 1, date: date);
                error = null;
                return true;
            case TimerKind.Duration:
                if (!IsoDuration.TryParse(text, out var duration, out error))
                {
                    return false;
                }

                schedule = new TimerSchedule(kind, text, 1, interval: duration);
                return true;
            default:
                return TryParseCycle(text, zone, out schedule, out error);
        }
    }

    private static bool TryParseCycle(string text, TimeZoneInfo zone, out TimerSchedule? schedule, out string? error)
    {
        schedule = null;
        if (!text.StartsWith('R'))
        {
            try
            {
                var cron = new CronExpression(text, zone);
                schedule = new TimerSchedule(TimerKind.Cycle, text, null, cron: cron);
                error = null;
                return true;
            }
            catch (FormatException ex)
            {
                error = $"'{text}' is neither an ISO-8601 repeating interval (e.g. R3/PT10M) nor a valid cron expression: {ex.Message}";
                return false;
            }
        }

        var parts = text.Split('/');
        if (parts.Length is < 2 or > 3)
        {
            error = $"'{text}' is not an ISO-8601 repeating interval: expected R[n]/duration, R[n]/start/duration or R[n]/duration/end";
            return false;
        }

        int? repetitions = null;
        if (parts[0].Length > 1)
        {
            if (!int.TryParse(parts[0].AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
            {
                error = $"'{text}': '{parts[0]}' must be R followed by a whole number of repetitions from 1 to {int.MaxValue}, or R alone for no limit";
                return false;
            }

            repetitions = n;
        }

        DateTimeOffset? start = null, end = null;
        IsoDuration interval;
        if (parts.Length == 2)
        {
            if (!IsoDuration.TryParse(parts[1], out interval, out error))
            {
                return false;
            }
        }
        else if (IsoDuration.TryParse(parts[1], out interval))
        {
            if (!TryParseDate(parts[2], zone, out var e))
            {
                error = $"'{text}': '{parts[2]}' is not an ISO-8601 date-time ending the cycle";
                return false;
            }

            end = e;
        }
        else
        {
            if (!TryParseDate(parts[1], zone, out var s))
            {
                error = $"'{text}': '{parts[1]}' is neither a duration nor an ISO-8601 date-time starting the cycle";
                return false;
            }

            start = s;
            if (!IsoDuration.TryParse(parts[2], out interval, out error))
            {
                return false;
            }
        }

        if (!interval.IsPositive)
        {
            error = $"'{text}': the interval of a cycle must be longer than zero";
            return false;
        }

        schedule = new TimerSchedule(TimerKind.Cycle, text, repetitions, interval: interval, cycleStart: start, cycleEnd: end);
        error = null;
        return true;
    }

    /// <summary>When the timer first fires, for a wait that begins at <paramref name="now"/>.</summary>
    public DateTimeOffset? GetFirstDue(DateTimeOffset now)
    {
        if (_date is { } date)
        {
            return date;
        }

        if (_cron is { } cron)
        {
            return cron.GetNextValidTimeAfter(now);
        }

        if (Kind == TimerKind.Duration)
        {
            return _interval.AddTo(now);
        }

        // A cycle with an explicit start fires first at that start (at once when the start is past).
        var first = _cycleStart ?? _interval.AddTo(now);
        return _cycleEnd is { } end && first > end ? null : first;
    }

    /// <summary>
    /// When the timer fires next after firing at <paramref name="previousDue"/>;
    /// <paramref name="firedCount"/> counts the firings so far, that one included. Null when it is done.
    /// </summary>
    public DateTimeOffset? GetNextDue(DateTimeOffset previousDue, int firedCount)
    {
        if (Kind != TimerKind.Cycle || (Repetitions is { } max && firedCount >= max))
        {
            return null;
        }

        var next = _cron is { } cron ? cron.GetNextValidTimeAfter(previousDue) : _interval.AddTo(previousDue);
        return _cycleEnd is { } end && next > end ? null : next;
    }

    /// <summary>The schedule in plain words, for logs and the designer.</summary>
    public string Describe() => Kind switch
    {
        TimerKind.Date => $"once at {_date:O}",
        TimerKind.Duration => $"once, {_interval} after the wait begins",
        _ when _cron is not null => $"by cron '{Text}' in {_cron.TimeZone.Id}",
        _ => $"every {_interval}{(Repetitions is { } n ? $", {n} time(s)" : ", without end")}{(_cycleStart is { } s ? $", from {s:O}" : "")}{(_cycleEnd is { } e ? $", until {e:O}" : "")}",
    };

    private static string Describe(TimerKind kind) => kind switch
    {
        TimerKind.Date => "date",
        TimerKind.Duration => "duration",
        _ => "cycle",
    };

    private static bool TryParseDate(string text, TimeZoneInfo zone, out DateTimeOffset date)
    {
        text = text.Trim();
        string[] withOffset = ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK"];
        if (DateTimeOffset.TryParseExact(text, withOffset, CultureInfo.InvariantCulture, DateTimeStyles.None, out date)
            && (text.EndsWith('Z') || text.Length > 6 && (text[^6] is '+' or '-')))
        {
            return true;
        }

        string[] local = ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd"];
        if (DateTime.TryParseExact(text, local, CultureInfo.InvariantCulture, DateTimeStyles.None, out var unspecified))
        {
            date = new DateTimeOffset(unspecified, zone.GetUtcOffset(unspecified));
            return true;
        }

        date = default;
        return false;
    }
}

/// <summary>
/// Retries of a failed job, from <c>camunda:failedJobRetryTimeCycle</c>: <c>R3/PT10S</c> (three retries
/// ten seconds apart) or a list of delays <c>PT1M,PT5M,PT10M</c>; empty means the default count, at once.
/// </summary>
public sealed class RetrySchedule
{
    private readonly IReadOnlyList<IsoDuration> _delays;

    private RetrySchedule(int retries, IReadOnlyList<IsoDuration> delays)
    {
        Retries = retries;
        _delays = delays;
    }

    public int Retries { get; }

    public static bool TryParse(string? text, int defaultRetries, out RetrySchedule schedule)
    {
        try
        {
            schedule = Parse(text, defaultRetries);
            return true;
        }
        catch (FormatException)
        {
            schedule = new RetrySchedule(defaultRetries, []);
            return false;
        }
    }

    public static RetrySchedule Parse(string? text, int defaultRetries = 3)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new RetrySchedule(defaultRetries, []);
        }

        text = text.Trim();
        if (text.StartsWith('R'))
        {
            var parts = text.Split('/');
            if (parts.Length != 2 || !int.TryParse(parts[0].AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count is < 0 or > 1000)
            {
                throw new FormatException($"'{text}' is not a retry cycle such as R3/PT10S (at most 1000 retries).");
            }

            return new RetrySchedule(count, [IsoDuration.Parse(parts[1])]);
        }

        var delays = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(IsoDuration.Parse).ToList();
        return delays.Count <= 1000
            ? new RetrySchedule(delays.Count, delays)
            : throw new FormatException("At most 1000 retry delays are accepted.");
    }

    /// <summary>The wait before retry <paramref name="retryNumber"/> (1-based), measured from <paramref name="failedAt"/>.</summary>
    public DateTimeOffset DueAfterFailure(int retryNumber, DateTimeOffset failedAt)
        => _delays.Count == 0 ? failedAt : _delays[Math.Clamp(retryNumber - 1, 0, _delays.Count - 1)].AddTo(failedAt);
}
