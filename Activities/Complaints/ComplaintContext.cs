using ComplaintWorkflows.Engine.Activities;

namespace ComplaintWorkflows.Activities.Complaints;

/// <summary>How activities find the complaint their process instance is about.</summary>
internal static class ComplaintContext
{
    /// <summary>The <c>complaintId</c> variable, else the business key.</summary>
    public static string ComplaintId(ActivityContext context)
        => context.GetVariable("complaintId") as string ?? context.BusinessKey
            ?? throw new InvalidOperationException($"Process instance {context.ProcessInstanceId} has no complaintId variable and no business key; element '{context.ElementId}' needs one.");
}
