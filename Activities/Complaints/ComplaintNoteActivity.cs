using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Variables;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Activities.Complaints;

/// <summary>Adds an entry to the complaint's timeline without changing its status (a warning, a supervision, a reminder sent).</summary>
[Activity("complaint.note", DisplayName = "记入时间线 (Timeline note)", Category = "投诉处理 (Complaints)",
    Description = "在投诉时间线上记一笔（如期限预警、督办、回访提醒），不改变状态。Adds a timeline entry (a warning, a supervision, a reminder) without changing the status.")]
[ActivityInput("text", VariableType.String, DisplayName = "内容 (Text)", Required = true)]
[ActivityInput("kind", VariableType.String, DisplayName = "事件类型 (Event kind)", Required = true, Description = "如 handling-warning、supervision、survey-reminder")]
[ActivityInput("public", VariableType.Boolean, DisplayName = "消费者可见 (Shown to consumer)", Default = false)]
public sealed class ComplaintNoteActivity(IDbContextFactory<DomainDbContext> contexts, Engine.Persistence.RowInserter? rows = null) : IActivity
{
    private readonly Engine.Persistence.RowInserter _rows = rows ?? new();

    public async ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var entry = new ComplaintEvent
        {
            ComplaintId = ComplaintContext.ComplaintId(context),
            At = context.Time.GetUtcNow(),
            Kind = context.GetInput<string>("kind")!,
            Text = context.GetInput<string>("text")!,
            Public = context.GetInput("public") is true,
            ProcessInstanceId = context.ProcessInstanceId,
            ElementId = context.ElementId,
        };

        // With the step, so that a step run again (two hosts firing one timer) notes it once.
        var work = DomainStepWork.For(context, contexts, _rows);
        await using (work.ConfigureAwait(false))
        {
            work.Insert(entry);
            await work.SaveAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
