using ComplaintWorkflows.Engine.Model;

namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>The ways a step is seeded from outside: task completion, timers, jobs, called instances.</summary>
internal sealed partial class Step
{
    public bool CompleteTask(int nodeId, string taskId, IReadOnlyDictionary<string, object?> variables)
    {
        var node = Instance.FindNode(nodeId);
        if (node?.Task?.TaskId != taskId || node.Cancelled)
        {
            return false;
        }

        Changes.TaskRemoved(taskId);
        node.Task = null;
        node.EndedTaskId = taskId;
        node.Wait = WaitKind.None;
        node.State = NodeState.Running;
        Continue(node, variables);
        return true;
    }

    public bool FireTimer(int subscriptionId, DateTimeOffset dueAt)
    {
        // Stores may keep due times to the millisecond only.
        var subscription = Instance.Subscriptions.Find(s => s.Id == subscriptionId);
        FiredTimerDueAt = subscription?.DueAt;
        return subscription?.DueAt?.ToUnixTimeMilliseconds() == dueAt.ToUnixTimeMilliseconds() && Trigger(subscriptionId, null);
    }

    /// <summary>Fires a timer wait if it exists and is due by <paramref name="now"/> (any time when null).</summary>
    public bool FireTimerIfDue(int subscriptionId, DateTimeOffset? now)
    {
        var subscription = Instance.Subscriptions.Find(s => s.Id == subscriptionId);
        FiredTimerDueAt = subscription?.DueAt;
        return subscription is { Kind: SubscriptionKind.Timer } && (now is null || subscription.DueAt <= now) && Trigger(subscriptionId, null);
    }

    /// <summary>The due time of the timer this step fires, if it fires one (the engine's timer-lag figure).</summary>
    public DateTimeOffset? FiredTimerDueAt { get; private set; }

    public bool ContinueJob(int nodeId)
    {
        var node = Instance.FindNode(nodeId);
        if (node is null || node.Wait is not (WaitKind.AsyncBefore or WaitKind.AsyncAfter))
        {
            return false;
        }

        var after = node.Wait == WaitKind.AsyncAfter;
        Changes.JobRemoved(node);
        node.Wait = WaitKind.None;
        node.State = NodeState.Running;
        Schedule(after ? Op.LeaveSkipAsync : Op.EnterSkipAsync, node);
        return true;
    }

    public bool ResumeFromCalled(int nodeId, string childId, IReadOnlyDictionary<string, object?> childVariables)
    {
        var node = Instance.FindNode(nodeId);
        if (node?.CalledInstanceId != childId)
        {
            return false;
        }

        node.CalledInstanceId = null;
        node.Wait = WaitKind.None;
        node.State = NodeState.Running;
        var call = (CallActivity)node.Element;
        var child = new DetachedScope(childVariables, childId);
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var mapping in call.OutMappings)
        {
            MapVariables(mapping, child, childVariables, variables);
        }

        foreach (var (name, value) in variables)
        {
            if (call.OutputParameters.Count > 0 || call.OutMappings.Any(m => m.Local && (m.Target ?? m.Source) == name))
            {
                node.SetLocalVariable(name, value);
            }
            else
            {
                (node.Parent ?? node).SetVariable(name, value);
            }
        }

