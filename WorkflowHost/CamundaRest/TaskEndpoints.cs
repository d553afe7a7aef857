using ComplaintWorkflows.Engine.Runtime;
using Microsoft.AspNetCore.Http.HttpResults;
using static ComplaintWorkflows.WorkflowHost.CamundaRest.CamundaRestEndpoints;

namespace ComplaintWorkflows.WorkflowHost.CamundaRest;

/// <summary><c>/task</c>: user task queries, claim, unclaim, delegate and complete.</summary>
internal static class TaskEndpoints
{
    private static readonly Dictionary<string, Func<TaskDto, object?>> SortKeys = new(StringComparer.Ordinal)
    {
        ["created"] = t => t.Created,
        ["dueDate"] = t => t.Due,
        ["followUpDate"] = t => t.FollowUp,
        ["priority"] = t => t.Priority,
        ["name"] = t => t.Name,
        ["id"] = t => t.Id,
        ["assignee"] = t => t.Assignee,
        ["instanceId"] = t => t.ProcessInstanceId,
        ["processInstanceId"] = t => t.ProcessInstanceId,
    };

    public static void MapTaskEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/task", GetTasksAsync)
            .WithName("CamundaGetTasks")
            .WithSummary("Open user tasks (filters processInstanceId, processDefinitionKey, assignee, candidateUser, candidateGroup(s), includeAssignedTasks, assigned, unassigned, taskDefinitionKey, name, processVariables=name_op_value; sortBy created|dueDate|priority|name|id|assignee).");
        api.MapGet("/task/count", GetTaskCountAsync)
            .WithName("CamundaGetTaskCount")
            .WithSummary("How many open user tasks match the filters.");
        api.MapGet("/task/{id}", GetTaskAsync)
            .WithName("CamundaGetTask")
            .WithSummary("One open user task.");
        api.MapGet("/task/{id}/form-variables", GetFormVariablesAsync)
            .WithName("CamundaGetTaskFormVariables")
            .WithSummary("The variables the task's form shows: the instance's typed variables (variableNames narrows them, comma-separated).");
        api.MapPost("/task/{id}/claim", ClaimAsync)
            .WithName("CamundaClaimTask")
            .WithSummary("Assigns the task to a user; a task claimed by someone else is refused.")
            .Accepts<UserIdRequest>("application/json");
        api.MapPost("/task/{id}/unclaim", UnclaimAsync)
            .WithName("CamundaUnclaimTask")
            .WithSummary("Clears the task's assignee.");
        api.MapPost("/task/{id}/delegate", DelegateAsync)
            .WithName("CamundaDelegateTask")
            .WithSummary("Delegates the task as Camunda does: its assignee becomes its owner, userId its assignee, delegationState PENDING.")
            .Accepts<UserIdRequest>("application/json");
        api.MapPost("/task/{id}/resolve", ResolveAsync)
            .WithName("CamundaResolveTask")
            .WithSummary("Resolves a delegated task: it goes back to its owner, delegationState RESOLVED.");
        api.MapPost("/task/{id}/complete", CompleteAsync)
            .WithName("CamundaCompleteTask")
            .WithSummary("Completes the task with variables; 200 with the instance's variables when withVariablesInReturn.")
            .Accepts<CompleteRequest>("application/json");
    }

    private static async Task<Ok<List<TaskDto>>> GetTasksAsync(
        WorkflowEngine engine, [AsParameters] TaskFilter filter, string? sortBy, string? sortOrder, int? firstResult, int? maxResults, CancellationToken cancellationToken)
    {
        var tasks = await FilterAsync(engine, filter, cancellationToken).ConfigureAwait(false);
        var sorted = Sort(tasks.OrderBy(t => t.Created, StringComparer.Ordinal).ThenBy(t => t.Id, StringComparer.Ordinal), sortBy, sortOrder, SortKeys);
        return TypedResults.Ok(Page(sorted, firstResult, maxResults));
    }

    private static async Task<Ok<CountDto>> GetTaskCountAsync(WorkflowEngine engine, [AsParameters] TaskFilter filter, CancellationToken cancellationToken)
        => TypedResults.Ok(new CountDto((await FilterAsync(engine, filter, cancellationToken).ConfigureAwait(false)).Count));

    private static async Task<Ok<TaskDto>> GetTaskAsync(WorkflowEngine engine, string id, CancellationToken cancellationToken)
    {
        var task = await FindAsync(engine, id, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok((await ToDtosAsync(engine, [task], cancellationToken).ConfigureAwait(false))[0]);
    }

    /// <summary>
    /// The engine has no conditional claim ("assign if unassigned"), so claims of one task are serialized in this
    /// process (striped locks); two hosts claiming the same task at the same moment can still both succeed.
    /// </summary>
    private static readonly SemaphoreSlim[] ClaimLocks = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    private static async Task<NoContent> ClaimAsync(HttpRequest request, WorkflowEngine engine, string id, CancellationToken cancellationToken)
    {
        var userId = (await ReadBodyAsync<UserIdRequest>(request, cancellationToken).ConfigureAwait(false))?.UserId;
        if (string.IsNullOrEmpty(userId))
        {
            throw CamundaRestException.InvalidRequest("userId is required to claim a task.");
        }

        var gate = ClaimLocks[(int)((uint)StringComparer.Ordinal.GetHashCode(id) % (uint)ClaimLocks.Length)];
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var task = await FindAsync(engine, id, cancellationToken).ConfigureAwait(false);
            if (task.Assignee == userId)
            {
                return TypedResults.NoContent();
            }

            if (task.Assignee is not null)
            {
                throw new CamundaRestException(StatusCodes.Status500InternalServerError, "TaskAlreadyClaimedException", $"Task '{id}' is already claimed by someone else.", 0);
            }

            await SetAssigneeAsync(engine, id, userId, cancellationToken).ConfigureAwait(false);
            return TypedResults.NoContent();
        }
        finally
        {
            gate.Release();
        }
    }

    private static async Task<Ok<Dictionary<string, VariableOutDto>>> GetFormVariablesAsync(WorkflowEngine engine, string id, string? variableNames, CancellationToken cancellationToken)
    {
        var task = await FindAsync(engine, id, cancellationToken).ConfigureAwait(false);
        var names = SplitList(variableNames);
        var variables = await ProcessInstanceEndpoints.VariablesOrAsync(engine, task.ProcessInstanceId, new Dictionary<string, object?>(), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(CamundaVariables.ToDtos(names.Count == 0 ? variables : variables.Where(v => names.Contains(v.Key))));
    }

    private static async Task<NoContent> UnclaimAsync(WorkflowEngine engine, string id, CancellationToken cancellationToken)
    {
        await SetAssigneeAsync(engine, id, null, cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> DelegateAsync(HttpRequest request, WorkflowEngine engine, string id, CancellationToken cancellationToken)
    {
        var userId = (await ReadBodyAsync<UserIdRequest>(request, cancellationToken).ConfigureAwait(false))?.UserId;
        if (string.IsNullOrEmpty(userId))
        {
            throw CamundaRestException.InvalidRequest("userId is required to delegate a task.");
        }

        try
        {
            await engine.DelegateTaskAsync(id, userId, request.HttpContext.User.Identity?.Name, cancellationToken).ConfigureAwait(false);
        }
        catch (WorkflowException ex) when (ex.Code == "not-found")
        {
            throw NotFound(id);
        }

        return TypedResults.NoContent();
    }

    private static async Task<NoContent> ResolveAsync(HttpRequest request, WorkflowEngine engine, string id, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync<CompleteRequest>(request, cancellationToken).ConfigureAwait(false);
        if (body?.Variables is { Count: > 0 })
        {
            throw CamundaRestException.InvalidRequest("Variables with a resolution are not supported; complete the task to set variables.");
        }

        try
        {
            await engine.ResolveTaskAsync(id, request.HttpContext.User.Identity?.Name, cancellationToken).ConfigureAwait(false);
        }
        catch (WorkflowException ex) when (ex.Code == "not-found")
        {
            throw NotFound(id);
        }

        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, Ok<Dictionary<string, VariableOutDto>>>> CompleteAsync(HttpRequest request, WorkflowEngine engine, string id, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync<CompleteRequest>(request, cancellationToken).ConfigureAwait(false);
        var variables = CamundaVariables.FromDtos(body?.Variables);
        var task = await FindAsync(engine, id, cancellationToken).ConfigureAwait(false);
        try
        {
            await engine.CompleteTaskAsync(id, variables, request.HttpContext.User.Identity?.Name, cancellationToken).ConfigureAwait(false);
        }
        catch (WorkflowException ex) when (ex.Code is "conflict" or "not-found")
        {
            // Someone completed (or cancelled) the task between our read and our write: Camunda's lost update.
            throw CamundaRestException.OptimisticLocking($"ENGINE-03005 Execution of 'UPDATE TaskEntity[{id}]' failed. Entity was updated by another transaction concurrently.");
        }

        if (body?.WithVariablesInReturn != true)
        {
            return TypedResults.NoContent();
        }

        var current = await ProcessInstanceEndpoints.VariablesOrAsync(engine, task.ProcessInstanceId, variables, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(CamundaVariables.ToDtos(current));
    }

    private static async Task SetAssigneeAsync(WorkflowEngine engine, string id, string? assignee, CancellationToken cancellationToken)
    {
        try
        {
            await engine.SetAssigneeAsync(id, assignee, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (WorkflowException ex) when (ex.Code == "not-found")
        {
            throw NotFound(id);
        }
    }

    private static async Task<TaskInfo> FindAsync(WorkflowEngine engine, string id, CancellationToken cancellationToken)
    {
        try
        {
            return await engine.GetTaskAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (WorkflowException ex) when (ex.Code == "not-found")
        {
            throw NotFound(id);
        }
    }

    private static CamundaRestException NotFound(string id) => CamundaRestException.NotFound($"No matching task with id {id}");

    private static async Task<List<TaskDto>> FilterAsync(WorkflowEngine engine, TaskFilter f, CancellationToken cancellationToken)
    {
        var processVariables = VariableFilter.Parse(f.ProcessVariables, "processVariables");
        var groups = SplitList(f.CandidateGroups);
        var query = new TaskQuery(f.ProcessInstanceId, f.Assignee, f.CandidateUser, f.CandidateGroup, f.TaskDefinitionKey);
        var candidateQuery = f.CandidateUser is not null || f.CandidateGroup is not null || groups.Count > 0;
        var tasks = (await engine.GetTasksAsync(query, cancellationToken).ConfigureAwait(false))
            .Where(t => (f.ProcessDefinitionKey is null || t.DefinitionKey == f.ProcessDefinitionKey)
                && (groups.Count == 0 || t.CandidateGroups.Any(groups.Contains))
                && (!candidateQuery || f.IncludeAssignedTasks == true || t.Assignee is null)
                && (f.Assigned != true || t.Assignee is not null)
                && (f.Unassigned != true || t.Assignee is null)
                && (f.Name is null || t.Name == f.Name)
                && (f.NameLike is null || t.Name.Contains(f.NameLike.Trim('%'), StringComparison.OrdinalIgnoreCase))
                && (f.Priority is null || t.Priority == f.Priority))
            .ToList();
        tasks = await VariableFilter.WhereAsync(processVariables, engine, tasks, t => t.ProcessInstanceId, cancellationToken).ConfigureAwait(false);

        return await ToDtosAsync(engine, tasks, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Task rows with their definition id (the engine's TaskInfo has only the key, so the instance is read once per instance).</summary>
    private static async Task<List<TaskDto>> ToDtosAsync(WorkflowEngine engine, IReadOnlyList<TaskInfo> tasks, CancellationToken cancellationToken)
    {
        var definitionIds = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var instanceId in tasks.Select(t => t.ProcessInstanceId).Distinct(StringComparer.Ordinal))
        {
            try
            {
                definitionIds[instanceId] = (await engine.GetInstanceAsync(instanceId, cancellationToken).ConfigureAwait(false)).DefinitionId;
            }
            catch (WorkflowException ex) when (ex.Code == "not-found")
            {
                definitionIds[instanceId] = null;
            }
        }

        return [.. tasks.Select(t => new TaskDto(
            t.Id, t.Name, t.Assignee, t.Owner, CamundaVariables.FormatDate(t.CreatedAt), null, CamundaVariables.FormatDate(t.DueDate), CamundaVariables.FormatDate(t.FollowUpDate),
            t.DelegationState, null, t.ProcessInstanceId, null, t.Priority, definitionIds[t.ProcessInstanceId], t.ProcessInstanceId, null, null, null, t.ElementId, false, t.FormKey, null))];
    }

    internal sealed record TaskFilter(
        string? ProcessInstanceId,
        string? ProcessDefinitionKey,
        string? Assignee,
        string? CandidateUser,
        string? CandidateGroup,
        string? CandidateGroups,
        bool? IncludeAssignedTasks,
        bool? Assigned,
        bool? Unassigned,
        string? TaskDefinitionKey,
        string? Name,
        string? NameLike,
        int? Priority,
        string? ProcessVariables);

    public sealed record UserIdRequest(string? UserId);

    public sealed record CompleteRequest(Dictionary<string, VariableValueDto>? Variables, bool? WithVariablesInReturn);

    public sealed record TaskDto(
        string Id,
        string Name,
        string? Assignee,
        string? Owner,
        string Created,
        string? LastUpdated,
        string? Due,
        string? FollowUp,
        string? DelegationState,
        string? Description,
        string ExecutionId,
        string? ParentTaskId,
        int Priority,
        string? ProcessDefinitionId,
        string ProcessInstanceId,
        string? CaseExecutionId,
        string? CaseDefinitionId,
        string? CaseInstanceId,
        string TaskDefinitionKey,
        bool Suspended,
        string? FormKey,
        string? TenantId);
}
