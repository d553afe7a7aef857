using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Expressions;
using ComplaintWorkflows.Engine.Model;
using ComplaintWorkflows.Engine.Parsing;
using ComplaintWorkflows.Engine.Runtime;
using ComplaintWorkflows.Engine.Tests.Runtime;
using ComplaintWorkflows.Engine.Timers;
using static ComplaintWorkflows.Engine.Tests.Runtime.Bpmn;

namespace ComplaintWorkflows.Engine.Tests.Parsing;

/// <summary>Camunda 7 imports some files that are loose but unambiguous; so do we, saying what we made of them.</summary>
public class LenientImportTests
{
    private static readonly string Miwg = Path.Combine(AppContext.BaseDirectory, "Conformance", "miwg");

    private static (ParseResult Parsed, IReadOnlyList<ValidationFinding> All) Check(string xml)
    {
        var parsed = new BpmnParser(new ExpressionEngine()).Parse(xml);
        IReadOnlyList<ValidationFinding> validation = parsed.Definitions is null ? [] : ExecutableValidator.Validate(parsed.Definitions, new ActivityRegistry(), TimerSchedule.Check);
        return (parsed, [.. parsed.Findings, .. validation]);
    }

    [Fact]
    public async Task SequenceFlowWithoutId_GetsAStableGeneratedId_AndAWarning_AndRuns()
    {
        var xml = Wrap("""
            <bpmn:startEvent id="s" />
            <bpmn:userTask id="u" />
            <bpmn:endEvent id="e" />
            <bpmn:sequenceFlow sourceRef="s" targetRef="u" />
            <bpmn:sequenceFlow sourceRef="u" targetRef="e" />
            <bpmn:sequenceFlow id="Flow_u_e" sourceRef="s" targetRef="e" />
            """);

        var (parsed, all) = Check(xml);

        Assert.False(parsed.HasErrors, string.Join("\n", all));
        var generated = all.Where(f => f.Code == "generated-id").ToList();
        Assert.Equal(["Flow_s_u", "Flow_u_e_2"], generated.Select(f => f.ElementId));
        Assert.All(generated, f => Assert.Equal(FindingSeverity.Warning, f.Severity));
        Assert.Equal(11, generated[0].Line);
        Assert.Equal(generated.Select(f => f.ElementId), Check(xml).All.Where(f => f.Code == "generated-id").Select(f => f.ElementId));

        var h = new EngineHarness();
        await h.Engine.DeployAsync(Wrap("""
            <bpmn:startEvent id="s" /><bpmn:userTask id="u" /><bpmn:endEvent id="e" />
            <bpmn:sequenceFlow sourceRef="s" targetRef="u" /><bpmn:sequenceFlow sourceRef="u" targetRef="e" />
            """), "p.bpmn");
        var instance = await h.StartAsync();
        await h.Engine.CompleteTaskAsync((await h.SingleTaskAsync(instance.Id)).Id, new Dictionary<string, object?>());
        Assert.Equal(InstanceStatus.Completed, await h.StatusAsync(instance.Id));
    }

    [Fact]
    public async Task ErrorRefNamingNoError_IsTheErrorCode_ThrownAndCaught()
    {
        var xml = Wrap("""
            <bpmn:startEvent id="s" />
            <bpmn:subProcess id="sub">
              <bpmn:startEvent id="ss" />
              <bpmn:endEvent id="throw"><bpmn:errorEventDefinition errorRef="COMPLAINT_INVALID" /></bpmn:endEvent>
              <bpmn:sequenceFlow id="sf" sourceRef="ss" targetRef="throw" />
            </bpmn:subProcess>
            <bpmn:boundaryEvent id="caught" attachedToRef="sub"><bpmn:errorEventDefinition errorRef="COMPLAINT_INVALID" /></bpmn:boundaryEvent>
            <bpmn:userTask id="fix" />
            <bpmn:endEvent id="e" />
            <bpmn:userTask id="notCaught" />
            <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="sub" />
            <bpmn:sequenceFlow id="f2" sourceRef="sub" targetRef="notCaught" />
            <bpmn:sequenceFlow id="f3" sourceRef="caught" targetRef="fix" />
            <bpmn:sequenceFlow id="f4" sourceRef="fix" targetRef="e" />
            """);

        var (parsed, all) = Check(xml);

        Assert.False(parsed.HasErrors);
        Assert.DoesNotContain(all, f => f.IsError);
        Assert.Equal(["caught", "throw"], all.Where(f => f.Code == "error-ref-as-code").Select(f => f.ElementId!).Order(StringComparer.Ordinal));
        var h = new EngineHarness();
        await h.Engine.DeployAsync(xml, "p.bpmn");
        var instance = await h.StartAsync();
        Assert.Equal("fix", (await h.SingleTaskAsync(instance.Id)).ElementId);
    }