        Schedule(Op.Leave, node);
        return true;
    }

    public bool SetAssignee(int nodeId, string taskId, string? assignee)
    {
        var node = Instance.FindNode(nodeId);
        if (node?.Task?.TaskId != taskId)
        {
            return false;
        }

        node.Task.Assignee = assignee;
        Changes.TaskUpdated(node);
        Journal(JournalKind.TaskAssigned, node, assignee);
        if (assignee is not null)
        {
            // Outside the agenda: a failing assignment listener fails the call and nothing is stored, as in Camunda.
            RunTaskListeners(node, ListenerEvent.Assignment);
        }

        return true;
    }

    /// <summary>Camunda's delegation: the assignee (or whoever delegates) becomes the owner, the task goes to <paramref name="assignee"/>, PENDING.</summary>
    public bool DelegateTask(int nodeId, string taskId, string assignee)
    {
        var node = Instance.FindNode(nodeId);
        if (node?.Task?.TaskId != taskId)
        {
            return false;
        }

        node.Task.Owner ??= node.Task.Assignee ?? UserId;
        node.Task.Assignee = assignee;
        node.Task.DelegationState = "PENDING";
        Changes.TaskUpdated(node);
        Journal(JournalKind.TaskAssigned, node, assignee);
        return true;
    }

    /// <summary>Resolves a delegated task: back to its owner, RESOLVED; false when it is not delegated.</summary>
    public bool ResolveTask(int nodeId, string taskId)
    {
        var node = Instance.FindNode(nodeId);
        if (node?.Task?.TaskId != taskId || node.Task.DelegationState != "PENDING")
        {
            return false;
        }

        node.Task.Assignee = node.Task.Owner;
        node.Task.DelegationState = "RESOLVED";
        Changes.TaskUpdated(node);
        Journal(JournalKind.TaskAssigned, node, node.Task.Assignee);
        return true;
    }

    public bool ErrorFromCalled(int nodeId, string code, string message)
    {
        var node = Instance.FindNode(nodeId);
        if (node is null || node.CalledInstanceId is null)
        {
            return false;
        }

        node.CalledInstanceId = null;
        ThrowError(node, code, message, fromActivity: true);
        return true;
    }

    public bool EscalationFromCalled(int nodeId, string code)
    {
        var node = Instance.FindNode(nodeId);
        if (node is null || node.CalledInstanceId is null)
        {
            return false;
        }

        ThrowEscalation(node, code, includeSelf: true);
        return true;
    }

    public bool TerminateInstance()
    {
        if (Instance.Status != InstanceStatus.Active)
        {
            return false;
        }

        EndInstance(InstanceStatus.Terminated);
        return true;
    }

    /// <summary>Moves the instance to another version of its process, token by token, as planned.</summary>
    public void MoveTo(ProcessDefinition target, InstanceMigration plan, IReadOnlyDictionary<string, string> elementMapping)
    {
        var mapping = plan.Tokens.ToDictionary(t => t.NodeId, t => t.ToElementId);
        var source = Instance.Definition;
        foreach (var subscription in Instance.Subscriptions.ToList())
        {
            Changes.SubscriptionRemoved(subscription);
            Instance.Subscriptions.Remove(subscription);
            var replacement = new Subscription
            {
                Id = subscription.Id,
                Kind = subscription.Kind,
                EventElementId = elementMapping.GetValueOrDefault(subscription.EventElementId, subscription.EventElementId),
                OwnerNodeId = subscription.OwnerNodeId,
                EventName = subscription.EventName,
                CorrelationKey = subscription.CorrelationKey,
                DueAt = subscription.DueAt,
                FiredCount = subscription.FiredCount,
                TimerText = subscription.TimerText,
                TimerKind = subscription.TimerKind,
            };
            Instance.Subscriptions.Add(replacement);
            Changes.SubscriptionAdded(replacement);
        }

        Instance.Definition = target;
        Instance.Root.Element = target.Model;
        foreach (var node in Instance.AllNodes())
        {
            if (mapping.TryGetValue(node.Id, out var to))
            {
                node.Element = target.Element(to);
                if (node.Task is not null)
                {
                    Changes.TaskUpdated(node);
                }

                if (node.External is { } external)
                {
                    Changes.ExternalTaskRemoved(external.Id);
                    Changes.ExternalTaskCreated(node);
                }

                if (node.Wait is WaitKind.AsyncBefore or WaitKind.AsyncAfter)
                {
                    Changes.JobRemoved(node);
                    Changes.JobAdded(node, Now, engine.Options.DefaultJobRetries);
                }
            }
        }

        Journal(JournalKind.Migrated, Instance.Root, $"{source.Id} -> {target.Id}");
    }

    /// <summary>Runs a failed node's operation again.</summary>
    public bool RetryFailed(int nodeId)
    {
        var node = Instance.FindNode(nodeId);
        if (node is not { State: NodeState.Failed })
        {
            return false;
        }

        Instance.Incidents.RemoveAll(i => i.NodeId == nodeId);
        node.State = NodeState.Running;
        Schedule(node.FailedOp ?? Op.Execute, node);
        node.FailedOp = null;
        return true;
    }

    /// <summary>Lets a failed node's token move on as if its element had run.</summary>
    public bool ResolveFailed(int nodeId)
    {
        var node = Instance.FindNode(nodeId);
        if (node is not { State: NodeState.Failed })
        {
            return false;
        }

        Instance.Incidents.RemoveAll(i => i.NodeId == nodeId);
        node.State = NodeState.Running;
        node.FailedOp = null;
        Schedule(Op.LeaveSkipAsync, node);
        return true;
    }

    public bool FailNode(int nodeId, string type, string message)
    {
        var node = Instance.FindNode(nodeId);
        if (node is null)
        {
            return false;
        }

        node.CalledInstanceId = null;
        Fail(node, type, message);
        return true;
    }
}

/// <summary>Variables read after their instance's step: a called instance's, for its out mappings.</summary>
internal sealed class DetachedScope(IReadOnlyDictionary<string, object?> variables, string instanceId) : Expressions.IVariableScope
{
    public string? ProcessInstanceId => instanceId;

    public string? BusinessKey => null;

    public string? ActivityId => null;

    public bool TryGetVariable(string name, out object? value) => variables.TryGetValue(name, out value);

    public void SetVariable(string name, object? value) => throw new InvalidOperationException("A called instance's variables cannot be changed from its caller.");
}
