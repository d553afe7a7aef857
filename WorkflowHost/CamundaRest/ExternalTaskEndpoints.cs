using ComplaintWorkflows.Engine.Persistence;
using ComplaintWorkflows.Engine.Runtime;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using static ComplaintWorkflows.WorkflowHost.CamundaRest.CamundaRestEndpoints;

namespace ComplaintWorkflows.WorkflowHost.CamundaRest;

/// <summary>
/// <c>/external-task</c>: what Camunda's external-task workers call. <c>fetchAndLock</c> long-polls: with
/// <c>asyncResponseTimeout</c> it answers as soon as a task can be locked (woken by a task created on this host, else by
/// looking again every <see cref="ExternalTaskOptions.PollInterval"/>), or with <c>[]</c> when the time is up.
/// </summary>
internal static class ExternalTaskEndpoints
{
    public static void MapExternalTaskEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/external-task/fetchAndLock", FetchAndLockAsync)
            .WithName("CamundaFetchAndLockExternalTasks")
            .WithSummary("Locks up to maxTasks external tasks of the topics for workerId (each for its topic's lockDuration, ms), with the variables asked for; long-polls up to asyncResponseTimeout (ms).")
            .Accepts<FetchRequest>("application/json");
        api.MapGet("/external-task", GetTasksAsync)
            .WithName("CamundaGetExternalTasks")
            .WithSummary("External tasks (filters externalTaskId, topicName, workerId, locked, notLocked, withRetriesLeft, noRetriesLeft, processInstanceId, activityId).");
        api.MapGet("/external-task/count", GetCountAsync)
            .WithName("CamundaGetExternalTaskCount")
            .WithSummary("How many external tasks match the filters.");
        api.MapGet("/external-task/{id}", GetTaskAsync)
            .WithName("CamundaGetExternalTask")
            .WithSummary("One external task.");
        api.MapGet("/external-task/{id}/errorDetails", GetErrorDetailsAsync)
            .WithName("CamundaGetExternalTaskErrorDetails")
            .WithSummary("The error details of the task's last reported failure (text).");
        api.MapPost("/external-task/{id}/complete", CompleteAsync)
            .WithName("CamundaCompleteExternalTask")
            .WithSummary("Completes a task the worker holds, with variables (process) and localVariables (the task's scope).")
            .Accepts<CompleteRequest>("application/json");
        api.MapPost("/external-task/{id}/failure", FailureAsync)
            .WithName("CamundaFailExternalTask")
            .WithSummary("Reports a failure: errorMessage, errorDetails, retries left, retryTimeout (ms) before it can be fetched again; retries 0 raises an incident.")
            .Accepts<FailureRequest>("application/json");
        api.MapPost("/external-task/{id}/bpmnError", BpmnErrorAsync)
            .WithName("CamundaExternalTaskBpmnError")
            .WithSummary("Throws a BPMN error (errorCode, errorMessage, variables) from the task; a boundary error event catches it.")
            .Accepts<BpmnErrorRequest>("application/json");
        api.MapPost("/external-task/{id}/extendLock", ExtendLockAsync)
            .WithName("CamundaExtendExternalTaskLock")
            .WithSummary("Sets the lock the worker holds to expire newDuration (ms) from now.")
            .Accepts<ExtendLockRequest>("application/json");
        api.MapPost("/external-task/{id}/unlock", UnlockAsync)
            .WithName("CamundaUnlockExternalTask")
            .WithSummary("Releases the task's lock so that any worker can fetch it.");
    }

    private static async Task<Ok<List<LockedExternalTaskDto>>> FetchAndLockAsync(
        HttpRequest request, WorkflowEngine engine, ExternalTaskArrivals arrivals, IOptions<ExternalTaskOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync<FetchRequest>(request, cancellationToken).ConfigureAwait(false)
            ?? throw CamundaRestException.InvalidRequest("The request body is missing: give workerId, maxTasks and topics.");
        var settings = options.Value;
        if (string.IsNullOrEmpty(body.WorkerId))
        {
            throw CamundaRestException.InvalidRequest("workerId is required to fetch and lock external tasks.");
        }

        if (body.MaxTasks is not { } maxTasks || maxTasks < 0 || maxTasks > settings.MaxTasksPerFetch)
        {
            throw CamundaRestException.InvalidRequest($"maxTasks must be given, from 0 to {settings.MaxTasksPerFetch}.");
        }

        var timeout = TimeSpan.FromMilliseconds(body.AsyncResponseTimeout ?? 0);
        if (timeout < TimeSpan.Zero || timeout > settings.MaxAsyncResponseTimeout)
        {
            throw CamundaRestException.InvalidRequest($"The asynchronous response timeout cannot be set to a value greater than {(long)settings.MaxAsyncResponseTimeout.TotalMilliseconds} milliseconds");
        }

        var topics = Topics(body.Topics);
        if (maxTasks == 0 || topics.Count == 0)
        {
            return TypedResults.Ok(new List<LockedExternalTaskDto>());
        }

        var deadline = time.GetUtcNow() + timeout;
        while (true)
        {
            // Waiting begins before the look, so that a task created between the look and the wait is not missed.
            var arrival = arrivals.Next;
            var locked = await engine.FetchAndLockExternalTasksAsync(body.WorkerId, [.. topics.Select(t => t.Topic)], maxTasks, cancellationToken).ConfigureAwait(false);
            var left = deadline - time.GetUtcNow();
            if (locked.Count > 0 || left <= TimeSpan.Zero)
            {
                return TypedResults.Ok(await ToLockedDtosAsync(engine, locked, topics, cancellationToken).ConfigureAwait(false));
            }

            var pause = left < settings.PollInterval ? left : settings.PollInterval;
            await Task.WhenAny(arrival, Task.Delay(pause, time, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private static List<(ExternalTaskTopic Topic, IReadOnlyList<string>? Variables)> Topics(List<TopicRequest>? topics)
    {
        var result = new List<(ExternalTaskTopic, IReadOnlyList<string>?)>();
        foreach (var topic in topics ?? [])
        {
            if (string.IsNullOrEmpty(topic.TopicName))
            {
                throw CamundaRestException.InvalidRequest("Every topic needs a topicName.");
            }

            if (topic.LockDuration is not > 0)
            {
                throw CamundaRestException.InvalidRequest($"Topic '{topic.TopicName}' needs a lockDuration (milliseconds, more than 0).");
            }

            foreach (var (name, value) in new (string, object?)[]
            {
                ("businessKey", topic.BusinessKey), ("processDefinitionId", topic.ProcessDefinitionId), ("processDefinitionIdIn", topic.ProcessDefinitionIdIn),
                ("processDefinitionKey", topic.ProcessDefinitionKey), ("processDefinitionKeyIn", topic.ProcessDefinitionKeyIn),
                ("processDefinitionVersionTag", topic.ProcessDefinitionVersionTag), ("processVariables", topic.ProcessVariables), ("tenantIdIn", topic.TenantIdIn),
            })
            {
                if (value is not null)
                {
                    throw CamundaRestException.InvalidRequest($"Topic '{topic.TopicName}': fetching by {name} is not supported; fetch by topic name only.");
                }
            }

            result.Add((new ExternalTaskTopic(topic.TopicName, TimeSpan.FromMilliseconds(topic.LockDuration.Value)), topic.Variables));
        }

        return result;
    }

    private static async Task<List<LockedExternalTaskDto>> ToLockedDtosAsync(
        WorkflowEngine engine, IReadOnlyList<ExternalTaskInfo> locked, List<(ExternalTaskTopic Topic, IReadOnlyList<string>? Variables)> topics, CancellationToken cancellationToken)
    {
        var result = new List<LockedExternalTaskDto>(locked.Count);
        foreach (var task in locked)
        {
            var names = topics.First(t => t.Topic.Name == task.Topic).Variables;
            var all = await ProcessInstanceEndpoints.VariablesOrAsync(engine, task.InstanceId, new Dictionary<string, object?>(), cancellationToken).ConfigureAwait(false);
            var chosen = names is null ? all : all.Where(v => names.Contains(v.Key, StringComparer.Ordinal)).ToDictionary(StringComparer.Ordinal);
            result.Add(new LockedExternalTaskDto(
                task.ElementId, ActivityInstanceId(task), task.ErrorMessage, task.ErrorDetails, task.InstanceId, task.Id,
                CamundaVariables.FormatDate(task.LockExpiresAt), task.DefinitionId, task.DefinitionKey, null, task.InstanceId, null,
                task.Retries, false, task.WorkerId, task.Priority, task.Topic, task.BusinessKey, CamundaVariables.ToDtos(chosen),
                CamundaVariables.FormatDate(task.CreatedAt), new Dictionary<string, string>()));
        }

        return result;
    }

    private static string ActivityInstanceId(ExternalTaskInfo task) => $"{task.ElementId}:{task.InstanceId}:{task.NodeId}";

    private static ExternalTaskDto ToDto(ExternalTaskInfo task) => new(
        task.ElementId, ActivityInstanceId(task), task.ErrorMessage, task.InstanceId, task.Id, CamundaVariables.FormatDate(task.LockExpiresAt),
        task.DefinitionId, task.DefinitionKey, null, task.InstanceId, null, task.Retries, false, task.WorkerId, task.Topic, task.Priority, task.BusinessKey,
        CamundaVariables.FormatDate(task.CreatedAt));

    private static async Task<List<ExternalTaskDto>> FilterAsync(WorkflowEngine engine, ExternalTaskFilter f, CancellationToken cancellationToken)
    {
        if (f.Locked == true && f.NotLocked == true || f.WithRetriesLeft == true && f.NoRetriesLeft == true)
        {
            return [];
        }

        var query = new ExternalTaskQuery(f.ExternalTaskId, f.TopicName, f.WorkerId, f.ProcessInstanceId, f.ActivityId)
        {
            Locked = f.Locked == true ? true : f.NotLocked == true ? false : null,
            WithRetriesLeft = f.WithRetriesLeft == true ? true : f.NoRetriesLeft == true ? false : null,
        };
        return [.. (await engine.GetExternalTasksAsync(query, cancellationToken).ConfigureAwait(false)).Select(ToDto)];
    }

    private static async Task<Ok<List<ExternalTaskDto>>> GetTasksAsync(WorkflowEngine engine, [AsParameters] ExternalTaskFilter filter, int? firstResult, int? maxResults, CancellationToken cancellationToken)
        => TypedResults.Ok(Page(await FilterAsync(engine, filter, cancellationToken).ConfigureAwait(false), firstResult, maxResults));

    private static async Task<Ok<CountDto>> GetCountAsync(WorkflowEngine engine, [AsParameters] ExternalTaskFilter filter, CancellationToken cancellationToken)
        => TypedResults.Ok(new CountDto((await FilterAsync(engine, filter, cancellationToken).ConfigureAwait(false)).Count));

    private static async Task<Ok<ExternalTaskDto>> GetTaskAsync(WorkflowEngine engine, string id, CancellationToken cancellationToken)
        => TypedResults.Ok(ToDto(await FindAsync(engine, id, cancellationToken).ConfigureAwait(false)));

    private static async Task<ContentHttpResult> GetErrorDetailsAsync(WorkflowEngine engine, string id, CancellationToken cancellationToken)
        => TypedResults.Text((await FindAsync(engine, id, cancellationToken).ConfigureAwait(false)).ErrorDetails ?? "", "text/plain");

    private static async Task<ExternalTaskInfo> FindAsync(WorkflowEngine engine, string id, CancellationToken cancellationToken)
    {
        try
        {
            return await engine.GetExternalTaskAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (WorkflowException ex) when (ex.Code == "not-found")
        {
            throw CamundaRestException.NotFound($"External task with id {id} does not exist", "RestException");
        }
    }

    private static async Task<NoContent> CompleteAsync(HttpRequest request, WorkflowEngine engine, string id, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync<CompleteRequest>(request, cancellationToken).ConfigureAwait(false);
        var worker = WorkerOf(body?.WorkerId);
        await engine.CompleteExternalTaskAsync(id, worker, CamundaVariables.FromDtos(body?.Variables), CamundaVariables.FromDtos(body?.LocalVariables), cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> FailureAsync(HttpRequest request, WorkflowEngine engine, string id, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync<FailureRequest>(request, cancellationToken).ConfigureAwait(false);
        var worker = WorkerOf(body?.WorkerId);
        if (body!.Retries is not { } retries || retries < 0)
        {
            throw CamundaRestException.InvalidRequest("retries is required and must not be negative (0 raises an incident).");
        }

        if (body.RetryTimeout < 0)
        {
            throw CamundaRestException.InvalidRequest("retryTimeout must not be negative.");
        }

        if (body.Variables is { Count: > 0 } || body.LocalVariables is { Count: > 0 })
        {
            throw CamundaRestException.InvalidRequest("Variables with a failure report are not supported; complete the task to set variables.");
        }

        await engine.FailExternalTaskAsync(id, worker, retries, body.ErrorMessage, body.ErrorDetails, TimeSpan.FromMilliseconds(body.RetryTimeout ?? 0), cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> BpmnErrorAsync(HttpRequest request, WorkflowEngine engine, string id, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync<BpmnErrorRequest>(request, cancellationToken).ConfigureAwait(false);
        var worker = WorkerOf(body?.WorkerId);
        if (string.IsNullOrEmpty(body!.ErrorCode))
        {
            throw CamundaRestException.InvalidRequest("errorCode is required to report a BPMN error.");
        }

        await engine.ExternalTaskBpmnErrorAsync(id, worker, body.ErrorCode, body.ErrorMessage, CamundaVariables.FromDtos(body.Variables), cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> ExtendLockAsync(HttpRequest request, WorkflowEngine engine, string id, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync<ExtendLockRequest>(request, cancellationToken).ConfigureAwait(false);
        var worker = WorkerOf(body?.WorkerId);
        if (body!.NewDuration is not > 0)
        {
            throw CamundaRestException.InvalidRequest("newDuration (milliseconds, more than 0) is required to extend a lock.");
        }

        await engine.ExtendExternalTaskLockAsync(id, worker, TimeSpan.FromMilliseconds(body.NewDuration.Value), cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> UnlockAsync(WorkflowEngine engine, string id, CancellationToken cancellationToken)
    {
        await engine.UnlockExternalTaskAsync(id, cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static string WorkerOf(string? workerId)
        => string.IsNullOrEmpty(workerId) ? throw CamundaRestException.InvalidRequest("workerId is required.") : workerId;

    internal sealed record ExternalTaskFilter(
        string? ExternalTaskId,
        string? TopicName,
        string? WorkerId,
        bool? Locked,
        bool? NotLocked,
        bool? WithRetriesLeft,
        bool? NoRetriesLeft,
        string? ProcessInstanceId,
        string? ActivityId);

    public sealed record FetchRequest(string? WorkerId, int? MaxTasks, bool? UsePriority, long? AsyncResponseTimeout, List<TopicRequest>? Topics);

    public sealed record TopicRequest(
        string? TopicName,
        long? LockDuration,
        List<string>? Variables,
        bool? LocalVariables,
        string? BusinessKey,
        string? ProcessDefinitionId,
        List<string>? ProcessDefinitionIdIn,
        string? ProcessDefinitionKey,
        List<string>? ProcessDefinitionKeyIn,
        string? ProcessDefinitionVersionTag,
        Dictionary<string, System.Text.Json.JsonElement>? ProcessVariables,
        List<string>? TenantIdIn,
        bool? WithoutTenantId,
        bool? DeserializeValues,
        bool? IncludeExtensionProperties);

    public sealed record CompleteRequest(string? WorkerId, Dictionary<string, VariableValueDto>? Variables, Dictionary<string, VariableValueDto>? LocalVariables);

    public sealed record FailureRequest(
        string? WorkerId, string? ErrorMessage, string? ErrorDetails, int? Retries, long? RetryTimeout,
        Dictionary<string, VariableValueDto>? Variables, Dictionary<string, VariableValueDto>? LocalVariables);

    public sealed record BpmnErrorRequest(string? WorkerId, string? ErrorCode, string? ErrorMessage, Dictionary<string, VariableValueDto>? Variables);

    public sealed record ExtendLockRequest(string? WorkerId, long? NewDuration);

    /// <summary>Camunda's locked external task; <c>createTime</c> and <c>extensionProperties</c> are in Camunda's newer versions.</summary>
    public sealed record LockedExternalTaskDto(
        string ActivityId,
        string ActivityInstanceId,
        string? ErrorMessage,
        string? ErrorDetails,
        string ExecutionId,
        string Id,
        string? LockExpirationTime,
        string ProcessDefinitionId,
        string ProcessDefinitionKey,
        string? ProcessDefinitionVersionTag,
        string ProcessInstanceId,
        string? TenantId,
        int? Retries,
        bool Suspended,
        string? WorkerId,
        long Priority,
        string TopicName,
        string? BusinessKey,
        Dictionary<string, VariableOutDto> Variables,
        string CreateTime,
        Dictionary<string, string> ExtensionProperties);

    public sealed record ExternalTaskDto(
        string ActivityId,
        string ActivityInstanceId,
        string? ErrorMessage,
        string ExecutionId,
        string Id,
        string? LockExpirationTime,
        string ProcessDefinitionId,
        string ProcessDefinitionKey,
        string? ProcessDefinitionVersionTag,
        string ProcessInstanceId,
        string? TenantId,
        int? Retries,
        bool Suspended,
        string? WorkerId,
        string TopicName,
        long Priority,
        string? BusinessKey,
        string CreateTime);
}
