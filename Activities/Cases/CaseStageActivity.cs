using System.Globalization;
using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Variables;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Activities.Cases;

/// <summary>Moves a case to a stage (opened, not opened, investigating, decided, closed) and notes it on the complaint's timeline.</summary>
[Activity("caseFile.stage", DisplayName = "更新案件状态 (Case stage)", Category = "诉转案 (Cases)",
    Description = "更新案件状态（立案、不予立案、调查、决定、结案），并记入投诉时间线。Sets the case's status and notes it on the complaint's timeline.")]
[ActivityInput("status", VariableType.String, DisplayName = "状态 (Status)", Required = true, Description = "Screening, Opened, NotOpened, Investigating, Decided, Closed")]
[ActivityInput("text", VariableType.String, DisplayName = "说明 (Text)", Required = true)]
public sealed class CaseStageActivity(IDbContextFactory<DomainDbContext> contexts, Engine.Persistence.RowInserter? rows = null) : IActivity
{
    private readonly Engine.Persistence.RowInserter _rows = rows ?? new();

    public async ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var statusText = context.GetInput<string>("status")!;
        if (!Enum.TryParse<CaseStatus>(statusText, true, out var status))
        {
            throw new InvalidOperationException($"Input 'status' of caseFile.stage at element '{context.ElementId}': '{statusText}' is not a case status ({string.Join(", ", Enum.GetNames<CaseStatus>())}).");
        }

        var caseId = context.GetVariable("caseId") as string
            ?? throw new InvalidOperationException($"Process instance {context.ProcessInstanceId} has no caseId variable at element '{context.ElementId}' (run caseFile.open first).");
        // With the step: a step run again (a lost race) notes the stage once.
        var work = DomainStepWork.For(context, contexts, _rows);
        await using var disposeWork = work.ConfigureAwait(false);
        var file = await work.FindAsync<CaseFile>(caseId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Case '{caseId}' of process instance {context.ProcessInstanceId} does not exist (element '{context.ElementId}').");
        var now = context.Time.GetUtcNow();
        file.Status = status;
        if (context.GetVariable("caseOpeningDueAt") is string due && DateTimeOffset.TryParse(due, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var dueAt))
        {
            file.OpeningDueAt = dueAt;
        }

        file.Extended |= context.GetVariable("caseExtended") is true;
        if (status == CaseStatus.Opened)
        {
            file.OpenedAt ??= now;
        }

        if (status is CaseStatus.Closed or CaseStatus.NotOpened)
        {
            file.ClosedAt = now;
        }

        if (context.GetVariable("caseDecision") is string decision)
        {
            file.Decision = decision;
        }

        var text = context.GetInput<string>("text")!;
        work.Update(file);
        work.Insert(new ComplaintEvent
        {
            ComplaintId = file.ComplaintId,
            At = now,
            Kind = "case-" + status.ToString().ToLowerInvariant(),
            Text = $"案件 {file.CaseNumber}：{text}",
            Public = false,
            ProcessInstanceId = context.ProcessInstanceId,
            ElementId = context.ElementId,
        });
        await work.SaveAsync(cancellationToken).ConfigureAwait(false);
    }
}
