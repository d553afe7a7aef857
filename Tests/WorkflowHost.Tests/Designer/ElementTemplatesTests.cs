using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ComplaintWorkflows.Activities;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Variables;
using ComplaintWorkflows.WorkflowHost.Designer;

namespace ComplaintWorkflows.WorkflowHost.Tests.Designer;

/// <summary>The designer's element templates come from the activities' descriptors: every activity, every input, typed and checked.</summary>
public sealed class ElementTemplatesTests
{
    private static readonly ActivityRegistry Registry = WorkflowActivities.CreateRegistry();

    [Fact]
    public void EveryRegisteredActivity_HasATemplate_BindingItsDelegateExpressionAndEveryInput()
    {
        var templates = ElementTemplates.For(Registry.Descriptors).OfType<JsonObject>().ToDictionary(t => (string)t["id"]!);
        Assert.Equal(Registry.Descriptors.Count(), templates.Count);
        foreach (var activity in Registry.Descriptors)
        {
            var template = templates[$"cw.{activity.Name}"];
            Assert.Equal(activity.DisplayName, (string?)template["name"]);
            Assert.Equal("bpmn:ServiceTask", (string?)template["elementType"]!["value"]);
            var properties = template["properties"]!.AsArray().OfType<JsonObject>().ToList();
            Assert.Contains(properties, p => (string?)p["binding"]!["name"] == "camunda:delegateExpression" && (string?)p["value"] == $"${{{activity.Name}}}" && (string?)p["type"] == "Hidden");
            foreach (var input in activity.Inputs)
            {
                var field = Assert.Single(properties, p => (string?)p["binding"]!["type"] == "camunda:inputParameter" && (string?)p["binding"]!["name"] == input.Name);
                Assert.StartsWith(input.DisplayName, (string?)field["label"], StringComparison.Ordinal);
                Assert.Equal(input.Required, field["constraints"]?["notEmpty"]?.GetValue<bool>() == true);
            }
        }
    }

    [Fact]
    public void InputsAreTyped_IntegersAndDatesChecked_BooleansChosen()
    {
        var activity = new ActivityDescriptor("test.typed", "类型测试 (Typed)", "测试 (Tests)", "说明", [
            new ActivityPort("count", VariableType.Integer, "次数 (Count)", "", Required: true, Default: 2L),
            new ActivityPort("ratio", VariableType.Double, "比例 (Ratio)", ""),
            new ActivityPort("on", VariableType.Date, "日期 (On)", ""),
            new ActivityPort("public", VariableType.Boolean, "公开 (Public)", "", Default: true),
            new ActivityPort("items", VariableType.List, "列表 (Items)", ""),
            new ActivityPort("text", VariableType.String, "文本 (Text)", ""),
        ], [new ActivityPort("result", VariableType.String, "结果 (Result)", "")]);
        var properties = ElementTemplates.Template(activity)["properties"]!.AsArray().OfType<JsonObject>().ToDictionary(p => (string?)p["binding"]!["name"] ?? "");

        var count = properties["count"];
        Assert.Equal("2", (string?)count["value"]);
        var integer = new Regex((string)count["constraints"]!["pattern"]!["value"]!);
        Assert.Matches(integer, "12");
        Assert.Matches(integer, "${minimum + 1}");
        Assert.DoesNotMatch(integer, "abc");
        Assert.DoesNotMatch(integer, "1.5");
        Assert.Contains("整数", (string?)count["constraints"]!["pattern"]!["message"], StringComparison.Ordinal);

        var number = new Regex((string)properties["ratio"]["constraints"]!["pattern"]!["value"]!);
        Assert.Matches(number, "0.75");
        Assert.DoesNotMatch(number, "七成");

        var date = new Regex((string)properties["on"]["constraints"]!["pattern"]!["value"]!);
        Assert.Matches(date, "2026-04-15");
        Assert.Matches(date, "2026-04-15T08:30:00+08:00");
        Assert.DoesNotMatch(date, "4月15日");

        Assert.Equal("Dropdown", (string?)properties["public"]["type"]);
        Assert.Equal("${true}", (string?)properties["public"]["value"]);
        Assert.DoesNotMatch(new Regex((string)properties["items"]["constraints"]!["pattern"]!["value"]!), "a, b");
        Assert.Null(properties["text"]["constraints"]);
        Assert.Contains("result", (string?)ElementTemplates.Template(activity)["description"], StringComparison.Ordinal);
    }
}
