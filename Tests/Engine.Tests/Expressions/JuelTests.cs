using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Expressions;
using ComplaintWorkflows.Engine.Parsing;
using ComplaintWorkflows.Engine.Runtime;
using ComplaintWorkflows.Engine.Tests.Runtime;
using ComplaintWorkflows.Engine.Timers;
using static ComplaintWorkflows.Engine.Tests.Runtime.Bpmn;

namespace ComplaintWorkflows.Engine.Tests.Expressions;

/// <summary>Camunda 7 models write their expressions in JUEL; the common forms are translated to JavaScript at deploy time.</summary>
public class JuelTests
{
    private readonly ExpressionEngine engine = new();

    private object? Eval(string text, Dictionary<string, object?>? variables = null)
        => engine.Evaluate(engine.Parse(text), new DictionaryScope(variables));

    public static TheoryData<string, bool> Conditions => new()
    {
        { "${approved and urgent}", false },
        { "${approved or urgent}", true },
        { "${approved && !urgent}", true },
        { "${not urgent}", true },
        { "${not empty category}", true },
        { "${empty missing}", true },
        { "${empty emptyText}", true },
        { "${empty noItems}", true },
        { "${empty items}", false },
        { "${category == 'quality'}", true },
        { "${category eq 'quality'}", true },
        { "${category ne 'price'}", true },
        { "${category != 'quality'}", false },
        { "${amount > 3}", true },
        { "${amount gt 3 and amount lt 10}", true },
        { "${amount ge 5 && amount le 5}", true },
        { "${amount lt 5}", false },
        { "${amount div 2 == 2.5}", true },
        { "${amount mod 2 eq 1}", true },
        { "${amount + '1' eq 6}", true },
        { "${execution.getVariable('category') eq 'quality'}", true },
        { "${missing.nested.value eq null}", true },
        { "${items[0] eq 'a' and map['k'] == 1}", true },
        { "${(amount > 3 ? 'big' : 'small') eq 'big'}", true },
        { "${not (approved and urgent) or empty category}", true },
    };

    [Theory]
    [MemberData(nameof(Conditions))]
    public void JuelConditions_EvaluateAsCamundaDoes(string text, bool expected)
    {
        var scope = new DictionaryScope(new Dictionary<string, object?>
        {
            ["approved"] = true,
            ["urgent"] = false,
            ["category"] = "quality",
            ["emptyText"] = "",
            ["amount"] = 5L,
            ["items"] = new List<object?> { "a" },
            ["noItems"] = new List<object?>(),
            ["map"] = new Dictionary<string, object?> { ["k"] = 1L },
        });

        Assert.Equal(expected, engine.EvaluateCondition(engine.Parse(text), scope));
    }

    [Fact]
    public void Parse_RecordsTheTranslation_OfEachJuelPart_AndLeavesJavaScriptAlone()
    {
        var juel = engine.Parse("${a and not empty b}");
        var javaScript = engine.Parse("${a && b.length > 0}");
        var template = engine.Parse("Level ${level gt 2} of ${total}");

        var translation = Assert.Single(juel.Translations);
        Assert.Equal("a and not empty b", translation.Juel);
        Assert.StartsWith("(a && !", translation.JavaScript, StringComparison.Ordinal);
        Assert.Empty(javaScript.Translations);
        Assert.Equal("level gt 2", Assert.Single(template.Translations).Juel);
        Assert.Equal("Level true of 9", engine.Evaluate(template, new DictionaryScope(new Dictionary<string, object?> { ["level"] = 3L, ["total"] = 9L })));
    }

    [Fact]
    public void VariablesNamedLikeJuelWords_StayJavaScript()
    {
        Assert.Equal(4L, Eval("${lt + ge}", new() { ["lt"] = 1L, ["ge"] = 3L }));
        Assert.Equal("x", Eval("${form.empty}", new() { ["form"] = new Dictionary<string, object?> { ["empty"] = "x" } }));
        Assert.Empty(engine.Parse("${lt + ge}").Translations);
    }

