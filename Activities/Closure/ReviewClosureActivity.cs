using System.Globalization;
using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Variables;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Activities.Closure;

/// <summary>
/// Records a review of the latest closing record (the desk's, the leader's or the legal section's) from
/// the review task's variables <c>decision</c> (approve / sendBack) and <c>comment</c>; sets
/// <c>closureApproved</c> for the gateway after it. Sending back requires a comment.
/// </summary>
[Activity("closure.review", DisplayName = "办结审核 (Review closing record)", Category = "投诉处理 (Complaints)",
    Description = "记录投诉台、领导或法制科对办结报告的审核结论（通过/退回，退回须写明意见），输出 closureApproved。Records the desk, leader or legal review of the closing record; a send-back needs a comment.")]
[ActivityInput("level", VariableType.String, DisplayName = "审核级别 (Level)", Required = true, Description = "desk | leader | legal")]
[ActivityOutput("closureApproved", VariableType.Boolean, DisplayName = "审核通过 (Approved)")]
public sealed class ReviewClosureActivity(IDbContextFactory<DomainDbContext> contexts, Engine.Persistence.RowInserter? rows = null) : IActivity
{
    private readonly Engine.Persistence.RowInserter _rows = rows ?? new();

    public async ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var level = context.GetInput<string>("level")!;
        var decision = Convert.ToString(context.GetVariable("decision"), CultureInfo.InvariantCulture);
        var comment = Convert.ToString(context.GetVariable("comment"), CultureInfo.InvariantCulture)?.Trim();
        var approved = decision switch
        {
            "approve" => true,
            "sendBack" => false,
            _ => throw new BpmnErrorException("review-invalid", $"审核结论应为 approve 或 sendBack (decision must be approve or sendBack), got '{decision}'."),
        };
        if (!approved && string.IsNullOrEmpty(comment))
        {
            throw new BpmnErrorException("review-invalid", "退回时必须填写审核意见 (a send-back needs a comment).");
        }

        var complaintId = ComplaintContext.ComplaintId(context);
        if (level is not ("desk" or "leader" or "legal"))
        {
            throw new InvalidOperationException($"Input 'level' of closure.review at element '{context.ElementId}' must be desk, leader or legal, not '{level}'.");
        }

        // With the step: a step run again (a lost race) notes the review once.
        var work = DomainStepWork.For(context, contexts, _rows);
        await using var disposeWork = work.ConfigureAwait(false);
        var db = work.Db;
        // The latest record: stored already, or filed earlier in this very step.
        var record = await ClosureRecords.LatestAsync(db, complaintId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Complaint '{complaintId}' has no closing record to review at element '{context.ElementId}'.");
        var reviewer = Convert.ToString(context.GetVariable("completedBy"), CultureInfo.InvariantCulture);
        var verdict = approved ? "approve" : "sendBack";
        switch (level)
        {
            case "desk":
                record.DeskDecision = verdict;
                record.DeskComment = comment;
                record.DeskReviewer = reviewer;
                record.DeskReviewedAt = context.Time.GetUtcNow();
                break;
            case "leader":
                record.LeaderDecision = verdict;
                record.LeaderComment = comment;
                break;
            case "legal":
                record.LegalDecision = verdict;
                record.LegalComment = comment;
                break;
            default:
                break;
        }

        work.Update(record);
        work.Insert(new ComplaintEvent
        {
            ComplaintId = complaintId,
            At = context.Time.GetUtcNow(),
            Kind = approved ? $"review-{level}-approved" : $"review-{level}-sent-back",
            Text = (approved ? "办结审核通过" : "办结报告被退回：" + comment) + $" ({level} review)",
            Public = false,
            ProcessInstanceId = context.ProcessInstanceId,
            ElementId = context.ElementId,
        });
        await work.SaveAsync(cancellationToken).ConfigureAwait(false);
        context.SetOutput("closureApproved", approved);
    }
}
