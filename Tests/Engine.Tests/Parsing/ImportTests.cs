using System.Text;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Expressions;
using ComplaintWorkflows.Engine.Model;
using ComplaintWorkflows.Engine.Parsing;
using ComplaintWorkflows.Engine.Timers;
using ComplaintWorkflows.Engine.Variables;
using static ComplaintWorkflows.Engine.Tests.Runtime.Bpmn;

namespace ComplaintWorkflows.Engine.Tests.Parsing;

public class ImportTests
{
    private readonly BpmnParser parser = new(new ExpressionEngine(), new BpmnParserOptions { MaxDocumentCharacters = 200_000 });

    [Fact]
    public void Parse_ReportsTheLine_GivenMalformedXml()
    {
        var result = parser.Parse("<bpmn:definitions xmlns:bpmn=\"http://www.omg.org/spec/BPMN/20100524/MODEL\">\n<bpmn:process id=\"p\">\n</bpmn:definitions>");

        Assert.Null(result.Definitions);
        var finding = Assert.Single(result.Findings);
        Assert.Equal("xml-malformed", finding.Code);
        Assert.Equal(3, finding.Line);
    }

    [Fact]
    public void Parse_RefusesDtdsAndExternalEntities()
    {
        const string xml = """
            <?xml version="1.0"?>
            <!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"><bpmn:process id="p" name="&xxe;" /></bpmn:definitions>
            """;

        var result = parser.Parse(xml);

        Assert.Null(result.Definitions);
        Assert.Contains("DTD", Assert.Single(result.Findings).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RefusesDocumentsOverTheSizeLimit_WithoutReadingThemWhole()
    {
        var huge = new StringBuilder(Wrap("<bpmn:startEvent id=\"s\" />").Replace("</bpmn:definitions>", "", StringComparison.Ordinal));
        while (huge.Length < 300_000)
        {
            huge.Append("<!-- padding padding padding padding padding padding padding padding -->\n");
        }

        var result = parser.Parse(huge.Append("</bpmn:definitions>").ToString());

        Assert.Null(result.Definitions);
        Assert.Contains("200,000", Assert.Single(result.Findings).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RefusesAFileThatIsNotBpmn()
    {
        var result = parser.Parse("<html><body>not a process</body></html>");

        Assert.Equal("not-bpmn", Assert.Single(result.Findings).Code);
    }

    [Fact]
    public void Parse_ReportsEveryError_WithIdTypeAndLine_AndLoadsNothing()
    {
        var xml = Wrap("""
            <bpmn:startEvent id="s" />
            <bpmn:userTask id="s" />
            <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="nowhere" />
            <bpmn:boundaryEvent id="b" attachedToRef="ghost" />
            """);

        var result = parser.Parse(xml);

        Assert.Null(result.Definitions);
        Assert.True(result.HasErrors);
        var duplicate = Assert.Single(result.Findings, f => f.Code == "duplicate-id");
        Assert.Equal(("s", "userTask", 9), (duplicate.ElementId, duplicate.ElementType, duplicate.Line));
        var dangling = Assert.Single(result.Findings, f => f.ElementId == "f1");
        Assert.Equal(("unknown-reference", "sequenceFlow", 10), (dangling.Code, dangling.ElementType, dangling.Line));
        Assert.Contains("nowhere", dangling.Message, StringComparison.Ordinal);
        Assert.Contains(result.Findings, f => f.ElementId == "b" && f.Message.Contains("ghost", StringComparison.Ordinal));
        Assert.All(result.Findings, f => Assert.Equal("p", f.ProcessId));
    }

    [Fact]
    public void Parse_RefusesSequenceFlowsThatCrossASubProcessBoundary()
    {
        var result = parser.Parse(Wrap("""
            <bpmn:startEvent id="s" />
            <bpmn:subProcess id="sub"><bpmn:startEvent id="inner" /></bpmn:subProcess>
            <bpmn:sequenceFlow id="cross" sourceRef="s" targetRef="inner" />
            """));

        var finding = Assert.Single(result.Findings, f => f.IsError);
        Assert.Equal("cross", finding.ElementId);
        Assert.Contains("outside this process or sub-process", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BuildsTheModel_WithCamundaExtensions()
    {
        var result = parser.Parse(Wrap("""
            <bpmn:startEvent id="s" />
            <bpmn:serviceTask id="t" name="分类" camunda:delegateExpression="${classify}" camunda:asyncBefore="true">
              <bpmn:extensionElements>
                <camunda:failedJobRetryTimeCycle>R3/PT10S</camunda:failedJobRetryTimeCycle>
                <camunda:properties><camunda:property name="owner" value="desk" /></camunda:properties>
                <camunda:inputOutput>
                  <camunda:inputParameter name="text">${complaintText}</camunda:inputParameter>
                  <camunda:inputParameter name="channels"><camunda:list><camunda:value>sms</camunda:value><camunda:value>${preferred}</camunda:value></camunda:list></camunda:inputParameter>
                  <camunda:inputParameter name="limits"><camunda:map><camunda:entry key="days">7</camunda:entry></camunda:map></camunda:inputParameter>
                  <camunda:outputParameter name="category">${result}</camunda:outputParameter>
                </camunda:inputOutput>
              </bpmn:extensionElements>
            </bpmn:serviceTask>
            <bpmn:boundaryEvent id="late" attachedToRef="t" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
            <bpmn:callActivity id="call" calledElement="survey">
              <bpmn:extensionElements><camunda:in variables="all" /><camunda:out source="score" target="satisfaction" local="true" /></bpmn:extensionElements>
            </bpmn:callActivity>
            <bpmn:exclusiveGateway id="g" default="f3" />
            <bpmn:endEvent id="e1" /><bpmn:endEvent id="e2" />
            <bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="t" />
            <bpmn:sequenceFlow id="f1" sourceRef="t" targetRef="call" />
            <bpmn:sequenceFlow id="f2" sourceRef="call" targetRef="g" />
            <bpmn:sequenceFlow id="f3" sourceRef="g" targetRef="e1" />
            <bpmn:sequenceFlow id="f4" sourceRef="g" targetRef="e2"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${satisfaction &lt; 3}</bpmn:conditionExpression></bpmn:sequenceFlow>
            """));

        Assert.False(result.HasErrors, string.Join("\n", result.Findings));
        var process = Assert.Single(result.Definitions!.Processes);
        var task = process.Get<ServiceTask>("t");
        Assert.Equal(("分类", ImplementationKind.DelegateExpression, "classify"), (task.Name, task.Implementation, task.ActivityName));
        Assert.True(task.AsyncBefore);
        Assert.Equal("R3/PT10S", task.FailedJobRetryTimeCycle);
        Assert.Equal("desk", task.Properties["owner"]);
        Assert.Equal(["text", "channels", "limits"], task.InputParameters.Select(p => p.Name));
        Assert.Equal(2, Assert.IsType<IoListValue>(task.InputParameters[1].Value).Items.Count);
        Assert.Equal("days", Assert.IsType<IoMapValue>(task.InputParameters[2].Value).Entries[0].Key);
        Assert.Equal("category", Assert.Single(task.OutputParameters).Name);
        var boundary = Assert.Single(task.BoundaryEvents);
        Assert.False(boundary.CancelActivity);
        Assert.Equal(TimerKind.Duration, Assert.IsType<TimerEventDefinition>(boundary.Definition).TimerKind);
        var call = process.Get<CallActivity>("call");
        Assert.True(call.InMappings[0].AllVariables);
        Assert.Equal(("score", "satisfaction", true), (call.OutMappings[0].Source, call.OutMappings[0].Target, call.OutMappings[0].Local));
        var gateway = process.Get<GatewayNode>("g");
        Assert.Equal("f3", gateway.DefaultFlow!.Id);
        Assert.True(gateway.DefaultFlow.IsDefault);
        Assert.Equal("${satisfaction < 3}", process.Get<SequenceFlow>("f4").Condition!.Text);
        Assert.Equal(["f0"], task.Incoming.Select(f => f.Id));
        Assert.Same(process, task.Scope);
        Assert.True(task.Line > 0);
    }

    [Fact]
    public void Parse_ReadsEventSubProcessesAndTheirStartEvents()
    {
        var result = parser.Parse(Wrap("""
            <bpmn:startEvent id="s" /><bpmn:endEvent id="e" /><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="e" />
            <bpmn:subProcess id="ev" triggeredByEvent="true">
              <bpmn:startEvent id="es" isInterrupting="false"><bpmn:messageEventDefinition messageRef="m" /></bpmn:startEvent>
              <bpmn:endEvent id="ee" /><bpmn:sequenceFlow id="ef" sourceRef="es" targetRef="ee" />
            </bpmn:subProcess>
            """, """<bpmn:message id="m" name="withdraw-${complaintId}" />"""));

        var process = Assert.Single(result.Definitions!.Processes);
        Assert.Equal(["s"], process.Container.StartEvents.Select(s => s.Id));
        var eventSub = Assert.Single(process.Container.EventSubProcesses);
        Assert.Equal(ElementKind.EventSubProcess, eventSub.Kind);
        var start = Assert.IsType<StartEvent>(process.ElementsById["es"]);
        Assert.False(start.IsInterrupting);
        Assert.Same(eventSub, start.Scope);
        Assert.Equal(ExpressionKind.Template, Assert.IsType<MessageEventDefinition>(start.Definition).Message!.Name.Kind);
    }
}

public class ExecutableValidatorTests
{
    private static readonly ActivityRegistry Catalog = new ActivityRegistry()
        .Register(new ActivityDescriptor("noop", "No-op", "Test", "", [], []), new Noop())
        .Register(
            new ActivityDescriptor("sendSms", "发送短信", "通知", "Sends an SMS.",
            [
                new ActivityPort("phone", VariableType.String, "手机号", "", Required: true),
                new ActivityPort("retries", VariableType.Integer, "重试次数", "", Default: 3L),
                new ActivityPort("urgent", VariableType.Boolean, "紧急", ""),
                new ActivityPort("recipients", VariableType.List, "收件人", ""),
            ], []),
            new Noop());

    private static IReadOnlyList<ValidationFinding> Validate(string process, string roots = "")
    {
        var result = new BpmnParser(new ExpressionEngine()).Parse(Wrap(process, roots));
        Assert.False(result.HasErrors, string.Join("\n", result.Findings));
        return ExecutableValidator.Validate(result.Definitions!, Catalog, TimerSchedule.Check);
    }

    private static ValidationFinding SingleError(IReadOnlyList<ValidationFinding> findings) => Assert.Single(findings, f => f.IsError);

    [Fact]
    public void Validate_AcceptsTheBenchmarkProcess()
    {
        var xml = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Bpmn", "ten-step.bpmn"));
        var result = new BpmnParser(new ExpressionEngine()).Parse(xml);

        var findings = ExecutableValidator.Validate(result.Definitions!, Catalog);

        Assert.Empty(findings);
    }

    [Fact]
    public void Validate_ReportsAnUnknownActivity_NamingTheRegisteredOnes()
    {
        var error = SingleError(Validate("""<bpmn:startEvent id="s" /><bpmn:serviceTask id="t" camunda:delegateExpression="${sendSMS}" /><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="t" />"""));

        Assert.Equal(("unknown-activity", "t", "serviceTask"), (error.Code, error.ElementId, error.ElementType));
        Assert.Contains("sendSms", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ReportsAMissingRequiredInput()
    {
        var error = SingleError(Validate("""<bpmn:startEvent id="s" /><bpmn:serviceTask id="sms" camunda:delegateExpression="${sendSms}" /><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="sms" />"""));

        Assert.Equal(("missing-input", "sms"), (error.Code, error.ElementId));
        Assert.Contains("phone", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("retries", "three", "Integer")]
    [InlineData("urgent", "maybe", "Boolean")]
    [InlineData("recipients", "a,b", "List")]
    public void Validate_ReportsAMistypedLiteralInput(string input, string value, string type)
    {
        var error = SingleError(Validate($$"""
            <bpmn:startEvent id="s" />
            <bpmn:serviceTask id="sms" camunda:delegateExpression="${sendSms}">
              <bpmn:extensionElements><camunda:inputOutput>
                <camunda:inputParameter name="phone">${phone}</camunda:inputParameter>
                <camunda:inputParameter name="{{input}}">{{value}}</camunda:inputParameter>
              </camunda:inputOutput></bpmn:extensionElements>
            </bpmn:serviceTask>
            <bpmn:sequenceFlow id="f" sourceRef="s" targetRef="sms" />
            """));

        Assert.Equal(("invalid-input", "sms"), (error.Code, error.ElementId));
        Assert.Contains(input, error.Message, StringComparison.Ordinal);
        Assert.Contains(type, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ReportsWhatTheEngineCannotExecute_ByElementId()
    {
        var findings = Validate("""
            <bpmn:startEvent id="s" />
            <bpmn:complexGateway id="cg" />
            <bpmn:intermediateCatchEvent id="cond"><bpmn:conditionalEventDefinition><bpmn:condition>${x}</bpmn:condition></bpmn:conditionalEventDefinition></bpmn:intermediateCatchEvent>
            <bpmn:serviceTask id="ext" camunda:type="external" camunda:topic="${topicName}" />
            <bpmn:serviceTask id="none" />
            <bpmn:intermediateCatchEvent id="badTimer"><bpmn:timerEventDefinition><bpmn:timeDuration>three days</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
            <bpmn:intermediateThrowEvent id="jump"><bpmn:linkEventDefinition name="nowhere" /></bpmn:intermediateThrowEvent>
            <bpmn:receiveTask id="rt" />
            <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="cg" />
            <bpmn:sequenceFlow id="f2" sourceRef="cg" targetRef="cond" />
            <bpmn:sequenceFlow id="f3" sourceRef="cond" targetRef="ext" />
            <bpmn:sequenceFlow id="f4" sourceRef="ext" targetRef="none" />
            <bpmn:sequenceFlow id="f5" sourceRef="none" targetRef="badTimer" />
            <bpmn:sequenceFlow id="f6" sourceRef="badTimer" targetRef="jump" />
            <bpmn:sequenceFlow id="f7" sourceRef="jump" targetRef="rt" />
            """);

        var errors = findings.Where(f => f.IsError).ToDictionary(f => f.ElementId!, f => f.Code);
        Assert.Equal("unsupported-element", errors["cg"]);
        Assert.Equal("unsupported-event", errors["cond"]);
        Assert.Equal("unsupported-external-task-topic", errors["ext"]);
        Assert.Equal("no-implementation", errors["none"]);
        Assert.Equal("invalid-timer", errors["badTimer"]);
        Assert.Equal("unmatched-link", errors["jump"]);
        Assert.Equal("missing-message", errors["rt"]);
        Assert.All(findings, f => Assert.True(f.Line > 0));
    }

    [Fact]
    public void Validate_ReportsReferencesThatResolveToNothing()
    {
        var findings = Validate("""
            <bpmn:startEvent id="s" />
            <bpmn:intermediateCatchEvent id="sig"><bpmn:signalEventDefinition signalRef="ghostSignal" /></bpmn:intermediateCatchEvent>
            <bpmn:endEvent id="err"><bpmn:errorEventDefinition errorRef="ghostError" /></bpmn:endEvent>
            <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="sig" />
            <bpmn:sequenceFlow id="f2" sourceRef="sig" targetRef="err" />
            """);

        Assert.Contains(findings, f => f is { IsError: true, ElementId: "sig", Code: "unknown-reference" } && f.Message.Contains("ghostSignal", StringComparison.Ordinal));
        // An errorRef naming no <error> is its error code, as in Camunda 7: a warning, not an error.
        Assert.Contains(findings, f => f is { Severity: FindingSeverity.Warning, ElementId: "err", Code: "error-ref-as-code" } && f.Message.Contains("ghostError", StringComparison.Ordinal));
        Assert.DoesNotContain(findings, f => f is { IsError: true, ElementId: "err" });
    }

    [Fact]
    public void Validate_ReportsAnInvalidExpression_AtItsElement()
    {
        var error = SingleError(Validate("""
            <bpmn:startEvent id="s" />
            <bpmn:userTask id="u" camunda:assignee="${officer +* 1}" />
            <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="u" />
            """));

        Assert.Equal(("invalid-expression", "u", "userTask"), (error.Code, error.ElementId, error.ElementType));
        Assert.Contains("assignee", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RefusesAFileWithNoExecutableProcess()
    {
        var result = new BpmnParser(new ExpressionEngine()).Parse(Wrap("<bpmn:startEvent id=\"s\" />").Replace("isExecutable=\"true\"", "isExecutable=\"false\"", StringComparison.Ordinal));

        var error = SingleError(ExecutableValidator.Validate(result.Definitions!, Catalog));

        Assert.Equal("not-executable", error.Code);
    }

    private sealed class Noop : IActivity
    {
        public ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }
}

public class EncodingTests
{
    [Theory]
    [InlineData("GBK")]
    [InlineData("GB18030")]
    [InlineData("UTF-8")]
    public void Parse_ReadsChineseNames_InTheEncodingTheFileDeclares(string encodingName)
    {
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        var encoding = System.Text.Encoding.GetEncoding(encodingName);
        var xml = $"""
            <?xml version="1.0" encoding="{encodingName}"?>
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
              <bpmn:process id="p" name="消费者投诉处理" isExecutable="true"><bpmn:startEvent id="s" name="受理" /></bpmn:process>
            </bpmn:definitions>
            """;
        using var stream = new MemoryStream(encoding.GetBytes(xml));

        var result = new BpmnParser(new ExpressionEngine()).Parse(stream, "gbk.bpmn");

        Assert.False(result.HasErrors, string.Join("\n", result.Findings));
        var process = Assert.Single(result.Definitions!.Processes);
        Assert.Equal("消费者投诉处理", process.Name);
        Assert.Equal("受理", process.ElementsById["s"].Name);
    }
}