    [Theory]
    [InlineData("${fn:length(items) gt 2}", "the function fn:length() is not translated", 1)]
    [InlineData("${x -> x + 1 and y}", "lambda expressions are not translated", 3)]
    [InlineData("${a = 1; b and c}", "assignments are not translated", 3)]
    [InlineData("${x instanceof y and z}", "instanceof is not translated", 3)]
    [InlineData("${a and}", "the expression ends too early", 6)]
    public void UntranslatableJuel_IsAnErrorNamingTheConstructAndPosition(string text, string what, int position)
    {
        var error = Assert.Throws<ExpressionException>(() => engine.Parse(text));

        Assert.True(error.IsUntranslatableJuel);
        Assert.Contains(what, error.Message, StringComparison.Ordinal);
        Assert.Contains($"position {position}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BrokenJavaScript_StillGetsTheJavaScriptError()
    {
        var error = Assert.Throws<ExpressionException>(() => engine.Parse("${a +* b}"));

        Assert.False(error.IsUntranslatableJuel);
        Assert.Contains("Syntax error", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BeanCalls_AreRecognised()
    {
        Assert.Equal(new BeanCall("sendSms", "execute", ["execution"]), engine.Parse("${sendSms.execute(execution)}").BeanCall, new BeanCallComparer());
        Assert.Null(engine.Parse("${a.b.c(execution)}").BeanCall);
        Assert.Null(engine.Parse("${sendSms.execute(execution) and x}").BeanCall);
    }

    [Fact]
    public void Validate_ReportsTranslationsAsInfo_AndUntranslatableJuelAsAnError_NamingElementAndAttribute()
    {
        var parsed = new BpmnParser(engine).Parse(Wrap($$"""
            <bpmn:startEvent id="s" />
            <bpmn:exclusiveGateway id="g" default="f3" />
            <bpmn:endEvent id="e1" />
            <bpmn:endEvent id="e2" />
            <bpmn:userTask id="u" camunda:assignee="${fn:upper(officer)}" />
            {{Flow("f1", "s", "g")}}
            {{Flow("f2", "g", "e1", "${not empty category and amount gt 3}")}}
            {{Flow("f3", "g", "u")}}
            {{Flow("f4", "u", "e2")}}
            """));

        var findings = ExecutableValidator.Validate(parsed.Definitions!, new ActivityRegistry(), TimerSchedule.Check);

        var info = Assert.Single(findings, f => f.Code == "juel-translated");
        Assert.Equal(("f2", "sequenceFlow", FindingSeverity.Info), (info.ElementId, info.ElementType, info.Severity));
        Assert.Contains("conditionExpression", info.Message, StringComparison.Ordinal);
        var error = Assert.Single(findings, f => f.Code == "untranslatable-juel");
        Assert.Equal(("u", FindingSeverity.Error), (error.ElementId, error.Severity));
        Assert.Contains("camunda:assignee", error.Message, StringComparison.Ordinal);
        Assert.Contains("fn:upper()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AProcessWithJuelConditions_TakesTheFlowCamundaWould()
    {
        var h = new EngineHarness();
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:exclusiveGateway id="g" default="toDesk" />
            <bpmn:userTask id="leader" />
            <bpmn:userTask id="desk" />
            {{Flow("f1", "s", "g")}}
            {{Flow("toLeader", "g", "leader", "${not empty category and (severity gt 3 or category eq 'mass')}")}}
            {{Flow("toDesk", "g", "desk")}}
            """);

        var mass = await h.StartAsync(variables: new { category = "mass", severity = 1L });
        var minor = await h.StartAsync(variables: new { category = "quality", severity = 2L });

        Assert.Equal("leader", (await h.SingleTaskAsync(mass.Id)).ElementId);
        Assert.Equal("desk", (await h.SingleTaskAsync(minor.Id)).ElementId);
    }

    private sealed class BeanCallComparer : IEqualityComparer<BeanCall?>
    {
        public bool Equals(BeanCall? x, BeanCall? y) => x?.Bean == y?.Bean && x?.Method == y?.Method && (x?.Arguments ?? []).SequenceEqual(y?.Arguments ?? []);

        public int GetHashCode(BeanCall? obj) => obj?.Bean.GetHashCode(StringComparison.Ordinal) ?? 0;
    }
}
