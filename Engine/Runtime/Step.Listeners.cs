using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Expressions;
using ComplaintWorkflows.Engine.Model;

namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>
/// Camunda execution and task listeners, run inside the step that reaches their event: what they change is the
/// step's (journaled and committed with it), and one that fails raises an incident on the token, as a failing
/// activity does; retrying the incident runs the operation, listeners included, again.
/// </summary>
internal sealed partial class Step
{
    /// <summary>Runs the execution listeners of <paramref name="element"/> for <paramref name="event"/> with <paramref name="node"/>'s variables.</summary>
    private void RunExecutionListeners(ExecutionNode node, BaseElement element, ListenerEvent @event)
    {
        // A multi-instance activity's listeners run for each of its instances, not also for the body around them.
        if (element.ExecutionListeners.Count == 0 || (node.MultiInstance == MultiInstanceRole.Body && @event != ListenerEvent.Take))
        {
            return;
        }

        foreach (var listener in element.ExecutionListeners)
        {
            if (listener.Event == @event)
            {
                RunListener(node, element, listener);
            }
        }
    }

    private void RunTaskListeners(ExecutionNode node, ListenerEvent @event)
    {
        if (node.Element is not UserTask { TaskListeners.Count: > 0 } task)
        {
            return;
        }

        foreach (var listener in task.TaskListeners)
        {
            if (listener.Event == @event)
            {
                RunListener(node, task, listener);
            }
        }
    }

    private void RunListener(ExecutionNode node, BaseElement element, Listener listener)
    {
        try
        {
            switch (listener.Kind)
            {
                case ListenerKind.DelegateExpression:
                    RunListenerActivity(node, listener.ActivityName ?? EvaluateString(listener.Code, node)
                        ?? throw new WorkflowException("its delegate expression names no activity.") { Code = "listener-failed" });
                    break;
                case ListenerKind.Expression when listener.ActivityName is { } bean && engine.Activities.TryGetDescriptor(bean, out _):
                    RunListenerActivity(node, bean);
                    break;
                default:
                    Expressions.Evaluate(listener.Code, node);
                    break;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var why = ex switch
            {
                ExpressionException or WorkflowException => ex.Message,
                BpmnErrorException error => $"it threw BPMN error '{error.ErrorCode}', which listeners cannot throw ({error.Message})",
                _ => $"{ex.GetType().Name}: {ex.Message}",
            };
            throw new WorkflowException($"The {listener.Describe()} of {element} failed: {why}", ex) { Code = "listener-failed" };
        }
    }

    /// <summary>
    /// Runs a registered activity as a listener. Listeners run where the step cannot wait, so an activity that does not
    /// finish at once is waited for here; the activities a listener names are expected to be quick (they write step work).
    /// </summary>
    private void RunListenerActivity(ExecutionNode node, string name)
    {
        if (!engine.Activities.TryResolve(name, engine.Services, out var activity, out var descriptor))
        {
            throw new WorkflowException($"it names activity '{name}', which is not registered.") { Code = "listener-failed" };
        }

        var pending = activity.ExecuteAsync(new ActivityContext(node, descriptor, engine.Time, engine.Services, this), cancellationToken);
        if (!pending.IsCompletedSuccessfully)
        {
            pending.AsTask().GetAwaiter().GetResult();
        }
    }

    private const string TimeoutPrefix = "taskListener-timeout:";

    /// <summary>A timer per timeout listener, counted from the task's creation; it goes when the task does.</summary>
    private void SubscribeTimeoutListeners(ExecutionNode node, UserTask task)
    {
        for (var i = 0; i < task.TaskListeners.Count; i++)
        {
            if (task.TaskListeners[i] is { Event: ListenerEvent.Timeout, Timeout: { } timer })
            {
                AddTimerSubscription(node, task, timer, TimeoutPrefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }

    private static bool IsTaskTimeout(Subscription subscription)
        => subscription.Kind == SubscriptionKind.Timer && subscription.EventName?.StartsWith(TimeoutPrefix, StringComparison.Ordinal) == true;

    /// <summary>
    /// A timeout listener's timer fired: the listener runs in the firing's step and the task stays. When it fails the
    /// firing fails and nothing is stored, so the timer is still due and fires again (as Camunda retries its timer job).
    /// </summary>
    private void RunTimeoutListener(ExecutionNode node, string eventName)
    {
        if (node.Element is UserTask task && int.TryParse(eventName.AsSpan(TimeoutPrefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index) && index < task.TaskListeners.Count)
        {
            RunListener(node, task, task.TaskListeners[index]);
        }
    }

    /// <summary>
    /// A node that begins without being entered (a boundary event, an event sub-process's start, an event gateway's
    /// target) runs its start listeners in the agenda (<see cref="Op.StartThenLeave"/>), where a failure is an incident.
    /// </summary>
    private void StartAndContinue(ExecutionNode node, IReadOnlyDictionary<string, object?>? variables)
    {
        SetPayload(node, variables);
        Schedule(node.Element.ExecutionListeners.Count > 0 ? Op.StartThenLeave : Op.Leave, node);
    }
}
