using ComplaintWorkflows.Engine.Runtime;
using ComplaintWorkflows.WorkflowHost.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using static ComplaintWorkflows.WorkflowHost.CamundaRest.CamundaRestEndpoints;

namespace ComplaintWorkflows.WorkflowHost.CamundaRest;

/// <summary><c>/job</c> (asynchronous continuations and timers) and <c>/incident</c>.</summary>
internal static class JobEndpoints
{
    public static void MapJobEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/job", GetJobsAsync)
            .WithName("CamundaGetJobs")
            .WithSummary("Pending asynchronous continuations and timers (filters processInstanceId, activityId, timers, messages).");
        api.MapPut("/job/{id}/retries", SetRetriesAsync)
            .RequireAuthorization(Policies.Administrator)
            .WithName("CamundaSetJobRetries")
            .WithSummary("Sets a job's retries (and makes it due now).");
        api.MapPost("/job/{id}/execute", ExecuteAsync)
            .WithName("CamundaExecuteJob")
            .WithSummary("Runs a pending continuation, or fires a timer now.");
        api.MapGet("/incident", GetIncidentsAsync)
            .WithName("CamundaGetIncidents")
            .WithSummary("Incidents of running process instances (filters processInstanceId, activityId).");
    }

    private static async Task<Ok<List<JobDto>>> GetJobsAsync(
        WorkflowEngine engine, string? processInstanceId, string? activityId, bool? timers, bool? messages, int? firstResult, int? maxResults, CancellationToken cancellationToken)
    {
        var jobs = new List<JobDto>();
        if (timers != true)
        {
            foreach (var job in await engine.GetJobsAsync(processInstanceId, cancellationToken).ConfigureAwait(false))
            {
                jobs.Add(new JobDto(job.Id, null, CamundaVariables.FormatDate(job.DueAt), job.ProcessInstanceId, job.ProcessInstanceId, null, null, job.Retries, job.ExceptionMessage, job.ExceptionMessage is null ? null : job.ElementId, false, 0, null, null, "message", job.ElementId));
            }
        }

        if (messages != true)
        {
            foreach (var timer in await engine.GetTimersAsync(processInstanceId, cancellationToken).ConfigureAwait(false))
            {
                jobs.Add(new JobDto(timer.Id, null, CamundaVariables.FormatDate(timer.DueAt), timer.ProcessInstanceId, timer.ProcessInstanceId, timer.DefinitionId, KeyOf(timer.DefinitionId), 3, null, null, false, 0, null, null, "timer", timer.ElementId));
            }
        }

        var definitions = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < jobs.Count; i++)
        {
            if (jobs[i] is { ProcessDefinitionId: null, ProcessInstanceId: { } instanceId } job)
            {
                if (!definitions.TryGetValue(instanceId, out var definitionId))
                {
                    definitionId = definitions[instanceId] = await DefinitionOfAsync(engine, instanceId, cancellationToken).ConfigureAwait(false);
                }

                jobs[i] = job with { ProcessDefinitionId = definitionId, ProcessDefinitionKey = definitionId is null ? null : KeyOf(definitionId) };
            }
        }

        return TypedResults.Ok(Page(jobs.Where(j => activityId is null || j.ActivityId == activityId), firstResult, maxResults));
    }

    private static async Task<NoContent> SetRetriesAsync(WorkflowEngine engine, string id, RetriesDto body, CancellationToken cancellationToken)
    {
        if (body is null || body.Retries < 0)
        {
            throw CamundaRestException.InvalidRequest("The number of retries cannot be negative.");
        }

        try
        {
            await engine.SetJobRetriesAsync(id, body.Retries, cancellationToken).ConfigureAwait(false);
        }
        catch (WorkflowException ex) when (ex.Code == "not-found")
        {
            throw CamundaRestException.NotFound($"No job found with id '{id}'.");
        }

        return TypedResults.NoContent();
    }

    public sealed record RetriesDto(int Retries);

    private static async Task<NoContent> ExecuteAsync(WorkflowEngine engine, string id, CancellationToken cancellationToken)
    {
        try
        {
            if ((await engine.GetJobsAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Any(j => j.Id == id))
            {
                await engine.ExecuteJobAsync(id, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await engine.FireTimerAsync(id, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (WorkflowException ex) when (ex.Code == "not-found")
        {
            throw CamundaRestException.NotFound($"Job with id {id} does not exist");
        }

        return TypedResults.NoContent();
    }

    private static async Task<Ok<List<IncidentDto>>> GetIncidentsAsync(WorkflowEngine engine, string? processInstanceId, string? activityId, CancellationToken cancellationToken)
    {
        var incidents = new List<IncidentDto>();
        foreach (var listed in await engine.GetInstancesAsync(activeOnly: true, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (processInstanceId is not null && listed.Id != processInstanceId)
            {
                continue;
            }

            // The store's instance query leaves Incidents empty, so each instance is read whole (one read per running instance).
            var instance = await WithIncidentsAsync(engine, listed, cancellationToken).ConfigureAwait(false);

            for (var i = 0; i < instance.Incidents.Count; i++)
            {
                var incident = instance.Incidents[i];
                if (activityId is null || incident.ElementId == activityId)
                {
                    var id = $"{instance.Id}:{incident.NodeId}:{i}";
                    incidents.Add(new IncidentDto(
                        id, instance.DefinitionId, instance.Id, instance.Id, CamundaVariables.FormatDate(incident.CreatedAt), incident.Type == "failedExternalTask" ? "failedExternalTask" : "failedJob",
                        incident.ElementId, incident.ElementId, id, id, null, null, $"{incident.Type}: {incident.Message}", null, null));
                }
            }
        }

        return TypedResults.Ok(incidents);
    }

    internal static async Task<ProcessInstanceInfo> WithIncidentsAsync(WorkflowEngine engine, ProcessInstanceInfo listed, CancellationToken cancellationToken)
    {
        try
        {
            return await engine.GetInstanceAsync(listed.Id, cancellationToken).ConfigureAwait(false);
        }
        catch (WorkflowException ex) when (ex.Code == "not-found")
        {
            return listed;
        }
    }

    private static async Task<string?> DefinitionOfAsync(WorkflowEngine engine, string instanceId, CancellationToken cancellationToken)
    {
        try
        {
            return (await engine.GetInstanceAsync(instanceId, cancellationToken).ConfigureAwait(false)).DefinitionId;
        }
        catch (WorkflowException ex) when (ex.Code == "not-found")
        {
            return null;
        }
    }

    private static string KeyOf(string definitionId) => definitionId[..definitionId.IndexOf(':', StringComparison.Ordinal)];

    /// <summary>Camunda's job; <c>jobType</c> and <c>activityId</c> are extra (the element the job continues or the timer waits at).</summary>
    public sealed record JobDto(
        string Id,
        string? JobDefinitionId,
        string? DueDate,
        string? ProcessInstanceId,
        string? ExecutionId,
        string? ProcessDefinitionId,
        string? ProcessDefinitionKey,
        int Retries,
        string? ExceptionMessage,
        string? FailedActivityId,
        bool Suspended,
        long Priority,
        string? TenantId,
        string? CreateTime,
        string JobType,
        string ActivityId);

    public sealed record IncidentDto(
        string Id,
        string ProcessDefinitionId,
        string ProcessInstanceId,
        string ExecutionId,
        string IncidentTimestamp,
        string IncidentType,
        string ActivityId,
        string FailedActivityId,
        string CauseIncidentId,
        string RootCauseIncidentId,
        string? Configuration,
        string? TenantId,
        string IncidentMessage,
        string? JobDefinitionId,
        string? Annotation);
}
