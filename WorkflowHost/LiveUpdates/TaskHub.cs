using ComplaintWorkflows.WorkflowHost.Complaints;
using Microsoft.AspNetCore.SignalR;

namespace ComplaintWorkflows.WorkflowHost.LiveUpdates;

/// <summary>What a signed-in staff member's browser is told when a task arrives for them or one of their groups.</summary>
public sealed record TaskArrived(string TaskId, string Name, string? ComplaintId, string? BusinessKey, string? Assignee, IReadOnlyList<string> CandidateGroups, DateTimeOffset CreatedAt, DateTimeOffset? DueDate);

/// <summary>The client side of <see cref="TaskHub"/>: the one message the server sends.</summary>
public interface ITaskClient
{
    /// <summary>Method name <c>taskArrived</c> in the browser.</summary>
    Task TaskArrived(TaskArrived task);
}

/// <summary>
/// <c>/hubs/tasks</c>: staff browsers connect (signed in by cookie) and join one SignalR group per user
/// (<c>user:name</c>) and per task group (<c>group:handler@unit</c>); <see cref="TaskArrivalWatcher"/> tells them
/// of new tasks. Consumers and anonymous callers are refused.
/// </summary>
public sealed class TaskHub : Hub<ITaskClient>
{
    public const string Path = "/hubs/tasks";

    public static string UserGroup(string userName) => "user:" + userName;

    public static string TaskGroup(string group) => "group:" + group;

    public override async Task OnConnectedAsync()
    {
        if (StaffUser.From(Context.User!) is not { IsStaff: true } user)
        {
            Context.Abort();
            return;
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, UserGroup(user.UserName)).ConfigureAwait(false);
        foreach (var group in user.Groups)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, TaskGroup(group)).ConfigureAwait(false);
        }

        await base.OnConnectedAsync().ConfigureAwait(false);
    }
}
