using ComplaintWorkflows.Engine.Activities;

namespace ComplaintWorkflows.Activities.General;

/// <summary>Does nothing: a placeholder step while a process is being designed, and the benchmark's step.</summary>
[Activity("noop", DisplayName = "空操作 (No operation)", Category = "通用 (General)", Description = "不做任何事，用于流程设计中的占位步骤。Does nothing; a placeholder step.")]
public sealed class NoOperationActivity : IActivity
{
    public ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
}
