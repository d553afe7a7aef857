using System.Globalization;
using ComplaintWorkflows.Activities.Calendar;
using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Variables;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Activities.Cases;

/// <summary>
/// Creates the case file at the start of the case process and links it both ways with the complaint (or
/// report) it came from. Running it again in the same instance (a retried step) finds the same case.
/// </summary>
[Activity("caseFile.open", DisplayName = "建立案件档案 (Open case file)", Category = "诉转案 (Cases)",
    Description = "为诉转案或举报建立案件档案，并与投诉双向关联。Creates the case file for a complaint conversion or a report and links it with the complaint.")]
[ActivityInput("source", VariableType.String, DisplayName = "来源 (Source)", Required = true, Description = "conversion（诉转案）| report（举报）")]
[ActivityInput("complaintId", VariableType.String, DisplayName = "投诉/举报编号 (Complaint id)", Description = "默认为流程变量 complaintId。Defaults to the complaintId variable.")]
[ActivityInput("clue", VariableType.String, DisplayName = "违法线索 (Violation clue)")]
[ActivityOutput("caseId", VariableType.String, DisplayName = "案件编号 (Case id)")]
[ActivityOutput("caseNumber", VariableType.String, DisplayName = "案件号 (Case number)")]
public sealed class OpenCaseActivity(IDbContextFactory<DomainDbContext> contexts, WorkingCalendar calendar, Engine.Persistence.RowInserter? rows = null) : IActivity
{
    private readonly Engine.Persistence.RowInserter _rows = rows ?? new();

    public async ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var complaintId = context.GetInput<string>("complaintId") is { Length: > 0 } given ? given : ComplaintContext.ComplaintId(context);
        // With the step: the case, its link from the complaint and the timeline entry are stored together, and once.
        var work = DomainStepWork.For(context, contexts, _rows);
        await using var disposeWork = work.ConfigureAwait(false);
        var db = work.Db;
        var existing = await db.Set<CaseFile>().FirstOrDefaultAsync(c => c.ProcessInstanceId == context.ProcessInstanceId, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            var now = context.Time.GetUtcNow();
            existing = new CaseFile
            {
                Id = Guid.CreateVersion7(now).ToString("N"),
                CaseNumber = await TrackingNumbers.NextAsync(db, "AJ", calendar.LocalDate(now), cancellationToken).ConfigureAwait(false),
                ComplaintId = complaintId,
                Source = context.GetInput<string>("source")!,
                Status = CaseStatus.Screening,
                Clue = context.GetInput<string>("clue") ?? Convert.ToString(context.GetVariable("reportText"), CultureInfo.InvariantCulture),
                CreatedAt = now,
                ProcessInstanceId = context.ProcessInstanceId,
            };
            if (await work.FindAsync<Complaint>(complaintId, cancellationToken).ConfigureAwait(false) is { } complaint)
            {
                complaint.CaseId = existing.Id;
                work.Update(complaint);
            }

            work.Add(existing);
            work.Insert(new ComplaintEvent
            {
                ComplaintId = complaintId,
                At = now,
                Kind = "case-opened",
                Text = $"已移送案件处理（诉转案），案件号 {existing.CaseNumber} (Referred as case {existing.CaseNumber})",
                Public = false,
                ProcessInstanceId = context.ProcessInstanceId,
                ElementId = context.ElementId,
            });
            await work.SaveAsync(cancellationToken).ConfigureAwait(false);
        }

        context.SetOutput("caseId", existing.Id);
        context.SetOutput("caseNumber", existing.CaseNumber);
    }
}
