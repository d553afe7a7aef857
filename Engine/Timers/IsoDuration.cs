using System.Globalization;
using System.Text;

namespace ComplaintWorkflows.Engine.Timers;

/// <summary>An ISO-8601 duration such as <c>P1Y2M10DT2H30M</c>, <c>P2W</c> or <c>PT0.5S</c>.</summary>
public readonly record struct IsoDuration(int Years, int Months, int Weeks, int Days, int Hours, int Minutes, decimal Seconds)
{
    /// <summary>Longest text accepted; anything longer is not a duration a person wrote.</summary>
    private const int MaxLength = 64;

    /// <summary>Each component must stay below this so that adding it to a date cannot overflow.</summary>
    private const int MaxComponent = 100_000;

    public static IsoDuration Parse(string text)
        => TryParse(text, out var duration, out var error) ? duration : throw new FormatException(error);

    public static bool TryParse(string? text, out IsoDuration duration) => TryParse(text, out duration, out _);

    public static bool TryParse(string? text, out IsoDuration duration, out string? error)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "an ISO-8601 duration is empty";
            return false;
        }

        text = text.Trim();
        var shown = text.Length > MaxLength ? text[..MaxLength] + "…" : text;
        if (text.Length > MaxLength)
        {
            error = $"'{shown}' is too long to be an ISO-8601 duration";
            return false;
        }

        if (text[0] != 'P')
        {
            error = $"'{shown}' is not an ISO-8601 duration: it must start with 'P' (e.g. PT30M, P3D)";
            return false;
        }

        int years = 0, months = 0, weeks = 0, days = 0, hours = 0, minutes = 0;
        decimal seconds = 0;
        var inTime = false;
        var any = false;
        var i = 1;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (i < text.Length)
        {
            if (text[i] == 'T')
            {
                if (inTime)
                {
                    error = $"'{shown}' has 'T' twice";
                    return false;
                }

                inTime = true;
                i++;
                continue;
            }

            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.' || text[i] == ','))
            {
                i++;
            }

            if (i == start || i >= text.Length)
            {
                error = $"'{shown}' is not an ISO-8601 duration: expected a number followed by one of Y, M, W, D, H, M, S at position {start + 1}";
                return false;
            }

            var number = text[start..i].Replace(',', '.');
            var unit = (inTime ? "T" : "") + text[i];
            i++;
            if (!seen.Add(unit))
            {
                error = $"'{shown}' gives the unit '{unit[^1]}' twice";
                return false;
            }

            if (unit == "TS")
            {
                if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out seconds) || seconds >= MaxComponent * 100m)
                {
                    error = $"'{shown}' has seconds '{number}' that are not a number in range";
                    return false;
                }

                any = true;
                continue;
            }

            if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value >= MaxComponent)
            {
                error = $"'{shown}': '{number}{unit[^1]}' must be a whole number below {MaxComponent}";
                return false;
            }

            switch (unit)
            {
                case "Y": years = value; break;
                case "M": months = value; break;
                case "W": weeks = value; break;
                case "D": days = value; break;
                case "TH": hours = value; break;
                case "TM": minutes = value; break;
                default:
                    error = $"'{shown}': unit '{unit[^1]}' is not allowed {(inTime ? "after 'T'" : "before 'T'")}";
                    return false;
            }

            any = true;
        }

        if (!any)
        {
            error = $"'{shown}' names no amount of time";
            return false;
        }

        duration = new IsoDuration(years, months, weeks, days, hours, minutes, seconds);
        error = null;
        return true;
    }

    /// <summary>Adds the duration to an instant, calendar-aware for years and months (31 Jan + P1M = 28/29 Feb).</summary>
    public DateTimeOffset AddTo(DateTimeOffset instant)
        => instant.AddYears(Years).AddMonths(Months).AddDays((Weeks * 7) + Days).AddHours(Hours).AddMinutes(Minutes).AddTicks((long)(Seconds * TimeSpan.TicksPerSecond));

    /// <summary>True when the duration moves time forward at all.</summary>
    public bool IsPositive => Years > 0 || Months > 0 || Weeks > 0 || Days > 0 || Hours > 0 || Minutes > 0 || Seconds > 0;

    public override string ToString()
    {
        var text = new StringBuilder("P");
        Append(text, Years, 'Y');
        Append(text, Months, 'M');
        Append(text, Weeks, 'W');
        Append(text, Days, 'D');
        if (Hours > 0 || Minutes > 0 || Seconds > 0)
        {
            text.Append('T');
            Append(text, Hours, 'H');
            Append(text, Minutes, 'M');
            if (Seconds > 0)
            {
                text.Append(Seconds.ToString("0.#########", CultureInfo.InvariantCulture)).Append('S');
            }
        }

        return text.Length == 1 ? "PT0S" : text.ToString();
    }

    private static void Append(StringBuilder text, int value, char unit)
    {
        if (value > 0)
        {
            text.Append(value.ToString(CultureInfo.InvariantCulture)).Append(unit);
        }
    }
}
