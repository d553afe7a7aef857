using ComplaintWorkflows.Engine.Activities;

namespace ComplaintWorkflows.Activities.Emergency;

/// <summary>How activities find the incident their process instance is about.</summary>
internal static class IncidentContext
{
    /// <summary>The <c>incidentId</c> variable, else the business key.</summary>
    public static string IncidentId(ActivityContext context)
        => context.GetVariable("incidentId") as string ?? context.BusinessKey
            ?? throw new InvalidOperationException($"Process instance {context.ProcessInstanceId} has no incidentId variable and no business key; element '{context.ElementId}' needs one.");

    /// <summary>A comma-separated list of user names as a list (empty entries dropped).</summary>
    public static List<string> Users(string? list)
        => [.. (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)];
}
