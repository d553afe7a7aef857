using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Expressions;
using ComplaintWorkflows.Engine.Model;
using ComplaintWorkflows.Engine.Parsing;
using ComplaintWorkflows.Engine.Timers;
using static ComplaintWorkflows.Engine.Tests.Runtime.Bpmn;

namespace ComplaintWorkflows.Engine.Tests.Parsing;

/// <summary>What of Camunda's listeners is refused, each with an error naming the element and the listener.</summary>
public class ListenerImportTests
{
    private static IReadOnlyList<ValidationFinding> Validate(string listener, string element = "userTask")
    {
        var parsed = new BpmnParser(new ExpressionEngine()).Parse(Wrap($"""
            <bpmn:startEvent id="s" />
            <bpmn:{element} id="t"><bpmn:extensionElements>{listener}</bpmn:extensionElements></bpmn:{element}>
            <bpmn:sequenceFlow id="f" sourceRef="s" targetRef="t" />
            """));
        var registry = new ActivityRegistry().Register(new ActivityDescriptor("record", "Record", "Test", "", [], []), new NoOp());
        return ExecutableValidator.Validate(parsed.Definitions!, registry, TimerSchedule.Check);
    }

    [Theory]
    [InlineData("""<camunda:executionListener event="start" class="com.example.AuditListener" />""", "unsupported-listener-class", "com.example.AuditListener")]
    [InlineData("""<camunda:taskListener event="create"><camunda:script scriptFormat="groovy">task.setVariable('x', 1)</camunda:script></camunda:taskListener>""", "unsupported-listener-script", "groovy")]
    [InlineData("""<camunda:executionListener event="end"><camunda:script scriptFormat="javascript" resource="deployment://audit.js" /></camunda:executionListener>""", "unsupported-listener-script", "audit.js")]
    [InlineData("""<camunda:taskListener event="create" delegateExpression="${record}"><camunda:field name="x" stringValue="1" /></camunda:taskListener>""", "unsupported-listener-field", "camunda:field")]
    [InlineData("""<camunda:taskListener event="update" expression="${true}" />""", "invalid-listener", "'update'")]
    [InlineData("""<camunda:executionListener event="take" expression="${true}" />""", "invalid-listener", "take")]
    [InlineData("""<camunda:executionListener event="start" delegateExpression="${auditTrail}" />""", "unknown-activity", "auditTrail")]
    [InlineData("""<camunda:executionListener event="start" expression="${record.audit(execution)}" />""", "untranslatable-juel", "no method 'audit'")]
    [InlineData("""<camunda:executionListener event="start" expression="${fn:audit(execution) and x}" />""", "untranslatable-juel", "fn:audit()")]
    public void Refused_IsAnError_NamingTheElementAndTheListener(string listener, string code, string detail)
    {
        var error = Assert.Single(Validate(listener), f => f.IsError);

        Assert.Equal((code, "t", "userTask"), (error.Code, error.ElementId, error.ElementType));
        Assert.Contains(detail, error.Message, StringComparison.Ordinal);
        Assert.Contains("Listener", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AScriptUsingCamundasTaskObject_IsAWarning()
    {
        var warning = Assert.Single(Validate("""<camunda:taskListener event="create"><camunda:script scriptFormat="javascript">task.setAssignee('zhang')</camunda:script></camunda:taskListener>"""), f => f.Code == "listener-task-object");

        Assert.Equal((FindingSeverity.Warning, "t"), (warning.Severity, warning.ElementId));
    }

    [Fact]
    public void TaskListenerOnAServiceTask_IsAnError()
    {
        var error = Assert.Single(Validate("""<camunda:taskListener event="create" expression="${true}" />""", "serviceTask"), f => f.Code == "invalid-listener");

        Assert.Equal("t", error.ElementId);
    }

    [Fact]
    public void SupportedListeners_AreRead_WithTheirEventAndKind()
    {
        var parsed = new BpmnParser(new ExpressionEngine()).Parse(Wrap("""
            <bpmn:startEvent id="s" />
            <bpmn:userTask id="t"><bpmn:extensionElements>
              <camunda:executionListener event="start" delegateExpression="${record}" />
              <camunda:taskListener event="complete" expression="${not empty approved}" />
              <camunda:taskListener event="timeout" id="remind" expression="${true}"><bpmn:timerEventDefinition id="td"><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></camunda:taskListener>
            </bpmn:extensionElements></bpmn:userTask>
            <bpmn:timerEventDefinition id="td2" />
            <bpmn:sequenceFlow id="f" sourceRef="s" targetRef="t" />
            """));

        var task = parsed.Definitions!.Processes[0].Get<UserTask>("t");
        var start = Assert.Single(task.ExecutionListeners);
        Assert.Equal((ListenerEvent.Start, ListenerKind.DelegateExpression, "record"), (start.Event, start.Kind, start.ActivityName));
        Assert.Equal([ListenerEvent.Complete, ListenerEvent.Timeout], task.TaskListeners.Select(l => l.Event));
        Assert.Single(task.TaskListeners[0].Code.Translations);
        Assert.Equal((TimerKind.Duration, "PT1H"), (task.TaskListeners[1].Timeout!.TimerKind, task.TaskListeners[1].Timeout!.Value.Text));
    }

    private sealed class NoOp : IActivity
    {
        public ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }
}
