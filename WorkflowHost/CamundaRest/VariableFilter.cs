using System.Globalization;
using System.Text.RegularExpressions;
using ComplaintWorkflows.Engine.Runtime;

namespace ComplaintWorkflows.WorkflowHost.CamundaRest;

/// <summary>
/// Camunda's variable filters in a query string: <c>variables=name_op_value,...</c> (<c>processVariables=</c> on tasks),
/// op one of eq, neq, gt, gteq, lt, lteq, like (<c>%</c> any text). A value that reads as a number, a boolean or a date
/// is compared as one; otherwise as text.
/// </summary>
internal sealed partial class VariableFilter
{
    private readonly List<(string Name, string Operator, string Value)> _conditions;

    private VariableFilter(List<(string, string, string)> conditions) => _conditions = conditions;

    /// <summary>The filter of a query parameter, or null when it is empty; a malformed condition is a 400 naming it.</summary>
    public static VariableFilter? Parse(string? text, string parameter)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var conditions = new List<(string, string, string)>();
        foreach (var condition in CamundaRestEndpoints.SplitList(text))
        {
            var parts = condition.Split('_');
            if (parts.Length != 3 || parts[0].Length == 0 || parts[1] is not ("eq" or "neq" or "gt" or "gteq" or "lt" or "lteq" or "like"))
            {
                throw CamundaRestException.InvalidRequest($"Invalid {parameter} comparator specified: '{condition}' (write name_op_value with op eq, neq, gt, gteq, lt, lteq or like).");
            }

            conditions.Add((parts[0], parts[1], parts[2]));
        }

        return new VariableFilter(conditions);
    }

    /// <summary>The items whose instance's variables meet every condition (one read of variables per item); all when <paramref name="filter"/> is null.</summary>
    public static async Task<List<T>> WhereAsync<T>(VariableFilter? filter, WorkflowEngine engine, List<T> items, Func<T, string> instanceId, CancellationToken cancellationToken)
    {
        if (filter is null)
        {
            return items;
        }

        var matching = new List<T>();
        foreach (var item in items)
        {
            if (await filter.MatchesAsync(engine, instanceId(item), cancellationToken).ConfigureAwait(false))
            {
                matching.Add(item);
            }
        }

        return matching;
    }

    /// <summary>Whether the instance's variables meet every condition (a missing variable meets none).</summary>
    public async Task<bool> MatchesAsync(WorkflowEngine engine, string instanceId, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, object?> variables;
        try
        {
            variables = await engine.GetVariablesAsync(instanceId, cancellationToken).ConfigureAwait(false);
        }
        catch (WorkflowException ex) when (ex.Code == "not-found")
        {
            return false;
        }

        return _conditions.TrueForAll(c => variables.TryGetValue(c.Name, out var value) && Meets(value, c.Operator, c.Value));
    }

    private static bool Meets(object? actual, string op, string expected)
    {
        if (op == "like")
        {
            var pattern = "^" + Regex.Escape(expected).Replace("%", ".*", StringComparison.Ordinal) + "$";
            return actual is string text && Regex.IsMatch(text, pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
        }

        int? order = (actual, expected) switch
        {
            (null, _) => expected == "null" ? 0 : null,
            (bool b, _) when bool.TryParse(expected, out var e) => b.CompareTo(e),
            (long or int or double or decimal, _) when double.TryParse(expected, NumberStyles.Float, CultureInfo.InvariantCulture, out var e)
                => Convert.ToDouble(actual, CultureInfo.InvariantCulture).CompareTo(e),
            (DateTimeOffset d, _) when CamundaVariables.TryParseDate(expected, out var e) => d.CompareTo(e),
            (string s, _) => string.CompareOrdinal(s, expected),
            _ => null,
        };
        return order is { } o && op switch
        {
            "eq" => o == 0,
            "neq" => o != 0,
            "gt" => o > 0,
            "gteq" => o >= 0,
            "lt" => o < 0,
            _ => o <= 0,
        };
    }
}
