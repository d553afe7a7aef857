using System.ComponentModel.DataAnnotations;

namespace ComplaintWorkflows.WorkflowHost.Complaints;

/// <summary>Paging of the staff inbox (<c>GET /api/inbox/tasks</c>).</summary>
public sealed class InboxOptions
{
    public const string Section = "Workflows:Inbox";

    /// <summary>Tasks on a page when the request names no `pageSize`.</summary>
    [Range(1, 10_000)]
    public int PageSize { get; set; } = 100;

    /// <summary>The largest `pageSize` a request may ask for.</summary>
    [Range(1, 10_000)]
    public int MaxPageSize { get; set; } = 500;
}
