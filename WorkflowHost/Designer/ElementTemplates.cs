using System.Globalization;
using System.Text.Json.Nodes;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Variables;

namespace ComplaintWorkflows.WorkflowHost.Designer;

/// <summary>
/// Camunda 7 element templates generated from the registered activities' descriptors, so the designer offers
/// every custom activity (those added later included) as a service task with its inputs as typed, checked
/// fields bound to <c>camunda:inputParameter</c>, and the activity bound by <c>camunda:delegateExpression</c>.
/// </summary>
public static class ElementTemplates
{
    /// <summary>Template ids are the activity's name with this prefix (<c>cw.complaint.classify</c>).</summary>
    public const string IdPrefix = "cw.";

    private const string Schema = "https://unpkg.com/@camunda/element-templates-json-schema/resources/schema.json";

    /// <summary>An integer, or an expression.</summary>
    internal const string IntegerPattern = @"^\s*(-?\d+|\$\{[\s\S]+\})\s*$";

    /// <summary>A number, or an expression.</summary>
    internal const string NumberPattern = @"^\s*(-?\d+(\.\d+)?([eE][-+]?\d+)?|\$\{[\s\S]+\})\s*$";

    /// <summary>An ISO 8601 date or instant, or an expression.</summary>
    internal const string DatePattern = @"^\s*(\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?|\$\{[\s\S]+\})\s*$";

    /// <summary>An expression <c>${...}</c> (lists, maps and values of any type come from variables).</summary>
    internal const string ExpressionPattern = @"^\s*\$\{[\s\S]+\}\s*$";

    public static JsonArray For(IEnumerable<ActivityDescriptor> activities)
    {
        ArgumentNullException.ThrowIfNull(activities);
        return [.. activities.OrderBy(a => a.Category, StringComparer.Ordinal).ThenBy(a => a.Name, StringComparer.Ordinal).Select(Template)];
    }

    public static JsonObject Template(ActivityDescriptor activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var properties = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "Hidden",
                ["value"] = $"${{{activity.Name}}}",
                ["binding"] = new JsonObject { ["type"] = "property", ["name"] = "camunda:delegateExpression" },
            },
        };
        foreach (var input in activity.Inputs)
        {
            properties.Add(Input(input));
        }

        var description = activity.Description;
        if (activity.Outputs.Count > 0)
        {
            description += " 输出变量 (outputs): " + string.Join("; ", activity.Outputs.Select(o => $"{o.Name} {o.DisplayName} ({TypeName(o.Type)})"));
        }

        return new JsonObject
        {
            ["$schema"] = Schema,
            ["id"] = IdPrefix + activity.Name,
            ["name"] = activity.DisplayName,
            ["description"] = description,
            ["version"] = 1,
            ["category"] = new JsonObject { ["id"] = CategoryId(activity.Category), ["name"] = activity.Category },
            ["appliesTo"] = new JsonArray("bpmn:Task"),
            ["elementType"] = new JsonObject { ["value"] = "bpmn:ServiceTask" },
            ["properties"] = properties,
        };
    }

    private static JsonObject Input(ActivityPort input)
    {
        var field = new JsonObject
        {
            ["id"] = "input." + input.Name,
            ["label"] = input.DisplayName + (input.Required ? " *" : ""),
            ["description"] = string.IsNullOrWhiteSpace(input.Description)
                ? $"输入 {input.Name}，类型：{TypeName(input.Type)}"
                : $"{input.Description}（输入 {input.Name}，类型：{TypeName(input.Type)}）",
            ["binding"] = new JsonObject { ["type"] = "camunda:inputParameter", ["name"] = input.Name },
        };

        if (input.Type == VariableType.Boolean)
        {
            field["type"] = "Dropdown";
            field["choices"] = new JsonArray(
                new JsonObject { ["name"] = "是 (true)", ["value"] = "${true}" },
                new JsonObject { ["name"] = "否 (false)", ["value"] = "${false}" });
            field["value"] = input.Default is bool b && b ? "${true}" : "${false}";
            return field;
        }

        field["type"] = "String";
        if (input.Default is { } value)
        {
            field["value"] = Convert.ToString(value, CultureInfo.InvariantCulture);
        }

        var constraints = new JsonObject();
        if (input.Required)
        {
            constraints["notEmpty"] = true;
        }

        var (pattern, message) = input.Type switch
        {
            VariableType.Integer => (IntegerPattern, "请输入整数或表达式 ${...} (an integer or an expression ${...})"),
            VariableType.Double => (NumberPattern, "请输入数字或表达式 ${...} (a number or an expression ${...})"),
            VariableType.Date => (DatePattern, "请输入日期（如 2026-04-15）或表达式 ${...} (an ISO date or an expression ${...})"),
            VariableType.List or VariableType.Map => (ExpressionPattern, "请输入表达式，如 ${items} (an expression such as ${items})"),
            _ => ((string?)null, (string?)null),
        };
        if (pattern is not null)
        {
            constraints["pattern"] = new JsonObject { ["value"] = pattern, ["message"] = message };
        }

        if (constraints.Count > 0)
        {
            field["constraints"] = constraints;
        }

        return field;
    }

    internal static string TypeName(VariableType type) => type switch
    {
        VariableType.String => "文本 (string)",
        VariableType.Boolean => "是/否 (boolean)",
        VariableType.Integer => "整数 (integer)",
        VariableType.Double => "数字 (number)",
        VariableType.Date => "日期 (date)",
        VariableType.List => "列表 (list)",
        VariableType.Map => "对象 (map)",
        _ => "任意 (any)",
    };

    private static string CategoryId(string category)
    {
        var english = category.IndexOf('(', StringComparison.Ordinal) is var open and >= 0 && category.IndexOf(')', open) is var close and > 0
            ? category[(open + 1)..close]
            : category;
        var id = new string([.. english.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]).Trim('-');
        return id.Length > 0 ? "cw-" + id : "cw-general";
    }
}
