using ComplaintWorkflows.Activities.Complaints;

namespace ComplaintWorkflows.WorkflowHost.Complaints;

/// <summary>Who may see which complaints, and what counts as overdue.</summary>
public static class ComplaintAccess
{
    private static readonly ComplaintStatus[] Finished = [ComplaintStatus.Refused, ComplaintStatus.Closed, ComplaintStatus.Terminated, ComplaintStatus.Surveyed, ComplaintStatus.Archived];
    private static readonly ComplaintStatus[] BeforeAcceptance = [ComplaintStatus.Registered, ComplaintStatus.Classified, ComplaintStatus.Dispatched];
    private static readonly ComplaintStatus[] InHandling = [ComplaintStatus.Accepted, ComplaintStatus.Handling, ComplaintStatus.Suspended, ComplaintStatus.InReview];

    /// <summary>Administrators and the intake centre: all; other staff: their unit's; consumers: their own.</summary>
    public static IQueryable<Complaint> Visible(IQueryable<Complaint> complaints, StaffUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.SeesAllUnits)
        {
            return complaints;
        }

        if (user.IsStaff)
        {
            var units = user.UnitScope.ToList();
            return complaints.Where(c => c.UnitId != null && units.Contains(c.UnitId));
        }

        return user.UserId is { } id ? complaints.Where(c => c.ConsumerUserId == id) : complaints.Where(c => false);
    }

    public static bool CanSee(Complaint complaint, StaffUser user)
    {
        ArgumentNullException.ThrowIfNull(complaint);
        ArgumentNullException.ThrowIfNull(user);
        if (user.SeesAllUnits)
        {
            return true;
        }

        return user.IsStaff
            ? complaint.UnitId is not null && user.UnitScope.Contains(complaint.UnitId)
            : user.UserId is not null && complaint.ConsumerUserId == user.UserId;
    }

    /// <summary>Not yet decided after its acceptance deadline, or not finished after its handling deadline.</summary>
    public static bool IsOverdue(Complaint complaint, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(complaint);
        if (Finished.Contains(complaint.Status))
        {
            return false;
        }

        return BeforeAcceptance.Contains(complaint.Status)
            ? complaint.AcceptanceDueAt is { } acceptance && acceptance < now
            : complaint.HandlingDueAt is { } handling && handling < now;
    }

    /// <remarks>
    /// Written with the open statuses named (every status is finished, before acceptance or in handling), so each
    /// branch is a range of an index on (status, deadline) rather than a scan of every complaint ever received.
    /// </remarks>
    public static IQueryable<Complaint> Overdue(IQueryable<Complaint> complaints, DateTimeOffset now)
        => complaints.Where(c => (BeforeAcceptance.Contains(c.Status) && c.AcceptanceDueAt != null && c.AcceptanceDueAt < now)
            || (InHandling.Contains(c.Status) && c.HandlingDueAt != null && c.HandlingDueAt < now));

    /// <summary>The deadline that counts now: acceptance before the unit accepted, handling after; null when finished.</summary>
    public static DateTimeOffset? CurrentDeadline(Complaint complaint)
    {
        ArgumentNullException.ThrowIfNull(complaint);
        return Finished.Contains(complaint.Status) ? null : BeforeAcceptance.Contains(complaint.Status) ? complaint.AcceptanceDueAt : complaint.HandlingDueAt;
    }

    /// <summary>Unfinished complaints whose current deadline falls in [from, to): about to be overdue.</summary>
    public static IQueryable<Complaint> DueBetween(IQueryable<Complaint> complaints, DateTimeOffset from, DateTimeOffset to)
        => complaints.Where(c => !Finished.Contains(c.Status)
            && ((BeforeAcceptance.Contains(c.Status) && c.AcceptanceDueAt != null && c.AcceptanceDueAt >= from && c.AcceptanceDueAt < to)
                || (!BeforeAcceptance.Contains(c.Status) && c.HandlingDueAt != null && c.HandlingDueAt >= from && c.HandlingDueAt < to)));
}
