using ComplaintWorkflows.Engine.Runtime;

namespace ComplaintWorkflows.WorkflowHost.CamundaRest;

/// <summary>
/// Wakes this host's long-polling fetches when one of its steps created external tasks. Tasks created on other hosts
/// are found by the fetch's own look at the database every <see cref="ExternalTaskOptions.PollInterval"/>.
/// </summary>
internal sealed class ExternalTaskArrivals : IDisposable
{
    private readonly WorkflowEngine _engine;
    private readonly Lock _gate = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ExternalTaskArrivals(WorkflowEngine engine)
    {
        _engine = engine;
        engine.ExternalTasksCreated += Arrived;
    }

    /// <summary>Completes at the next arrival after this call.</summary>
    public Task Next
    {
        get
        {
            lock (_gate)
            {
                return _next.Task;
            }
        }
    }

    private void Arrived()
    {
        TaskCompletionSource arrived;
        lock (_gate)
        {
            arrived = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        arrived.TrySetResult();
    }

    public void Dispose() => _engine.ExternalTasksCreated -= Arrived;
}
