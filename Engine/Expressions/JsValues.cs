using Jint;
using Jint.Native;
using Jint.Native.Object;

namespace ComplaintWorkflows.Engine.Expressions;

/// <summary>Converts between variable values in their normal .NET form and JavaScript values; nothing else crosses.</summary>
internal static class JsValues
{
    private const int MaxDepth = 64;

    public static JsValue ToJs(Jint.Engine engine, object? value, int depth = 0)
    {
        if (depth > MaxDepth)
        {
            throw new ExpressionException($"A variable is nested deeper than {MaxDepth} levels.");
        }

        switch (value)
        {
            case null:
                return JsValue.Null;
            case string s:
                return new JsString(s);
            case bool b:
                return b ? JsBoolean.True : JsBoolean.False;
            case long l:
                return JsNumber.Create(l);
            case int i:
                return JsNumber.Create(i);
            case double d:
                return JsNumber.Create(d);
            case decimal m:
                return JsNumber.Create((double)m);
            case DateTimeOffset t:
                return JsValue.FromObject(engine, t.UtcDateTime);
            case DateTime t:
                return JsValue.FromObject(engine, t);
            case List<object?> list:
                var items = new JsValue[list.Count];
                for (var k = 0; k < items.Length; k++)
                {
                    items[k] = ToJs(engine, list[k], depth + 1);
                }

                return new JsArray(engine, items);
            case Dictionary<string, object?> map:
                var obj = new JsObject(engine);
                foreach (var (key, item) in map)
                {
                    obj.Set(key, ToJs(engine, item, depth + 1));
                }

                return obj;
            default:
                throw new ExpressionException($"A variable holding a {value.GetType().Name} cannot be used in an expression; use text, numbers, booleans, dates, lists or maps.");
        }
    }

    public static object? FromJs(JsValue value, string where, int depth = 0)
    {
        if (depth > MaxDepth)
        {
            throw new ExpressionException($"'{where}' gave a value nested deeper than {MaxDepth} levels.");
        }

        if (value.IsNull() || value.IsUndefined())
        {
            return null;
        }

        if (value.IsBoolean())
        {
            return value.AsBoolean();
        }

        if (value.IsNumber())
        {
            var d = value.AsNumber();
            return Math.Floor(d) == d && Math.Abs(d) <= 9_007_199_254_740_991d ? (object)(long)d : d;
        }

        if (value.IsString())
        {
            return value.AsString();
        }

        if (value.IsDate())
        {
            var date = value.AsDate();
            return double.IsNaN(date.DateValue) ? null : DateTimeOffset.FromUnixTimeMilliseconds((long)date.DateValue);
        }

        if (value.IsArray())
        {
            var array = value.AsArray();
            var list = new List<object?>((int)Math.Min(array.Length, 100_000));
            for (uint i = 0; i < array.Length; i++)
            {
                list.Add(FromJs(array.Get(i), where, depth + 1));
            }

            return list;
        }

        if (value is ObjectInstance obj && !value.IsCallable())
        {
            var map = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var key in obj.GetOwnPropertyKeys(Jint.Runtime.Types.String))
            {
                var descriptor = obj.GetOwnProperty(key);
                if (descriptor.Enumerable)
                {
                    map[key.ToString()] = FromJs(obj.Get(key), where, depth + 1);
                }
            }

            return map;
        }

        throw new ExpressionException($"'{where}' gave a {(value.IsCallable() ? "function" : value.Type.ToString())}, which cannot be kept as a variable.");
    }
}
