using ComplaintWorkflows.Engine.Expressions;
using ComplaintWorkflows.Engine.Model;

namespace ComplaintWorkflows.Engine.Runtime;

public enum InstanceStatus
{
    Active,
    Completed,

    /// <summary>Ended by a terminate end event at the top level or by an administrator.</summary>
    Terminated,
}

/// <summary>What an execution node is doing.</summary>
public enum NodeState
{
    /// <summary>Queued or being executed within the current step.</summary>
    Running,

    /// <summary>Waiting for something outside the step (task, message, signal, timer, called instance, job).</summary>
    Waiting,

    /// <summary>Arrived at a joining gateway, waiting for the other branches.</summary>
    Joining,

    /// <summary>Stopped by an error the engine could not handle; an incident says why.</summary>
    Failed,
}

/// <summary>What a waiting node waits for.</summary>
public enum WaitKind
{
    None,
    UserTask,
    Message,
    Signal,
    Timer,
    EventGateway,
    CalledInstance,
    AsyncBefore,
    AsyncAfter,

    /// <summary>A service task with <c>camunda:type="external"</c>: an external task waits for a worker.</summary>
    ExternalTask,
}

/// <summary>Role of a node for a multi-instance activity.</summary>
public enum MultiInstanceRole
{
    None,
    Body,
    Inner,
}

/// <summary>
/// A running process instance: a tree of execution nodes (one per active activity instance or token),
/// the event subscriptions they hold, and incidents. Mutated only inside a step, under the engine's
/// lock for the instance.
/// </summary>
public sealed class ProcessInstance
{
    internal ProcessInstance(string id, ProcessDefinition definition, string? businessKey, DateTimeOffset startedAt)
    {
        Id = id;
        Definition = definition;
        BusinessKey = businessKey;
        StartedAt = startedAt;
    }

    public string Id { get; }

    public ProcessDefinition Definition { get; internal set; }

    public string? BusinessKey { get; internal set; }

    public InstanceStatus Status { get; internal set; }

    public DateTimeOffset StartedAt { get; }

    public DateTimeOffset? EndedAt { get; internal set; }

    /// <summary>For an instance started by a call activity: the calling instance and its node.</summary>
    public string? ParentInstanceId { get; internal set; }

    public int ParentNodeId { get; internal set; }

    /// <summary>Incremented on every committed step; the basis of optimistic concurrency in stores.</summary>
    public long Revision { get; internal set; }

    internal ExecutionNode Root { get; set; } = null!;

    internal int NextNodeId { get; set; } = 1;

    internal int NextSubscriptionId { get; set; } = 1;

    /// <summary>Sequence number of the next journal entry (kept in the snapshot so every host continues it).</summary>
    internal long NextJournalSequence { get; set; } = 1;

    /// <summary>The step running on the instance, told of every variable set; null between steps.</summary>
    internal Step? Recorder { get; set; }

    internal List<Subscription> Subscriptions { get; } = [];

    internal List<Incident> Incidents { get; } = [];

    internal int AllocateNodeId() => NextNodeId++;

    internal IEnumerable<ExecutionNode> AllNodes()
    {
        if (Root is null)
        {
            yield break;
        }

        var stack = new Stack<ExecutionNode>();
        stack.Push(Root);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            yield return node;
            if (node.Children is { } children)
            {
                for (var i = children.Count - 1; i >= 0; i--)
                {
                    stack.Push(children[i]);
                }
            }
        }
    }

    internal ExecutionNode? FindNode(int id) => AllNodes().FirstOrDefault(n => n.Id == id);
}

/// <summary>
/// One token or activity instance: where it is (element), its local variables, and, for scopes
/// (process, sub-process, multi-instance body), its child nodes. Also the variable scope that
/// expressions read and write.
/// </summary>
public sealed class ExecutionNode : IVariableScope
{
    internal ExecutionNode(ProcessInstance instance, int id, BaseElement element, ExecutionNode? parent)
    {
        Instance = instance;
        Id = id;
        Element = element;
        Parent = parent;
    }

    public int Id { get; }

    public BaseElement Element { get; internal set; }

    public string ElementId => Element.Id;

    internal ProcessInstance Instance { get; }

    internal ExecutionNode? Parent { get; set; }

    internal List<ExecutionNode>? Children { get; set; }

    internal Dictionary<string, object?>? Variables { get; set; }

    public NodeState State { get; internal set; }

    public WaitKind Wait { get; internal set; }

    public MultiInstanceRole MultiInstance { get; internal set; }

    /// <summary>The sequence flow the token arrived by (joins and the path taken).</summary>
    internal string? ArrivedBy { get; set; }

    internal UserTaskState? Task { get; set; }

