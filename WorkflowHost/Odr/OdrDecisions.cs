using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Odr;
using ComplaintWorkflows.Engine.Runtime;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.WorkflowHost.Odr;

/// <summary>
/// The one path a consumer's decision on a settlement proposal takes into the process, whether given on the tracking page
/// or by SMS reply: the <c>odr-decision</c> message correlated by complaint, with <c>odrDecision</c> (accepted or rejected)
/// and <c>odrDecidedVia</c> (portal or sms).
/// </summary>
public static class OdrDecisions
{
    /// <summary>The complaint's proposal still waiting for a decision, if any.</summary>
    public static async Task<(Complaint Complaint, OdrSettlement Settlement)?> PendingAsync(DomainDbContext db, IQueryable<Complaint> complaints, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var pending = await (from c in complaints
                             join s in db.Set<OdrSettlement>() on c.Id equals s.ComplaintId
                             where s.Decision == null && c.OdrOutcome == null
                             orderby s.ProposedAt descending
                             select new { c, s }).AsNoTracking().FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return pending is null ? null : (pending.c, pending.s);
    }

    /// <summary>Hands the decision to the complaint's waiting process; false when none waits (decided already, or the limit passed).</summary>
    public static async Task<bool> CorrelateAsync(WorkflowEngine engine, string complaintId, bool accept, string via, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(engine);
        try
        {
            await engine.CorrelateMessageAsync(new MessageCorrelation("odr-decision")
            {
                CorrelationKey = complaintId,
                Variables = new Dictionary<string, object?> { ["odrDecision"] = accept ? "accepted" : "rejected", ["odrDecidedVia"] = via },
            }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (WorkflowException e) when (e.Code is "no-match" or "not-found" or "no-subscription")
        {
            return false;
        }
    }

    /// <summary>An SMS reply read as a decision: 1 / 接受 / 同意 accept, 2 / 拒绝 / 不同意 reject; null for anything else.</summary>
    public static bool? ParseReply(string? content)
        => content?.Trim().TrimEnd('。', '.', '!', '！') switch
        {
            "1" or "接受" or "同意" or "Y" or "y" => true,
            "2" or "拒绝" or "不同意" or "N" or "n" => false,
            _ => null,
        };
}
