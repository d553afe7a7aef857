using System.Collections;
using System.Globalization;
using System.Text.Json;
using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;

namespace ComplaintWorkflows.Engine.Expressions;

/// <summary>
/// Converts between the normal .NET form of variable values (null, bool, string, long, double, DateTimeOffset,
/// List, Dictionary) and JavaScript values. No CLR object ever reaches a script: anything else is refused.
/// </summary>
internal static class JsConversion
{
    private const int MaxDepth = 64;

    public static JsValue ToJs(Jint.Engine engine, string name, object? value, int depth = 0)
    {
        if (depth > MaxDepth)
        {
            throw new ExpressionException($"Variable '{name}' is nested more than {MaxDepth} levels deep (or contains a cycle).");
        }

        switch (value)
        {
            case null:
                return JsValue.Null;
            case string s:
                return JsString.Create(s);
            case bool b:
                return b ? JsBoolean.True : JsBoolean.False;
            case long l:
                return JsNumber.Create(l);
            case int i:
                return JsNumber.Create(i);
            case double d:
                return JsNumber.Create(d);
            case float f:
                return JsNumber.Create(f);
            case decimal m:
                return JsNumber.Create((double)m);
            case short or byte or sbyte or ushort or uint or ulong:
                return JsNumber.Create(Convert.ToDouble(value, CultureInfo.InvariantCulture));
            case DateTimeOffset dto:
                return new JsDate(engine, dto);
            case DateTime dt:
                return new JsDate(engine, dt.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(dt, TimeSpan.Zero) : new DateTimeOffset(dt));
            case JsonElement json:
                return FromJson(engine, name, json, depth);
            case IDictionary<string, object?> map:
                return ToJsObject(engine, name, map, depth);
            case IReadOnlyDictionary<string, object?> readOnlyMap:
                return ToJsObject(engine, name, readOnlyMap, depth);
            case IEnumerable sequence and not IDictionary:
                var items = new List<JsValue>();
                foreach (var item in sequence)
                {
                    items.Add(ToJs(engine, name, item, depth + 1));
                }

                return new JsArray(engine, [.. items]);
            default:
                throw new ExpressionException(
                    $"Variable '{name}' holds a {value.GetType().Name}, which is not given to scripts; use null, bool, string, a number, a date, a list or a string-keyed map.");
        }
    }

    private static JsObject ToJsObject(Jint.Engine engine, string name, IEnumerable<KeyValuePair<string, object?>> map, int depth)
    {
        var obj = new JsObject(engine);
        foreach (var (key, item) in map)
        {
            obj.CreateDataProperty(key, ToJs(engine, name, item, depth + 1));
        }

        return obj;
    }

    private static JsValue FromJson(Jint.Engine engine, string name, JsonElement json, int depth) => json.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => JsValue.Null,
        JsonValueKind.True => JsBoolean.True,
        JsonValueKind.False => JsBoolean.False,
        JsonValueKind.String => JsString.Create(json.GetString()!),
        JsonValueKind.Number => JsNumber.Create(json.GetDouble()),
        JsonValueKind.Array => new JsArray(engine, [.. json.EnumerateArray().Select(e => ToJs(engine, name, e, depth + 1))]),
        _ => ToJsObject(engine, name, json.EnumerateObject().Select(p => new KeyValuePair<string, object?>(p.Name, p.Value)), depth),
    };

    /// <summary>
    /// The normal .NET form of a script's value. Reads data properties only (never getters or proxy traps), so
    /// converting a result can run no script outside the limits of an evaluation.
    /// </summary>
    public static object? ToClr(JsValue value, int depth = 0)
    {
        if (depth > MaxDepth)
        {
            throw new ExpressionException($"The result is nested more than {MaxDepth} levels deep (or contains a cycle).");
        }

        if (value.IsUndefined() || value.IsNull())
        {
            return null;
        }

        if (value.IsBoolean())
        {
            return value.AsBoolean();
        }

        if (value.IsString())
        {
            return value.AsString();
        }

        if (value.IsNumber())
        {
            return FromNumber(value.AsNumber());
        }

        if (value.IsBigInt())
        {
            var big = TypeConverter.ToBigInt(value);
            return big >= long.MinValue && big <= long.MaxValue
                ? (long)big
                : throw new ExpressionException($"The BigInt {big} does not fit a 64-bit integer.");
        }

        if (value.IsSymbol() || value is not ObjectInstance obj)
        {
            throw new ExpressionException($"A JavaScript {value.Type} has no .NET form.");
        }

        // Proxies run script traps on every reflective read; there is no public type to test, hence the name.
        if (obj.GetType().Name.Contains("Proxy", StringComparison.Ordinal))
        {
            throw new ExpressionException("A JavaScript Proxy cannot be returned from an expression.");
        }

        if (JsValueExtensions.IsCallable(value))
        {
            throw new ExpressionException("A JavaScript function has no .NET form.");
        }

        if (value is JsDate date)
        {
            var ms = date.DateValue;
            return double.IsNaN(ms)
                ? throw new ExpressionException("The result is an invalid Date.")
                : DateTimeOffset.FromUnixTimeMilliseconds((long)ms);
        }

        if (value.IsArray())
        {
            var length = (long)TypeConverter.ToNumber(DataValue(obj, "length"));
            var list = new List<object?>((int)Math.Min(length, 1024));
            for (long i = 0; i < length; i++)
            {
                list.Add(ToClr(DataValue(obj, JsString.Create(i.ToString(CultureInfo.InvariantCulture))), depth + 1));
            }

            return list;
        }

        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var key in obj.GetOwnPropertyKeys(Types.String))
        {
            var descriptor = obj.GetOwnProperty(key);
            if (descriptor.Enumerable && descriptor.IsDataDescriptor())
            {
                map[key.AsString()] = ToClr(descriptor.Value, depth + 1);
            }
        }

        return map;
    }

    public static object FromNumber(double d)
    {
        // [-2^63, 2^63): the doubles that convert to long without overflow.
        if (double.IsFinite(d) && Math.Floor(d) == d && d >= -9.2233720368547758E18 && d < 9.2233720368547758E18)
        {
            return (long)d;
        }

        return d;
    }

    private static JsValue DataValue(ObjectInstance obj, JsValue key)
    {
        var descriptor = obj.GetOwnProperty(key);
        return descriptor == PropertyDescriptor.Undefined || !descriptor.IsDataDescriptor() ? JsValue.Undefined : descriptor.Value;
    }

    public static string Describe(object? value) => value switch
    {
        null => "null",
        string => "a string",
        long or double => "a number",
        DateTimeOffset => "a date",
        List<object?> => "a list",
        Dictionary<string, object?> => "a map",
        _ => $"a {value.GetType().Name}",
    };
}
