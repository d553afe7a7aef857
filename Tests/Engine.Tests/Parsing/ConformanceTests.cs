using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Expressions;
using ComplaintWorkflows.Engine.Model;
using ComplaintWorkflows.Engine.Parsing;
using ComplaintWorkflows.Engine.Timers;

namespace ComplaintWorkflows.Engine.Tests.Parsing;

/// <summary>The OMG BPMN MIWG reference models (CC-BY 3.0, see Conformance/miwg/NOTICE.md) must all import.</summary>
public class ConformanceTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Conformance", "miwg");

    public static TheoryData<string> Models => [.. Directory.GetFiles(Folder, "*.bpmn").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Models))]
    public void Parse_ImportsEveryMiwgReferenceModel_WithoutErrors(string file)
    {
        var parser = new BpmnParser(new ExpressionEngine());

        var result = parser.Parse(File.ReadAllText(Path.Combine(Folder, file)), file);

        Assert.DoesNotContain(result.Findings, f => f.IsError);
        Assert.NotNull(result.Definitions);
        Assert.NotEmpty(result.Definitions.Processes);
        Assert.All(result.Definitions.Processes.SelectMany(p => p.ElementsById.Values), e => Assert.True(e.Line > 0, $"{e} has no line"));

        var findings = ExecutableValidator.Validate(result.Definitions, new ActivityRegistry(), TimerSchedule.Check);
        Assert.All(findings, f => Assert.False(string.IsNullOrEmpty(f.Message)));
        Assert.All(findings.Where(f => f.ElementId is not null), f => Assert.True(f.Line > 0, $"{f} has no line"));
    }

    [Fact]
    public void Parse_ReadsTheInvoiceModel_WithItsCamundaExtensions()
    {
        var result = new BpmnParser(new ExpressionEngine()).Parse(File.ReadAllText(Path.Combine(Folder, "C.1.0.bpmn")));

        var elements = result.Definitions!.Processes.SelectMany(p => p.ElementsById.Values).ToList();
        Assert.True(elements.OfType<UserTask>().Count() >= 3);
        Assert.Contains(elements.OfType<GatewayNode>(), g => g.Kind == ElementKind.ExclusiveGateway);
        Assert.Contains(elements.OfType<SequenceFlow>(), f => f.Condition is not null);
    }

    [Fact]
    public void Validate_ReportsUnsupportedElementsOfTheAnalyticModel_ByElementId()
    {
        var result = new BpmnParser(new ExpressionEngine()).Parse(File.ReadAllText(Path.Combine(Folder, "B.2.0.bpmn")));
        var definitions = result.Definitions!;

        var findings = ExecutableValidator.Validate(definitions, new ActivityRegistry(), TimerSchedule.Check);

        // B.2.0 is descriptive (not executable) and uses conditional events, which the engine does not run.
        Assert.Contains(findings, f => f.Code == "not-executable");
    }
}
