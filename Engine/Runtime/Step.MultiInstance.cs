using System.Globalization;
using ComplaintWorkflows.Engine.Model;
using ComplaintWorkflows.Engine.Variables;

namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>Multi-instance activities: the body, its inner instances (parallel or sequential), and its completion.</summary>
internal sealed partial class Step
{
    private void StartMultiInstance(ExecutionNode body)
    {
        var activity = (Activity)body.Element;
        var mi = activity.MultiInstance!;
        body.MultiInstance = MultiInstanceRole.Body;
        Wait(body, WaitKind.None);
        body.State = NodeState.Running;
        List<object?> items;
        if (mi.Collection is { } collection)
        {
            var value = collection.IsLiteral
                ? (body.TryGetVariable(collection.Text, out var variable) ? variable : throw new WorkflowException($"Multi-instance collection variable '{collection.Text}' of '{activity.Id}' is not set.") { Code = "invalid" })
                : Expressions.Evaluate(collection, body);
            items = value as List<object?> ?? throw new WorkflowException($"Multi-instance collection of '{activity.Id}' is {VariableValues.Describe(value)}, not a list.") { Code = "invalid" };
        }
        else
        {
            var count = Expressions.Evaluate(mi.LoopCardinality!, body) switch
            {
                long l => l,
                double d => (long)d,
                string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
                var other => throw new WorkflowException($"Loop cardinality of '{activity.Id}' is {VariableValues.Describe(other)}, not a number.") { Code = "invalid" },
            };
            if (count < 0 || count > engine.Options.MaxMultiInstanceCount)
            {
                throw new WorkflowException($"Loop cardinality of '{activity.Id}' is {count}; it must be between 0 and {engine.Options.MaxMultiInstanceCount}.") { Code = "invalid" };
            }

            items = Enumerable.Repeat<object?>(null, (int)count).ToList();
        }

        body.SetLocalVariable("nrOfInstances", (long)items.Count);
        body.SetLocalVariable("nrOfCompletedInstances", 0L);
        body.SetLocalVariable("nrOfActiveInstances", mi.IsSequential ? Math.Min(1L, items.Count) : items.Count);
        SubscribeBoundaryEvents(body, activity);
        if (items.Count == 0)
        {
            Schedule(Op.Leave, body);
            return;
        }

        if (mi.IsSequential)
        {
            body.PendingItems = items;
            StartInner(body, mi, items[0]);
        }
        else
        {
            foreach (var item in items)
            {
                StartInner(body, mi, item);
            }
        }
    }

    private void StartInner(ExecutionNode body, MultiInstance mi, object? item)
    {
        var inner = CreateNode(body.Element, body);
        inner.MultiInstance = MultiInstanceRole.Inner;
        inner.SetLocalVariable("loopCounter", (long)body.NextLoopCounter++);
        if (mi.ElementVariable is { } elementVariable)
        {
            inner.SetLocalVariable(elementVariable, item);
        }

        Schedule(Op.EnterSkipAsync, inner);
    }

    private void InnerCompleted(ExecutionNode body, ExecutionNode inner)
    {
        var activity = (Activity)body.Element;
        var mi = activity.MultiInstance!;
        var completed = (long)body.Variables!["nrOfCompletedInstances"]! + 1;
        var active = (long)body.Variables!["nrOfActiveInstances"]! - 1;
        body.Variables["nrOfCompletedInstances"] = completed;
        body.Variables["nrOfActiveInstances"] = active;
        var done = mi.CompletionCondition is { } condition && Expressions.EvaluateCondition(condition, inner);
        RemoveNode(inner);
        if (done)
        {
            foreach (var other in body.Children?.ToList() ?? [])
            {
                Cancel(other);
            }

            body.PendingItems = null;
            Schedule(Op.Leave, body);
            return;
        }

        var total = (long)body.Variables["nrOfInstances"]!;
        if (mi.IsSequential && completed < total)
        {
            body.Variables["nrOfActiveInstances"] = 1L;
            StartInner(body, mi, body.PendingItems![(int)completed]);
            return;
        }

        if (active <= 0 && !body.HasChildren)
        {
            body.PendingItems = null;
            Schedule(Op.Leave, body);
        }
    }
}
