using ComplaintWorkflows.Engine.Persistence;
using ComplaintWorkflows.Engine.Variables;

namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>User task operations: completing a task, setting its assignee.</summary>
public sealed partial class WorkflowEngine
{
    /// <summary>
    /// Completes a user task with variables (on behalf of <paramref name="userId"/>, for the journal) and
    /// runs the instance on until every token waits.
    /// </summary>
    public async Task CompleteTaskAsync(string taskId, IReadOnlyDictionary<string, object?>? variables = null, string? userId = null, CancellationToken cancellationToken = default)
    {
        var location = await FindTaskAsync(taskId, cancellationToken).ConfigureAwait(false);
        var normalized = VariableValues.NormalizeAll(variables);
        if (!await RunStepAsync(location.InstanceId, step =>
            {
                step.UserId = userId;
                return step.CompleteTask(location.NodeId, taskId, normalized);
            }, cancellationToken).ConfigureAwait(false))
        {
            throw new WorkflowException($"Task '{taskId}' was completed or cancelled meanwhile.") { Code = "conflict" };
        }
    }

    /// <summary>Sets or clears the assignee of a task (claim, unclaim, delegate), on behalf of <paramref name="userId"/>.</summary>
    public async Task SetAssigneeAsync(string taskId, string? assignee, string? userId = null, CancellationToken cancellationToken = default)
    {
        var location = await FindTaskAsync(taskId, cancellationToken).ConfigureAwait(false);
        if (!await RunStepAsync(location.InstanceId, step =>
            {
                step.UserId = userId;
                return step.SetAssignee(location.NodeId, taskId, assignee);
            }, cancellationToken).ConfigureAwait(false))
        {
            throw new WorkflowException($"Task '{taskId}' was completed or cancelled meanwhile.") { Code = "conflict" };
        }
    }

    /// <summary>Delegates a task as Camunda does: its assignee becomes its owner and <paramref name="assignee"/> works on it (PENDING) until it is resolved.</summary>
    public async Task DelegateTaskAsync(string taskId, string assignee, string? userId = null, CancellationToken cancellationToken = default)
    {
        var location = await FindTaskAsync(taskId, cancellationToken).ConfigureAwait(false);
        if (!await RunStepAsync(location.InstanceId, step =>
            {
                step.UserId = userId;
                return step.DelegateTask(location.NodeId, taskId, assignee);
            }, cancellationToken).ConfigureAwait(false))
        {
            throw new WorkflowException($"Task '{taskId}' was completed or cancelled meanwhile.") { Code = "conflict" };
        }
    }

    /// <summary>Resolves a delegated task: it goes back to its owner (RESOLVED). Refused (code <c>invalid</c>) when it is not delegated.</summary>
    public async Task ResolveTaskAsync(string taskId, string? userId = null, CancellationToken cancellationToken = default)
    {
        var location = await FindTaskAsync(taskId, cancellationToken).ConfigureAwait(false);
        if (!await RunStepAsync(location.InstanceId, step =>
            {
                step.UserId = userId;
                return step.ResolveTask(location.NodeId, taskId);
            }, cancellationToken).ConfigureAwait(false))
        {
            throw new WorkflowException($"Task '{taskId}' is not delegated (or was completed meanwhile): only a delegated task can be resolved.") { Code = "invalid" };
        }
    }

    private async Task<TaskLocation> FindTaskAsync(string taskId, CancellationToken cancellationToken)
        => await Store.FindTaskAsync(taskId, cancellationToken).ConfigureAwait(false)
            ?? throw new WorkflowException($"Task '{taskId}' does not exist or is no longer active.") { Code = "not-found" };
}