    /// <summary>The id of the user task completed in this step (not stored: a step's journal keeps it).</summary>
    internal string? EndedTaskId { get; set; }

    /// <summary>For an external service task: the external task a worker fetches and completes.</summary>
    internal ExternalTaskState? External { get; set; }

    /// <summary>For a call activity: the called instance.</summary>
    internal string? CalledInstanceId { get; set; }

    /// <summary>Multi-instance body: the collection still to start (sequential) and the counters.</summary>
    internal List<object?>? PendingItems { get; set; }

    internal int NextLoopCounter { get; set; }

    /// <summary>For a failed node: the operation to run again when its incident is retried.</summary>
    internal Step.Op? FailedOp { get; set; }

    /// <summary>Set while the node is being cancelled so nothing re-enters it.</summary>
    internal bool Cancelled { get; set; }

    string? IVariableScope.ProcessInstanceId => Instance.Id;

    string? IVariableScope.BusinessKey => Instance.BusinessKey;

    string? IVariableScope.ActivityId => Element.Id;

    public bool TryGetVariable(string name, out object? value)
    {
        for (var scope = this; scope is not null; scope = scope.Parent)
        {
            if (scope.Variables is { } variables && variables.TryGetValue(name, out value))
            {
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <summary>Sets a variable where it already exists up the scope chain, else on the process instance.</summary>
    public void SetVariable(string name, object? value)
    {
        for (var scope = this; scope is not null; scope = scope.Parent)
        {
            if (scope.Variables is { } variables && variables.ContainsKey(name))
            {
                scope.SetLocalVariable(name, value);
                return;
            }
        }

        Instance.Root.SetLocalVariable(name, value);
    }

    internal void SetLocalVariable(string name, object? value)
    {
        (Variables ??= new Dictionary<string, object?>(StringComparer.Ordinal))[name] = value;
        Instance.Recorder?.VariableSet(this, name, value);
    }

    internal void AddChild(ExecutionNode child) => (Children ??= []).Add(child);

    internal bool HasChildren => Children is { Count: > 0 };
}

/// <summary>A user task waiting on a node.</summary>
internal sealed class UserTaskState
{
    public required string TaskId { get; init; }

    public string? Assignee { get; set; }

    public IReadOnlyList<string> CandidateUsers { get; init; } = [];

    public IReadOnlyList<string> CandidateGroups { get; init; } = [];

    public DateTimeOffset? DueDate { get; init; }

    public DateTimeOffset? FollowUpDate { get; init; }

    public int Priority { get; init; } = 50;

    public string? FormKey { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Who delegated the task and gets it back when it is resolved (Camunda's owner); null until delegated.</summary>
    public string? Owner { get; set; }

    /// <summary>Camunda's delegation state: <c>PENDING</c> while delegated, <c>RESOLVED</c> once resolved; null when never delegated.</summary>
    public string? DelegationState { get; set; }
}

/// <summary>
/// An external task waiting on a node: what workers fetch by topic. Its lock (worker and expiry) lives in the store's
/// row only, so that fetching and extending a lock never loads the instance.
/// </summary>
internal sealed class ExternalTaskState
{
    public required string Id { get; init; }

    public required string Topic { get; init; }

    public long Priority { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Retries left as the last failure reported them; null until a failure was reported.</summary>
    public int? Retries { get; set; }

    public string? ErrorMessage { get; set; }

    public string? ErrorDetails { get; set; }
}

public enum SubscriptionKind
{
    Message,
    Signal,
    Timer,
}

/// <summary>
/// An event the instance waits for: a message, signal or timer, caught by <see cref="EventElementId"/>
/// (intermediate catch event, receive task, boundary event, event sub-process start, or the target of
/// an event-based gateway) and held by node <see cref="OwnerNodeId"/>, whose end removes it.
/// </summary>
internal sealed class Subscription
{
    public required int Id { get; init; }

    public required SubscriptionKind Kind { get; init; }

    public required string EventElementId { get; init; }

    public required int OwnerNodeId { get; init; }

    /// <summary>Message or signal name, evaluated when the wait began.</summary>
    public string? EventName { get; init; }

    public string? CorrelationKey { get; init; }

    public DateTimeOffset? DueAt { get; set; }

    /// <summary>How many times a timer has fired (cycles fire more than once).</summary>
    public int FiredCount { get; set; }

    /// <summary>The evaluated timer definition text, kept so a cycle can compute its next due time.</summary>
    public string? TimerText { get; init; }

    public TimerKind TimerKind { get; init; }
}

/// <summary>Something went wrong at an element and needs an administrator: the node stays where it failed.</summary>
public sealed record Incident(int NodeId, string ElementId, string Type, string Message, DateTimeOffset CreatedAt);