    [Fact]
    public void IdsInsideVendorExtensionElements_AreNotDuplicates()
    {
        var (parsed, all) = Check(Wrap("""
            <bpmn:extensionElements><vendor:copy xmlns:vendor="http://vendor.example/bpmn"><bpmn:task id="t" /><vendor:note id="s" /></vendor:copy></bpmn:extensionElements>
            <bpmn:startEvent id="s" />
            <bpmn:task id="t" />
            <bpmn:sequenceFlow id="f" sourceRef="s" targetRef="t" />
            """));

        Assert.False(parsed.HasErrors, string.Join("\n", all));
        Assert.DoesNotContain(all, f => f.Code == "duplicate-id");
        Assert.Equal(2, parsed.Definitions!.Processes[0].Container.Nodes.Count);
    }

    [Fact]
    public void DuplicateIdsOutsideExtensionElements_AreStillErrors()
    {
        var (parsed, _) = Check(Wrap("""<bpmn:startEvent id="s" /><bpmn:task id="s" />"""));

        Assert.Contains(parsed.Findings, f => f is { Code: "duplicate-id", IsError: true });
    }

    [Theory]
    [InlineData("<bpmn:timerEventDefinition />")]
    [InlineData("<bpmn:timerEventDefinition><bpmn:timeDate /></bpmn:timerEventDefinition>")]
    public void EmptyTimer_IsOneFinding_MissingTimer(string timer)
    {
        var (_, all) = Check(Wrap($"""
            <bpmn:startEvent id="s" />
            <bpmn:intermediateCatchEvent id="wait">{timer}</bpmn:intermediateCatchEvent>
            <bpmn:endEvent id="e" />
            {Chain("s", "wait", "e")}
            """));

        var finding = Assert.Single(all, f => f.ElementId == "wait");
        Assert.Equal(("missing-timer", FindingSeverity.Error), (finding.Code, finding.Severity));
    }

    [Fact]
    public void MiwgModelWithEmptyTimers_ReportsEachOnce()
    {
        // C.6.0 leaves its timers' timeDate empty; marked executable, as an importing user would, each is reported once.
        var xml = File.ReadAllText(Path.Combine(Miwg, "C.6.0.bpmn")).Replace("<semantic:process ", "<semantic:process isExecutable=\"true\" ", StringComparison.Ordinal);
        var (_, all) = Check(xml);

        var timers = all.Where(f => f.Code == "missing-timer").ToList();
        Assert.Equal(2, timers.Count);
        Assert.All(timers, t => Assert.Single(all, f => f.ElementId == t.ElementId && f.IsError));
    }

    [Fact]
    public void CancelBoundaryEventOnATransaction_SaysWhatIsUnsupported()
    {
        var (parsed, all) = Check(Wrap("""
            <bpmn:startEvent id="s" />
            <bpmn:transaction id="booking">
              <bpmn:startEvent id="ts" />
              <bpmn:endEvent id="cancelEnd"><bpmn:cancelEventDefinition /></bpmn:endEvent>
              <bpmn:sequenceFlow id="tf" sourceRef="ts" targetRef="cancelEnd" />
            </bpmn:transaction>
            <bpmn:boundaryEvent id="cancelled" attachedToRef="booking"><bpmn:cancelEventDefinition /></bpmn:boundaryEvent>
            <bpmn:endEvent id="e" />
            <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="booking" />
            <bpmn:sequenceFlow id="f2" sourceRef="booking" targetRef="e" />
            <bpmn:sequenceFlow id="f3" sourceRef="cancelled" targetRef="e" />
            """));

        Assert.False(parsed.HasErrors, string.Join("\n", parsed.Findings));
        var cancel = Assert.Single(all, f => f.ElementId == "cancelled");
        Assert.Equal(("unsupported-cancel-event", FindingSeverity.Error), (cancel.Code, cancel.Severity));
        Assert.Contains("compensation", cancel.Message, StringComparison.Ordinal);
        Assert.Contains("error boundary event", cancel.Message, StringComparison.Ordinal);
        var transaction = Assert.Single(all, f => f.ElementId == "booking");
        Assert.Equal("unsupported-transaction", transaction.Code);
    }

    [Fact]
    public void Findings_HaveThreeLevels_ShownByName()
    {
        var info = new ValidationFinding(FindingSeverity.Info, "juel-translated", "translated", "t", "serviceTask", 3);
        var warning = info with { Severity = FindingSeverity.Warning };

        Assert.Equal("info juel-translated line 3 serviceTask 't': translated", info.ToString());
        Assert.Equal(("info", "warning", "error"), (info.Level, warning.Level, (info with { Severity = FindingSeverity.Error }).Level));
        Assert.False(info.IsError);
    }
}
