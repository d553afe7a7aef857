using ComplaintWorkflows.Engine.Expressions;

namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>
/// One atomic step over one instance: runs its agenda until every token waits, collecting what must
/// happen afterwards to other instances (messages, signals, called instances). Single-threaded; the
/// engine holds the instance's lock for the whole step.
/// </summary>
internal sealed partial class Step(WorkflowEngine engine, ProcessInstance instance, CancellationToken cancellationToken)
{
    // Where the rest of the step lives (each a part of this class):
    //   Step.Flow.cs           token movement: nodes entered and left, flows taken, scopes started and completed, cancel, fail
    //   Step.Activities.cs     executing elements: events, user, service and script tasks, sub-processes, call activities
    //   Step.Gateways.cs       gateways: parallel and inclusive joins, event-based gateways
    //   Step.MultiInstance.cs  multi-instance bodies and their inner instances
    //   Step.Variables.cs      input/output and call mappings, evaluating element attributes
    //   Step.Events.cs         event subscriptions, boundary and event sub-process triggers, errors and escalations
    //   Step.Commit.cs         what the commit takes besides the instance: the host's step work and the journal
    //   Step.Api.cs            how a step is seeded from outside: task completion, timers, jobs, called instances

    private readonly Queue<(Op Op, ExecutionNode Node)> _agenda = new();
    private int _operations;

    public ProcessInstance Instance { get; } = instance;

    /// <summary>Work for other instances, run by the engine after this step.</summary>
    public List<PostAction> After { get; } = [];

    /// <summary>Tasks, waits and jobs the step created or ended, for the engine's indexes.</summary>
    public StepChanges Changes { get; } = new();

    private DateTimeOffset Now => engine.Time.GetUtcNow();

    private ExpressionEngine Expressions => engine.Expressions;

    internal enum Op
    {
        Enter,
        EnterSkipAsync,
        Execute,
        Leave,
        LeaveSkipAsync,
        CheckInclusiveJoins,

        /// <summary>Start listeners of a node that began without being entered, then leave it.</summary>
        StartThenLeave,
    }

    public void Schedule(Op op, ExecutionNode node) => _agenda.Enqueue((op, node));

    /// <summary>Incidents this step raised (a job whose step raises one is retried instead of committed).</summary>
    public int IncidentsRaised { get; private set; }

    /// <summary>The person on whose behalf the step runs (a task completion), for the journal.</summary>
    public string? UserId { get; set; }

    /// <summary>Starts recording into the journal; the engine calls <see cref="Finish"/> when the step is over.</summary>
    public Step Begin()
    {
        Instance.Recorder = this;
        return this;
    }

    public void Finish() => Instance.Recorder = null;

    public async ValueTask RunAsync()
    {
        while (_agenda.TryDequeue(out var item))
        {
            var node = item.Node;
            if (node.Cancelled || node.State == NodeState.Failed)
            {
                continue;
            }

            if (++_operations > engine.Options.MaxOperationsPerStep)
            {
                Fail(node, "step-limit", $"More than {engine.Options.MaxOperationsPerStep} operations without reaching a wait state; the process may loop without waiting.");
                _agenda.Clear();
                break;
            }

            try
            {
                switch (item.Op)
                {
                    case Op.Enter:
                        Enter(node, skipAsync: false);
                        break;
                    case Op.EnterSkipAsync:
                        Enter(node, skipAsync: true);
                        break;
                    case Op.Execute:
                        await ExecuteAsync(node).ConfigureAwait(false);
                        break;
                    case Op.Leave:
                        Leave(node, skipAsync: false);
                        break;
                    case Op.LeaveSkipAsync:
                        Leave(node, skipAsync: true);
                        break;
                    case Op.CheckInclusiveJoins:
                        CheckInclusiveJoins(node);
                        break;
                    case Op.StartThenLeave:
                        RunExecutionListeners(node, node.Element, Model.ListenerEvent.Start);
                        Leave(node, skipAsync: false);
                        break;
                }
            }
            catch (ExpressionException ex)
            {
                Fail(node, ex.IsLimitExceeded ? "expression-limit" : "expression-failed", ex.Message, item.Op);
            }
            catch (WorkflowException ex)
            {
                Fail(node, ex.Code, ex.Message, item.Op);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Fail(node, "failed", $"{ex.GetType().Name}: {ex.Message}", item.Op);
            }
        }
    }
}
