using ComplaintWorkflows.Engine.Model;

namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>External tasks (<c>camunda:type="external"</c>): created when the token arrives, ended by a worker's completion, failure or BPMN error.</summary>
internal sealed partial class Step
{
    private void CreateExternalTask(ExecutionNode node, ServiceTask task)
    {
        if (node.External is { } previous)
        {
            // The incident of a failed external task was retried: the worker gets a new task.
            Changes.ExternalTaskRemoved(previous.Id);
        }

        node.External = new ExternalTaskState
        {
            Id = engine.NewId(),
            Topic = task.Topic ?? throw new WorkflowException($"External service task '{task.Id}' has no camunda:topic.") { Code = "invalid" },
            CreatedAt = Now,
        };
        Wait(node, WaitKind.ExternalTask);
        Changes.ExternalTaskCreated(node);
    }

    private ExecutionNode? ExternalNode(int nodeId, string externalTaskId)
    {
        var node = Instance.FindNode(nodeId);
        return node?.External?.Id == externalTaskId && !node.Cancelled && node.State == NodeState.Waiting ? node : null;
    }

    /// <summary>A worker completed the task: its variables are set (local ones on the task's own scope), and the token moves on.</summary>
    public bool CompleteExternalTask(int nodeId, string externalTaskId, IReadOnlyDictionary<string, object?> variables, IReadOnlyDictionary<string, object?> localVariables)
    {
        if (ExternalNode(nodeId, externalTaskId) is not { } node)
        {
            return false;
        }

        EndExternalTask(node);
        foreach (var (name, value) in localVariables)
        {
            node.SetLocalVariable(name, value);
        }

        Continue(node, variables);
        return true;
    }

    /// <summary>A worker reported a failure: retries and error kept on the task; with no retries left, an incident.</summary>
    public bool FailExternalTask(int nodeId, string externalTaskId, int retries, string? errorMessage, string? errorDetails, DateTimeOffset? retryAt)
    {
        if (ExternalNode(nodeId, externalTaskId) is not { } node)
        {
            return false;
        }

        var external = node.External!;
        external.Retries = retries;
        external.ErrorMessage = errorMessage;
        external.ErrorDetails = errorDetails;
        Changes.ExternalTaskFailed(node, retries > 0 ? retryAt : null);
        if (retries <= 0)
        {
            Fail(node, "failedExternalTask", errorMessage ?? $"External task '{externalTaskId}' failed with no retries left.", Op.Execute);
        }

        return true;
    }

    /// <summary>A worker reported a BPMN error: its variables are set, then the error is thrown from the task (a boundary error event catches it).</summary>
    public bool ExternalTaskBpmnError(int nodeId, string externalTaskId, string errorCode, string? errorMessage, IReadOnlyDictionary<string, object?> variables)
    {
        if (ExternalNode(nodeId, externalTaskId) is not { } node)
        {
            return false;
        }

        EndExternalTask(node);
        SetPayload(node, variables);
        ThrowError(node, errorCode, errorMessage ?? errorCode, fromActivity: true);
        return true;
    }

    private void EndExternalTask(ExecutionNode node)
    {
        Changes.ExternalTaskRemoved(node.External!.Id);
        node.External = null;
        node.Wait = WaitKind.None;
        node.State = NodeState.Running;
    }
}
