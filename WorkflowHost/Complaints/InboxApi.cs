using System.Text.Json;
using System.Text.Json.Nodes;
using ComplaintWorkflows.Activities.Classification;
using ComplaintWorkflows.Activities.Closure;
using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Messaging;
using ComplaintWorkflows.Engine.Runtime;
using ComplaintWorkflows.WorkflowHost.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.WorkflowHost.Complaints;

/// <summary>
/// The staff inbox: my tasks and my groups' tasks, claim and release, delegate, and complete with the
/// task's form (checked on the server). A task can be worked by its assignee, or by a member of one of its
/// candidate groups while nobody has claimed it; administrators can work any task.
/// </summary>
public static class InboxApi
{
    public static IEndpointRouteBuilder MapInboxApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/inbox").WithTags("Inbox");
        api.MapGet("/tasks", GetTasksAsync)
            .WithName("GetInboxTasks")
            .WithSummary("My tasks (scope=mine), my groups' unclaimed tasks (scope=groups) or both (default), with due dates and overdue marks.");
        api.MapGet("/tasks/{id}", GetTaskAsync)
            .WithName("GetInboxTask")
            .WithSummary("A task with its form (form-js schema) and the process variables the form shows.");
        api.MapPost("/tasks/{id}/claim", ClaimAsync)
            .WithName("ClaimInboxTask")
            .WithSummary("Takes a group task (it becomes mine).");
        api.MapPost("/tasks/{id}/release", ReleaseAsync)
            .WithName("ReleaseInboxTask")
            .WithSummary("Gives a claimed task back to its groups.");
        api.MapPost("/tasks/{id}/delegate", DelegateAsync)
            .WithName("DelegateInboxTask")
            .WithSummary("Hands my task to a colleague.");
        api.MapPost("/tasks/{id}/complete", CompleteAsync)
            .WithName("CompleteInboxTask")
            .WithSummary("Completes a task with its form's values; missing or invalid fields are refused by name.");
        return endpoints;
    }

    private static async Task<Results<Ok<IReadOnlyList<TaskView>>, ValidationProblem, ProblemHttpResult>> GetTasksAsync(
        string? scope, string? pageSize, string? after, HttpContext http, WorkflowEngine engine, IDbContextFactory<DomainDbContext> contexts, TimeProvider time,
        IOptions<ComplaintOptions> complaintOptions, IOptions<InboxOptions> inboxOptions, CancellationToken cancellationToken)
    {
        if (StaffUser.From(http.User) is not { IsStaff: true } user)
        {
            return StaffUser.From(http.User) is null ? Problems.Unauthenticated() : Problems.Forbidden("收件箱仅供工作人员使用 (The inbox is for staff).");
        }

        // Paged by keyset: scope=mine or groups pages that scope; without scope, both are merged (they are disjoint:
        // mine is assigned to me, groups is unclaimed) and the cursor holds one position per scope ("mine~groups").
        var options = inboxOptions.Value;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (scope is not (null or "mine" or "groups"))
        {
            errors["scope"] = [$"scope: '{scope}' 不是收件箱范围 (is not an inbox scope: mine or groups, or leave it out for both)."];
        }

        var size = options.PageSize;
        if (pageSize is not null && (!int.TryParse(pageSize, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out size) || size < 1 || size > options.MaxPageSize))
        {
            errors["pageSize"] = [$"pageSize: '{pageSize}' 不是有效的每页条数 (is not a page size: 1 to {options.MaxPageSize})."];
        }

        string?[] cursors = [null, null];
        var ended = new bool[2];
        if (after is not null)
        {
            var parts = scope is null ? after.Split('~') : [after];
            if (parts.Length != (scope is null ? 2 : 1))
            {
                errors["after"] = [$"after: 不是上一页给出的游标 (is not the cursor of a previous page's next link)."];
            }
            else
            {
                for (var i = 0; i < parts.Length; i++)
                {
                    if (parts[i] == "end")
                    {
                        ended[i] = true;
                    }
                    else if (parts[i].Length > 0)
                    {
                        try
                        {
                            InboxKey.Parse(parts[i]);
                            cursors[i] = parts[i];
                        }
                        catch (ArgumentException ex)
                        {
                            errors["after"] = [ex.Message];
                        }
                    }
                }
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "收件箱查询参数有误 (The inbox query is invalid)");
        }

        string? next;
        List<TaskInfo> tasks;
        if (scope is not null)
        {
            var page = await engine.GetInboxAsync(new InboxQuery(scope == "mine" ? InboxScope.Mine : InboxScope.Groups, user.UserName, user.Groups, size, cursors[0]), cancellationToken).ConfigureAwait(false);
            tasks = [.. page.Tasks];
            next = page.Next;
        }
        else
        {
            var mine = ended[0] ? new InboxPage([], null) : await engine.GetInboxAsync(new InboxQuery(InboxScope.Mine, user.UserName, user.Groups, size, cursors[0]), cancellationToken).ConfigureAwait(false);
            var groups = ended[1] ? new InboxPage([], null) : await engine.GetInboxAsync(new InboxQuery(InboxScope.Groups, user.UserName, user.Groups, size, cursors[1]), cancellationToken).ConfigureAwait(false);
            var merged = mine.Tasks.Select(t => (Key: InboxKey.Of(t), Task: t, Scope: 0)).Concat(groups.Tasks.Select(t => (Key: InboxKey.Of(t), Task: t, Scope: 1)))
                .OrderBy(t => t.Key).Take(size).ToList();
            tasks = [.. merged.Select(m => m.Task)];
            string Position(int s, InboxPage page)
            {
                var taken = merged.Where(m => m.Scope == s).Select(m => m.Key).ToList();
                var all = page.Tasks.Count;
                if (taken.Count == all)
                {
                    return page.Next ?? "end";
                }

                return taken.Count > 0 ? taken[^1].ToCursor() : cursors[s] ?? "";
            }

            var positions = new[] { Position(0, mine), Position(1, groups) };
            next = positions.All(p => p == "end") ? null : string.Join('~', positions);
        }

        if (next is not null)
        {
            var query = new Dictionary<string, string?>(StringComparer.Ordinal) { ["scope"] = scope, ["pageSize"] = pageSize, ["after"] = next };
            var link = Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(http.Request.PathBase + http.Request.Path, query.Where(q => q.Value is not null));
            http.Response.Headers.Append("Link", $"<{link}>; rel=\"next\"");
        }

        var views = await ViewsAsync(tasks, engine, contexts, time.GetUtcNow(), complaintOptions.Value.ProcessKey, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok<IReadOnlyList<TaskView>>(views);
    }

    private static async Task<Results<Ok<TaskDetail>, ProblemHttpResult>> GetTaskAsync(
        string id, HttpContext http, WorkflowEngine engine, IDbContextFactory<DomainDbContext> contexts, FormCatalog forms, TimeProvider time, IOptions<ComplaintOptions> complaintOptions, CancellationToken cancellationToken)
    {
        var (task, problem) = await FindWorkableAsync(id, http, engine, cancellationToken).ConfigureAwait(false);
        if (task is null)
        {
            return problem!;
        }

        var view = (await ViewsAsync([task], engine, contexts, time.GetUtcNow(), complaintOptions.Value.ProcessKey, cancellationToken).ConfigureAwait(false))[0];
        var form = await forms.FindAsync(task.FormKey, cancellationToken).ConfigureAwait(false);
        var variables = await engine.GetVariablesAsync(task.ProcessInstanceId, cancellationToken).ConfigureAwait(false);
        var shown = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (form?["components"] is JsonArray components)
        {
            foreach (var key in components.OfType<JsonObject>().Select(c => (string?)c["key"]).OfType<string>())
            {
                if (variables.TryGetValue(key, out var value))
                {
                    shown[key] = value;
                }
            }
        }

        return TypedResults.Ok(new TaskDetail(view, form, shown));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ClaimAsync(string id, HttpContext http, WorkflowEngine engine, CancellationToken cancellationToken)
    {
        var (task, problem) = await FindWorkableAsync(id, http, engine, cancellationToken).ConfigureAwait(false);
        if (task is null)
        {
            return problem!;
        }

        var user = StaffUser.From(http.User)!;
        if (task.Assignee is { } assignee && assignee != user.UserName)
        {
            return TypedResults.Problem(title: "任务已被他人领取 (Task already claimed)", detail: $"Task {id} is assigned to {assignee}.", statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?> { ["code"] = "claimed" });
        }

        return await EngineCallAsync(() => engine.SetAssigneeAsync(id, user.UserName, user.UserName, cancellationToken)).ConfigureAwait(false);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ReleaseAsync(string id, HttpContext http, WorkflowEngine engine, CancellationToken cancellationToken)
    {
        var (task, problem) = await FindWorkableAsync(id, http, engine, cancellationToken).ConfigureAwait(false);
        if (task is null)
        {
            return problem!;
        }

        if (task.CandidateGroups.Count == 0)
        {
            return TypedResults.Problem(title: "该任务没有候选组，不能退回 (No group to release to)", detail: $"Task {id} has no candidate groups; delegate it instead.",
                statusCode: StatusCodes.Status409Conflict, extensions: new Dictionary<string, object?> { ["code"] = "no-groups" });
        }

        var user = StaffUser.From(http.User)!;
        return await EngineCallAsync(() => engine.SetAssigneeAsync(id, null, user.UserName, cancellationToken)).ConfigureAwait(false);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DelegateAsync(string id, DelegateBody body, HttpContext http, WorkflowEngine engine, CancellationToken cancellationToken)
    {
        var (task, problem) = await FindWorkableAsync(id, http, engine, cancellationToken).ConfigureAwait(false);
        if (task is null)
        {
            return problem!;
        }

        if (string.IsNullOrWhiteSpace(body.UserName))
        {
            return TypedResults.Problem(title: "请指定受托人 (Who should take it?)", detail: "userName is required.", statusCode: StatusCodes.Status400BadRequest,
                extensions: new Dictionary<string, object?> { ["code"] = "invalid" });
        }

        var user = StaffUser.From(http.User)!;
        return await EngineCallAsync(() => engine.SetAssigneeAsync(id, body.UserName.Trim(), user.UserName, cancellationToken)).ConfigureAwait(false);
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> CompleteAsync(
        string id, CompleteBody? body, HttpContext http, WorkflowEngine engine, FormCatalog forms, IDbContextFactory<DomainDbContext> contexts, TimeProvider time,
        ClassificationModelService classification, IOptions<ComplaintOptions> complaintOptions, CancellationToken cancellationToken)
    {
        var (task, problem) = await FindWorkableAsync(id, http, engine, cancellationToken).ConfigureAwait(false);
        if (task is null)
        {
            return problem!;
        }

        var user = StaffUser.From(http.User)!;
        if (task.Assignee is { } assignee && assignee != user.UserName && !user.Is(RoleNames.Administrator))
        {
            return Problems.Forbidden($"该任务已分配给 {assignee} (Task {id} is assigned to someone else).");
        }

        var submitted = body?.Variables ?? [];
        var errors = await forms.ValidateAsync(task.FormKey, submitted.ToDictionary(v => v.Key, v => (object?)v.Value, StringComparer.Ordinal), cancellationToken).ConfigureAwait(false);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: $"“{task.Name}”的表单有误 (The form of task {task.ElementId} has errors)");
        }

        var variables = JsonVariables.ToValues(submitted) ?? [];
        if (FormCatalog.KeyOf(task.FormKey) == ClosureRecordForm)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            var (_, signatureProblem) = await ClosureSignatures.CheckAsync(db, variables.GetValueOrDefault("signatures"), complaintOptions.Value.MinimumClosureSignatures, cancellationToken).ConfigureAwait(false);
            if (signatureProblem is not null)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["signatures"] = [signatureProblem] }, title: $"“{task.Name}”的表单有误 (The form of task {task.ElementId} has errors)");
            }
        }

        variables["completedBy"] = user.UserName;
        var before = task.ElementId == ClassificationReviewElement ? await engine.GetVariablesAsync(task.ProcessInstanceId, cancellationToken).ConfigureAwait(false) : null;
        var result = await EngineCallAsync(() => engine.CompleteTaskAsync(id, variables, user.UserName, cancellationToken)).ConfigureAwait(false);
        if (result.Result is NoContent)
        {
            await NoteCompletionAsync(task, user, variables, engine, complaintOptions.Value.ProcessKey, contexts, time, http.RequestServices, cancellationToken).ConfigureAwait(false);
            if (before is not null)
            {
                await RecordCorrectionsAsync(before, variables, user, classification, cancellationToken).ConfigureAwait(false);
            }

            return TypedResults.NoContent();
        }

        return (ProblemHttpResult)result.Result;
    }

    /// <summary>The task where staff confirm or correct the classification; what they change teaches the model.</summary>
    private const string ClassificationReviewElement = "reviewDispatch";

    /// <summary>The form of the handler's closing record, whose signatures are checked against the staff.</summary>
    private const string ClosureRecordForm = "closure-record";

    private static async Task RecordCorrectionsAsync(IReadOnlyDictionary<string, object?> before, Dictionary<string, object?> after, StaffUser user, ClassificationModelService classification, CancellationToken cancellationToken)
    {
        if (before.GetValueOrDefault("text") is not string text)
        {
            return;
        }

        foreach (var dimension in ClassificationDimensions.Labelled)
        {
            if (after.GetValueOrDefault(dimension) is string { Length: > 0 } corrected && !string.Equals(before.GetValueOrDefault(dimension) as string, corrected, StringComparison.Ordinal))
            {
                await classification.RecordCorrectionAsync(text, dimension, corrected, user.UserName, before.GetValueOrDefault("complaintId") as string, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Puts the completion on the complaint's timeline; a progress note meant for the consumer becomes a public entry
    /// and goes to the consumer on their channel (stored in the same transaction; the task's id is its identity).
    /// </summary>
    private static async Task NoteCompletionAsync(TaskInfo task, StaffUser user, Dictionary<string, object?> variables, WorkflowEngine engine, string processKey,
        IDbContextFactory<DomainDbContext> contexts, TimeProvider time, IServiceProvider services, CancellationToken cancellationToken)
    {
        var complaintId = await ComplaintIdOfAsync(task, engine, processKey, cancellationToken).ConfigureAwait(false);
        if (complaintId is null)
        {
            return;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        Notification? added = null;
        db.Add(new ComplaintEvent { ComplaintId = complaintId, At = now, Kind = "task-completed", Text = $"{user.UserName} 完成“{task.Name}”", Actor = user.UserName, Public = false, ProcessInstanceId = task.ProcessInstanceId, ElementId = task.ElementId });
        if (variables.TryGetValue("progressNote", out var note) && note is string { Length: > 0 } progress)
        {
            db.Add(new ComplaintEvent { ComplaintId = complaintId, At = now, Kind = "progress", Text = progress, Actor = user.UserName, Public = true, ProcessInstanceId = task.ProcessInstanceId, ElementId = task.ElementId });
            var complaint = await db.Set<Complaint>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == complaintId, cancellationToken).ConfigureAwait(false);
            if (complaint is not null && ConsumerNotifications.Consumer(complaint) is { } consumer)
            {
                var values = services.GetRequiredService<ConsumerNotifications>().ComplaintValues(complaint);
                values["text"] = progress;
                (added, _) = await services.GetRequiredService<NotificationService>().AddAsync(db, new NotificationRequest
                {
                    Key = $"task:{task.Id}:progress",
                    Template = DefaultNotificationTemplates.Progress,
                    Recipient = consumer,
                    Values = values,
                    Reference = complaint.Id,
                }, task.ProcessInstanceId, cancellationToken).ConfigureAwait(false);
            }
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        services.GetRequiredService<NotificationSignal>().WakeFor(added);
    }

    private static async Task<(TaskInfo? Task, ProblemHttpResult? Problem)> FindWorkableAsync(string id, HttpContext http, WorkflowEngine engine, CancellationToken cancellationToken)
    {
        if (StaffUser.From(http.User) is not { } user)
        {
            return (null, Problems.Unauthenticated());
        }

        TaskInfo task;
        try
        {
            task = await engine.GetTaskAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (WorkflowException)
        {
            return (null, Problems.NotFoundProblem($"没有待办任务 {id} (No open task {id})."));
        }

        var groups = user.Groups;
        var mayWork = user.Is(RoleNames.Administrator) || task.Assignee == user.UserName || task.CandidateUsers.Contains(user.UserName)
            || task.CandidateGroups.Any(groups.Contains);
        return mayWork ? (task, null) : (null, Problems.NotFoundProblem($"没有待办任务 {id}，或您无权办理 (No open task {id} you may work on)."));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> EngineCallAsync(Func<Task> call)
    {
        try
        {
            await call().ConfigureAwait(false);
            return TypedResults.NoContent();
        }
        catch (WorkflowException e)
        {
            var status = EngineApi.StatusOf(e);
            var title = status == StatusCodes.Status409Conflict ? "任务已被他人处理，请刷新 (Someone else changed this task; reload)" : "无法办理该任务 (The task cannot be completed)";
            return TypedResults.Problem(title: title, detail: e.Message, statusCode: status, extensions: new Dictionary<string, object?> { ["code"] = e.Code });
        }
    }

    /// <summary>
    /// The complaint a task is about: the business key of the complaint process, else (surveys, cases) the
    /// instance's <c>complaintId</c>, or for a case started by a report the report's own record.
    /// </summary>
    private static async Task<string?> ComplaintIdOfAsync(TaskInfo task, WorkflowEngine engine, string complaintProcessKey, CancellationToken cancellationToken)
    {
        if (task.DefinitionKey == complaintProcessKey && task.BusinessKey is { } key)
        {
            return key;
        }

        var variables = await engine.GetVariablesAsync(task.ProcessInstanceId, cancellationToken).ConfigureAwait(false);
        if (variables.GetValueOrDefault("caseSource") as string == "report" && variables.GetValueOrDefault("reportComplaintId") is string report)
        {
            return report;
        }

        return variables.GetValueOrDefault("complaintId") as string;
    }

    private static async Task<List<TaskView>> ViewsAsync(IEnumerable<TaskInfo> tasks, WorkflowEngine engine, IDbContextFactory<DomainDbContext> contexts, DateTimeOffset now, string processKey, CancellationToken cancellationToken)
    {
        var list = tasks.ToList();
        var ids = new Dictionary<string, string?>(StringComparer.Ordinal);
        var classifications = new Dictionary<string, TaskClassification?>(StringComparer.Ordinal);
        foreach (var task in list)
        {
            ids[task.Id] = await ComplaintIdOfAsync(task, engine, processKey, cancellationToken).ConfigureAwait(false);
            if (task.ElementId == ClassificationReviewElement)
            {
                classifications[task.Id] = TaskClassification.From(await engine.GetVariablesAsync(task.ProcessInstanceId, cancellationToken).ConfigureAwait(false));
            }
        }

        var wanted = ids.Values.OfType<string>().Distinct().ToList();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var complaints = await db.Set<Complaint>().AsNoTracking().Where(c => wanted.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken).ConfigureAwait(false);
        return [.. list.Select(t => TaskView.Of(t, ids[t.Id] is { } cid ? complaints.GetValueOrDefault(cid) : null, now, classifications.GetValueOrDefault(t.Id)))];
    }
}

public sealed record TaskDetail(TaskView Task, JsonObject? Form, IReadOnlyDictionary<string, object?> Values);

public sealed record DelegateBody(string? UserName);

public sealed record CompleteBody(Dictionary<string, JsonElement>? Variables);
