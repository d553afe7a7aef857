using System.Collections;
using System.Globalization;

namespace ComplaintWorkflows.Engine.Variables;

/// <summary>Brings values given by callers into the normal form documented on <see cref="VariableType"/>.</summary>
public static class VariableValues
{
    public static object? Normalize(object? value) => value switch
    {
        null => null,
        string or bool or long or double or DateTimeOffset => value,
        int i => (long)i,
        short s => (long)s,
        byte b => (long)b,
        uint u => (long)u,
        ulong ul when ul <= long.MaxValue => (long)ul,
        float f => (double)f,
        decimal m when m == decimal.Truncate(m) && m >= long.MinValue && m <= long.MaxValue => (long)m,
        decimal m => (double)m,
        DateTime dt => dt.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(dt, TimeSpan.Zero) : new DateTimeOffset(dt),
        DateOnly d => new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
        Guid g => g.ToString(),
        Enum e => e.ToString(),
        IDictionary<string, object?> map => map.ToDictionary(kv => kv.Key, kv => Normalize(kv.Value), StringComparer.Ordinal),
        IDictionary dictionary => dictionary.Keys.Cast<object>().ToDictionary(
            k => Convert.ToString(k, CultureInfo.InvariantCulture) ?? "",
            k => Normalize(dictionary[k]),
            StringComparer.Ordinal),
        IEnumerable sequence => sequence.Cast<object?>().Select(Normalize).ToList(),
        _ => throw new ArgumentException($"A variable cannot hold a {value.GetType().Name}; use a string, number, boolean, date, list or map.", nameof(value)),
    };

    /// <summary>Copies a caller's dictionary into normal form; null gives an empty dictionary.</summary>
    public static Dictionary<string, object?> NormalizeAll(IEnumerable<KeyValuePair<string, object?>>? variables)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (variables is not null)
        {
            foreach (var (name, value) in variables)
            {
                result[name] = Normalize(value);
            }
        }

        return result;
    }

    /// <summary>Converts a value to the given type, or explains why it cannot be.</summary>
    public static bool TryConvert(object? value, VariableType type, out object? converted, out string? error)
    {
        error = null;
        converted = value;
        if (value is null || type == VariableType.Any)
        {
            return true;
        }

        switch (type)
        {
            case VariableType.String:
                converted = value is string s ? s : Convert.ToString(value, CultureInfo.InvariantCulture);
                return true;
            case VariableType.Boolean when value is bool:
                return true;
            case VariableType.Boolean when value is string text && bool.TryParse(text, out var flag):
                converted = flag;
                return true;
            case VariableType.Integer when value is long:
                return true;
            case VariableType.Integer when value is double d && d == Math.Floor(d) && Math.Abs(d) < 9e15:
                converted = (long)d;
                return true;
            case VariableType.Integer when value is string text && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number):
                converted = number;
                return true;
            case VariableType.Double when value is double:
                return true;
            case VariableType.Double when value is long l:
                converted = (double)l;
                return true;
            case VariableType.Double when value is string text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real):
                converted = real;
                return true;
            case VariableType.Date when value is DateTimeOffset:
                return true;
            case VariableType.Date when value is string text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date):
                converted = date;
                return true;
            case VariableType.List when value is List<object?>:
                return true;
            case VariableType.Map when value is Dictionary<string, object?>:
                return true;
            default:
                error = $"expected {type}, got {Describe(value)}";
                return false;
        }
    }

    /// <summary>What <see cref="Describe"/> says of a value holding personal data: its type only ("text (masked)").</summary>
    public static string DescribeMasked(object? value) => value switch
    {
        null => "null",
        string => "text (masked)",
        bool => "boolean (masked)",
        long or double => "number (masked)",
        DateTimeOffset => "date (masked)",
        List<object?> => "list (masked)",
        Dictionary<string, object?> => "map (masked)",
        _ => value.GetType().Name + " (masked)",
    };

    public static string Describe(object? value) => value switch
    {
        null => "null",
        string s => $"text \"{(s.Length > 40 ? s[..40] + "…" : s)}\"",
        bool b => b ? "true" : "false",
        long or double => $"number {Convert.ToString(value, CultureInfo.InvariantCulture)}",
        DateTimeOffset d => $"date {d:O}",
        List<object?> l => $"list of {l.Count}",
        Dictionary<string, object?> m => $"map of {m.Count}",
        _ => value.GetType().Name,
    };
}
