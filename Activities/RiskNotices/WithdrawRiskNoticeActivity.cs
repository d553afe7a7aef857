using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Engine.Activities;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Activities.RiskNotices;

/// <summary>Withdraws a risk notice the leader did not approve (the reason is kept).</summary>
[Activity("risk.withdraw", DisplayName = "撤回风险提示函 (Withdraw risk notice)", Category = "风险提示 (Risk notices)",
    Description = "领导审核不同意发出时撤回风险提示函并记录理由。Withdraws a risk notice the leader did not approve, keeping the reason.")]
public sealed class WithdrawRiskNoticeActivity(IDbContextFactory<DomainDbContext> contexts) : IActivity
{
    public async ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var id = context.GetVariable("riskNoticeId") as string ?? context.BusinessKey ?? throw new InvalidOperationException($"risk.withdraw at element '{context.ElementId}': no riskNoticeId.");
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.Set<RiskNotice>().Where(n => n.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(n => n.Status, RiskNoticeStatus.Withdrawn)
            .SetProperty(n => n.ReviewedBy, context.GetVariable("completedBy") as string)
            .SetProperty(n => n.ReviewComment, context.GetVariable("reviewComment") as string), cancellationToken).ConfigureAwait(false);
    }
}
