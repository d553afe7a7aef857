using ComplaintWorkflows.Engine.Persistence;
using ComplaintWorkflows.Engine.Variables;

namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>
/// External tasks (<c>camunda:type="external"</c>): workers fetch them by topic and lock them (a conditional update of
/// the task's row, so two hosts never both hand one out), then complete them, report a failure or a BPMN error.
/// Only the worker holding an unexpired lock may do so.
/// </summary>
public sealed partial class WorkflowEngine
{
    /// <summary>Raised on the host whose step created external tasks, after the commit (wakes long-polling fetches here; other hosts poll).</summary>
    public event Action? ExternalTasksCreated;

    private IExternalTaskStore ExternalTaskStore => Store as IExternalTaskStore
        ?? throw new WorkflowException("This engine's store does not keep external tasks.") { Code = "unsupported" };

    /// <summary>Locks up to <paramref name="max"/> tasks of the topics for <paramref name="workerId"/> (none waiting: an empty list).</summary>
    public Task<IReadOnlyList<ExternalTaskInfo>> FetchAndLockExternalTasksAsync(string workerId, IReadOnlyList<ExternalTaskTopic> topics, int max, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workerId);
        return ExternalTaskStore.LockExternalTasksAsync(workerId, topics, max, Time.GetUtcNow(), cancellationToken);
    }

    public Task<IReadOnlyList<ExternalTaskInfo>> GetExternalTasksAsync(ExternalTaskQuery? query = null, CancellationToken cancellationToken = default)
        => ExternalTaskStore.QueryExternalTasksAsync((query ?? new ExternalTaskQuery()) with { Now = Time.GetUtcNow() }, cancellationToken);

    public async Task<ExternalTaskInfo> GetExternalTaskAsync(string id, CancellationToken cancellationToken = default)
    {
        var found = await GetExternalTasksAsync(new ExternalTaskQuery(Id: id), cancellationToken).ConfigureAwait(false);
        return found.Count > 0 ? found[0] : throw new WorkflowException($"External task with id {id} does not exist") { Code = "not-found" };
    }

    /// <summary>Completes a task the worker holds: <paramref name="variables"/> on the process, <paramref name="localVariables"/> on the task's scope.</summary>
    public async Task CompleteExternalTaskAsync(string id, string workerId, IReadOnlyDictionary<string, object?>? variables = null, IReadOnlyDictionary<string, object?>? localVariables = null, CancellationToken cancellationToken = default)
    {
        var task = await HeldByAsync(id, workerId, "completed", cancellationToken).ConfigureAwait(false);
        var values = VariableValues.NormalizeAll(variables);
        var locals = VariableValues.NormalizeAll(localVariables);
        await RunExternalStepAsync(task, step =>
        {
            step.UserId = workerId;
            return step.CompleteExternalTask(task.NodeId, id, values, locals);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records a failure the worker reports: retries left and the error; the task may be fetched again after
    /// <paramref name="retryTimeout"/>. With no retries left the task raises an incident (retried from the incident API).
    /// </summary>
    public async Task FailExternalTaskAsync(string id, string workerId, int retries, string? errorMessage, string? errorDetails, TimeSpan retryTimeout, CancellationToken cancellationToken = default)
    {
        if (retries < 0)
        {
            throw new WorkflowException("retries must not be negative.") { Code = "invalid" };
        }

        var task = await HeldByAsync(id, workerId, "failed", cancellationToken).ConfigureAwait(false);
        var retryAt = Time.GetUtcNow() + retryTimeout;
        await RunExternalStepAsync(task, step =>
        {
            step.UserId = workerId;
            return step.FailExternalTask(task.NodeId, id, retries, errorMessage, errorDetails, retryTimeout > TimeSpan.Zero ? retryAt : null);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Throws a BPMN error from a task the worker holds, after setting <paramref name="variables"/>.</summary>
    public async Task ExternalTaskBpmnErrorAsync(string id, string workerId, string errorCode, string? errorMessage, IReadOnlyDictionary<string, object?>? variables = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(errorCode);
        var task = await HeldByAsync(id, workerId, "reported a BPMN error for", cancellationToken).ConfigureAwait(false);
        var values = VariableValues.NormalizeAll(variables);
        await RunExternalStepAsync(task, step =>
        {
            step.UserId = workerId;
            return step.ExternalTaskBpmnError(task.NodeId, id, errorCode, errorMessage, values);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Extends the lock the worker holds to now + <paramref name="lockDuration"/>.</summary>
    public async Task ExtendExternalTaskLockAsync(string id, string workerId, TimeSpan lockDuration, CancellationToken cancellationToken = default)
    {
        var now = Time.GetUtcNow();
        if (!await ExternalTaskStore.ExtendExternalTaskLockAsync(id, workerId, now, now + lockDuration, cancellationToken).ConfigureAwait(false))
        {
            await HeldByAsync(id, workerId, "given a longer lock by", cancellationToken).ConfigureAwait(false);
            throw new WorkflowException($"Cannot extend the lock of external task {id}: worker '{workerId}' does not hold it.") { Code = "invalid" };
        }
    }

    /// <summary>Releases the task's lock so any worker can fetch it again.</summary>
    public async Task UnlockExternalTaskAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!await ExternalTaskStore.UnlockExternalTaskAsync(id, cancellationToken).ConfigureAwait(false))
        {
            throw new WorkflowException($"External task with id {id} does not exist") { Code = "not-found" };
        }
    }

    /// <summary>The task, when <paramref name="workerId"/> holds its lock now; else a clear refusal (code <c>not-found</c> or <c>lock</c>).</summary>
    private async Task<ExternalTaskInfo> HeldByAsync(string id, string workerId, string what, CancellationToken cancellationToken)
    {
        var task = await GetExternalTaskAsync(id, cancellationToken).ConfigureAwait(false);
        if (task.WorkerId != workerId)
        {
            throw new WorkflowException($"External Task {id} cannot be {what} by worker '{workerId}'. It is locked by worker '{task.WorkerId}'.") { Code = "lock" };
        }

        if (!task.IsLocked(Time.GetUtcNow()))
        {
            throw new WorkflowException($"External Task {id} cannot be {what} by worker '{workerId}': its lock expired at {task.LockExpiresAt:O}; fetch it again.") { Code = "lock" };
        }

        return task;
    }

    private async Task RunExternalStepAsync(ExternalTaskInfo task, Func<Step, bool> seed, CancellationToken cancellationToken)
    {
        if (!await RunStepAsync(task.InstanceId, seed, cancellationToken).ConfigureAwait(false))
        {
            throw new WorkflowException($"External task with id {task.Id} does not exist (it was completed or cancelled meanwhile).") { Code = "not-found" };
        }
    }
}
