using ComplaintWorkflows.Activities.Calendar;
using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Persistence;
using ComplaintWorkflows.Engine.Variables;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Odr;

/// <summary>
/// Records the business's answer and settlement proposal (<see cref="OdrSettlement"/>) and sets the consumer's decision
/// deadline <c>odrDecisionDueAt</c> (<see cref="OdrOptions.DecisionWorkingDays"/> working days from now).
/// </summary>
[Activity("odr.proposal", DisplayName = "登记和解方案 (Record settlement proposal)", Category = "在线纠纷解决 (ODR)",
    Description = "保存ODR企业的答复与和解方案，计算消费者确认期限 odrDecisionDueAt。Stores the business's answer and proposal; sets odrDecisionDueAt.")]
[ActivityInput("answer", VariableType.String, DisplayName = "企业答复 (Answer)", Required = true)]
[ActivityInput("proposal", VariableType.String, DisplayName = "和解方案 (Proposal)", Required = true)]
[ActivityInput("proposedBy", VariableType.String, DisplayName = "提出人 (Proposed by)")]
[ActivityOutput("odrDecisionDueAt", VariableType.String, DisplayName = "消费者确认期限 (Decision deadline)")]
public sealed class OdrProposalActivity(IDbContextFactory<DomainDbContext> contexts, WorkingCalendar calendar, IOptions<OdrOptions> options, RowInserter? rows = null) : IActivity
{
    private readonly RowInserter _rows = rows ?? new();

    public async ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var business = context.GetVariable("odrBusinessId") as string is { Length: > 0 } id ? id
            : throw new InvalidOperationException($"odr.proposal at element '{context.ElementId}': the instance has no odrBusinessId (run odr.match first).");
        var now = context.Time.GetUtcNow();
        var due = calendar.AddWorkingDays(now, options.Value.DecisionWorkingDays);
        var work = DomainStepWork.For(context, contexts, _rows);
        await using (work.ConfigureAwait(false))
        {
            work.Insert(new OdrSettlement
            {
                ComplaintId = ComplaintContext.ComplaintId(context),
                BusinessId = business,
                Answer = context.GetInput<string>("answer")!.Trim(),
                Proposal = context.GetInput<string>("proposal")!.Trim(),
                ProposedAt = now,
                ProposedBy = context.GetInput<string>("proposedBy") ?? "business",
            });
            await work.SaveAsync(cancellationToken).ConfigureAwait(false);
        }

        context.SetOutput("odrDecisionDueAt", SlaClock.Format(due, calendar.Zone));
    }
}
