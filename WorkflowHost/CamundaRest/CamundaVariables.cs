using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ComplaintWorkflows.WorkflowHost.CamundaRest;

/// <summary>A typed variable as Camunda writes it: <c>{"value":..,"type":"String","valueInfo":{}}</c>.</summary>
public sealed record VariableValueDto(JsonElement Value, string? Type, Dictionary<string, JsonElement>? ValueInfo);

/// <summary>A typed variable in an answer.</summary>
public sealed record VariableOutDto(object? Value, string Type, IReadOnlyDictionary<string, object?> ValueInfo);

/// <summary>Conversion between Camunda's typed variables and the engine's normal value forms.</summary>
public static partial class CamundaVariables
{
    private static readonly IReadOnlyDictionary<string, object?> NoInfo = new Dictionary<string, object?>();

    /// <summary>Camunda's date format, <c>yyyy-MM-dd'T'HH:mm:ss.SSSZ</c> (offset without colon).</summary>
    public static string FormatDate(DateTimeOffset date)
    {
        var offset = date.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        offset = offset.Duration();
        return string.Create(CultureInfo.InvariantCulture, $"{date:yyyy-MM-dd'T'HH:mm:ss.fff}{sign}{offset.Hours:00}{offset.Minutes:00}");
    }

    public static string? FormatDate(DateTimeOffset? date) => date is { } d ? FormatDate(d) : null;

    /// <summary>Reads <c>2013-01-23T13:42:42.657+0200</c>, <c>+02:00</c> or <c>Z</c> forms.</summary>
    public static bool TryParseDate(string text, out DateTimeOffset date)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalized = OffsetWithoutColon().Replace(text.Trim(), "$1$2:$3");
        return DateTimeOffset.TryParse(normalized, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out date);
    }

    /// <summary>Converts request variables to engine values; a bad type or value is a 400 <c>InvalidRequestException</c>.</summary>
    public static Dictionary<string, object?> FromDtos(IReadOnlyDictionary<string, VariableValueDto>? variables)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (variables is null)
        {
            return result;
        }

        foreach (var (name, dto) in variables)
        {
            result[name] = FromDto(name, dto);
        }

        return result;
    }

    public static object? FromDto(string name, VariableValueDto? dto)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (dto is null)
        {
            return null;
        }

        var value = dto.Value;
        var type = dto.Type?.ToUpperInvariant();
        var isNull = value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null;
        try
        {
            return type switch
            {
                null or "" => isNull ? null : FromJson(value),
                "NULL" => null,
                _ when isNull => null,
                "STRING" => value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString(),
                    JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
                    _ => throw Invalid(name, dto.Type!, value),
                },
                "BOOLEAN" => value.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    JsonValueKind.String when bool.TryParse(value.GetString(), out var flag) => flag,
                    _ => throw Invalid(name, dto.Type!, value),
                },
                "SHORT" => Integral(name, dto.Type!, value, short.MinValue, short.MaxValue),
                "INTEGER" => Integral(name, dto.Type!, value, int.MinValue, int.MaxValue),
                "LONG" => Integral(name, dto.Type!, value, long.MinValue, long.MaxValue),
                "DOUBLE" => value.ValueKind switch
                {
                    JsonValueKind.Number => value.GetDouble(),
                    JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var real) => real,
                    _ => throw Invalid(name, dto.Type!, value),
                },
                "DATE" => value.ValueKind == JsonValueKind.String && TryParseDate(value.GetString()!, out var date)
                    ? date
                    : throw Invalid(name, dto.Type!, value),
                "JSON" => JsonText(name, dto.Type!, value),
                "OBJECT" => ObjectValue(name, dto, value),
                _ => throw CamundaRestException.InvalidRequest($"Cannot convert value of variable '{name}': unsupported value type '{dto.Type}'."),
            };
        }
        catch (JsonException ex)
        {
            throw CamundaRestException.InvalidRequest($"Cannot convert value of variable '{name}' to type {dto.Type}: {ex.Message}");
        }
    }

    /// <summary>Engine values as Camunda's typed variables.</summary>
    public static Dictionary<string, VariableOutDto> ToDtos(IEnumerable<KeyValuePair<string, object?>> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        return variables.ToDictionary(kv => kv.Key, kv => ToDto(kv.Value), StringComparer.Ordinal);
    }

    public static VariableOutDto ToDto(object? value) => value switch
    {
        null => new(null, "Null", NoInfo),
        string s => new(s, "String", NoInfo),
        bool b => new(b, "Boolean", NoInfo),
        long l when l is >= int.MinValue and <= int.MaxValue => new(l, "Integer", NoInfo),
        long l => new(l, "Long", NoInfo),
        double d => new(d, "Double", NoInfo),
        DateTimeOffset d => new(FormatDate(d), "Date", NoInfo),
        _ => new(JsonSerializer.Serialize(ToPlain(value)), "Json", NoInfo),
    };

    /// <summary>A JSON value as an engine value: objects become maps, arrays lists, numbers long or double.</summary>
    public static object? FromJson(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number when value.TryGetInt64(out var l) => l,
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.Array => value.EnumerateArray().Select(FromJson).ToList(),
        JsonValueKind.Object => value.EnumerateObject().ToDictionary(p => p.Name, p => FromJson(p.Value), StringComparer.Ordinal),
        _ => null,
    };

    /// <summary>Dates inside lists and maps are written in Camunda's format.</summary>
    private static object? ToPlain(object? value) => value switch
    {
        DateTimeOffset d => FormatDate(d),
        List<object?> list => list.Select(ToPlain).ToList(),
        IDictionary<string, object?> map => map.ToDictionary(kv => kv.Key, kv => ToPlain(kv.Value), StringComparer.Ordinal),
        _ => value,
    };

    private static long Integral(string name, string type, JsonElement value, long min, long max)
    {
        long number;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var l))
        {
            number = l;
        }
        else if (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
        {
            number = parsed;
        }
        else
        {
            throw Invalid(name, type, value);
        }

        return number >= min && number <= max ? number : throw Invalid(name, type, value);
    }

    private static object? JsonText(string name, string type, JsonElement value)
    {
        if (value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
        {
            return FromJson(value);
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw Invalid(name, type, value);
        }

        using var document = JsonDocument.Parse(value.GetString()!);
        return FromJson(document.RootElement);
    }

    private static object? ObjectValue(string name, VariableValueDto dto, JsonElement value)
    {
        var format = dto.ValueInfo is { } info && info.TryGetValue("serializationDataFormat", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
        if (format is not null && !format.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw CamundaRestException.InvalidRequest($"Cannot convert value of variable '{name}': serialization data format '{format}' is not supported; use application/json.");
        }

        return JsonText(name, dto.Type!, value);
    }

    private static CamundaRestException Invalid(string name, string type, JsonElement value)
        => CamundaRestException.InvalidRequest($"Cannot convert value '{Shorten(value.GetRawText())}' of variable '{name}' to type {type}.");

    private static string Shorten(string text) => text.Length > 60 ? text[..60] + "…" : text;

    [GeneratedRegex(@"^(.*T.*)([+-]\d{2})(\d{2})$")]
    private static partial Regex OffsetWithoutColon();
}
