using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Persistence;
using ComplaintWorkflows.Engine.Variables;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Activities.Odr;

/// <summary>
/// Records how the business's settlement ended on the complaint (<see cref="Complaint.OdrOutcome"/>: settled,
/// rejected or expired) and on its latest proposal (the consumer's decision), and sets <c>odrOutcome</c>.
/// </summary>
[Activity("odr.outcome", DisplayName = "记录先行和解结果 (ODR outcome)", Category = "在线纠纷解决 (ODR)",
    Description = "记录企业先行和解的结果：settled（和解成功）、rejected（消费者拒绝）、expired（逾期未答复或未确认）。Records the ODR outcome on the complaint.")]
[ActivityInput("outcome", VariableType.String, DisplayName = "结果 (Outcome)", Required = true, Description = "settled, rejected, expired")]
[ActivityInput("decidedVia", VariableType.String, DisplayName = "确认方式 (Decided via)", Description = "portal or sms")]
[ActivityOutput("odrOutcome", VariableType.String, DisplayName = "先行和解结果 (ODR outcome)")]
public sealed class OdrOutcomeActivity(IDbContextFactory<DomainDbContext> contexts, RowInserter? rows = null) : IActivity
{
    private static readonly string[] Outcomes = ["settled", "rejected", "expired"];

    private readonly RowInserter _rows = rows ?? new();

    public async ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var outcome = context.GetInput<string>("outcome")!.Trim();
        if (!Outcomes.Contains(outcome, StringComparer.Ordinal))
        {
            throw new InvalidOperationException($"Input 'outcome' of odr.outcome at element '{context.ElementId}': '{outcome}' is not one of {string.Join(", ", Outcomes)} (先行和解结果无效).");
        }

        var complaintId = ComplaintContext.ComplaintId(context);
        var now = context.Time.GetUtcNow();
        var work = DomainStepWork.For(context, contexts, _rows);
        await using (work.ConfigureAwait(false))
        {
            var db = work.Db;
            var complaint = db.Set<Complaint>().Local.FindEntry(complaintId)?.Entity
                ?? await db.Set<Complaint>().FirstOrDefaultAsync(c => c.Id == complaintId, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Complaint '{complaintId}' of process instance {context.ProcessInstanceId} does not exist.");
            complaint.OdrOutcome = outcome;
            complaint.Version++;
            work.Update(complaint);
            var settlement = await db.Set<OdrSettlement>().Where(s => s.ComplaintId == complaintId).OrderByDescending(s => s.Id).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            if (settlement is not null && settlement.Decision is null && outcome is "settled" or "rejected")
            {
                settlement.Decision = outcome == "settled" ? "accepted" : "rejected";
                settlement.DecidedAt = now;
                settlement.DecidedVia = context.GetInput<string>("decidedVia") is { Length: > 0 } via ? via : null;
                work.Update(settlement);
            }

            await work.SaveAsync(cancellationToken).ConfigureAwait(false);
        }

        context.SetOutput("odrOutcome", outcome);
    }
}
