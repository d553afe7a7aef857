using ComplaintWorkflows.Engine.Runtime;
using ComplaintWorkflows.WorkflowHost.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using static ComplaintWorkflows.WorkflowHost.CamundaRest.CamundaRestEndpoints;

namespace ComplaintWorkflows.WorkflowHost.CamundaRest;

/// <summary><c>/process-instance</c>: running instances (ended ones are history in Camunda, so 404 here).</summary>
internal static class ProcessInstanceEndpoints
{
    public static void MapProcessInstanceEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/process-instance", GetInstancesAsync)
            .WithName("CamundaGetProcessInstances")
            .WithSummary("Running process instances (filters processInstanceIds, businessKey, processDefinitionKey, active, suspended, withIncident, variables=name_op_value with op eq|neq|gt|gteq|lt|lteq|like).");
        api.MapGet("/process-instance/count", GetInstanceCountAsync)
            .WithName("CamundaGetProcessInstanceCount")
            .WithSummary("How many running process instances match the filters.");
        api.MapGet("/process-instance/{id}", GetInstanceAsync)
            .WithName("CamundaGetProcessInstance")
            .WithSummary("One running process instance.");
        api.MapDelete("/process-instance/{id}", DeleteInstanceAsync)
            .RequireAuthorization(Policies.Administrator)
            .WithName("CamundaDeleteProcessInstance")
            .WithSummary("Terminates a running process instance.");
        api.MapGet("/process-instance/{id}/variables", GetVariablesAsync)
            .WithName("CamundaGetProcessInstanceVariables")
            .WithSummary("The typed variables of a running process instance.");
    }

    internal static ProcessInstanceDto ToDto(HttpRequest request, ProcessInstanceInfo i, bool withLinks = true)
        => new(withLinks ? SelfLink(request, "process-instance", i.Id) : [], i.Id, i.DefinitionId, i.DefinitionKey, i.BusinessKey, null, i.Status != InstanceStatus.Active, false, null);

    internal static StartedInstanceDto ToStartedDto(HttpRequest request, ProcessInstanceInfo i, Dictionary<string, VariableOutDto>? variables)
        => new(SelfLink(request, "process-instance", i.Id), i.Id, i.DefinitionId, i.DefinitionKey, i.BusinessKey, null, i.Status != InstanceStatus.Active, false, null, variables);

    /// <summary>A running instance, or Camunda's 404.</summary>
    internal static async Task<ProcessInstanceInfo> RunningAsync(WorkflowEngine engine, string id, CancellationToken cancellationToken)
    {
        try
        {
            var instance = await engine.GetInstanceAsync(id, cancellationToken).ConfigureAwait(false);
            if (instance.Status == InstanceStatus.Active)
            {
                return instance;
            }
        }
        catch (WorkflowException ex) when (ex.Code == "not-found")
        {
        }

        throw CamundaRestException.NotFound($"Process instance with id {id} does not exist");
    }

    /// <summary>The instance's variables, or <paramref name="fallback"/> when the instance cannot be read any more.</summary>
    internal static async Task<IReadOnlyDictionary<string, object?>> VariablesOrAsync(WorkflowEngine engine, string instanceId, IReadOnlyDictionary<string, object?> fallback, CancellationToken cancellationToken)
    {
        try
        {
            return await engine.GetVariablesAsync(instanceId, cancellationToken).ConfigureAwait(false);
        }
        catch (WorkflowException ex) when (ex.Code == "not-found")
        {
            return fallback;
        }
    }

    private static async Task<Ok<List<ProcessInstanceDto>>> GetInstancesAsync(
        HttpRequest request, WorkflowEngine engine, [AsParameters] InstanceFilter filter, int? firstResult, int? maxResults, CancellationToken cancellationToken)
    {
        var matches = await FilterAsync(engine, filter, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(Page(matches, firstResult, maxResults).Select(i => ToDto(request, i, withLinks: false)).ToList());
    }

    private static async Task<Ok<CountDto>> GetInstanceCountAsync(WorkflowEngine engine, [AsParameters] InstanceFilter filter, CancellationToken cancellationToken)
        => TypedResults.Ok(new CountDto((await FilterAsync(engine, filter, cancellationToken).ConfigureAwait(false)).Count));

    private static async Task<List<ProcessInstanceInfo>> FilterAsync(WorkflowEngine engine, InstanceFilter f, CancellationToken cancellationToken)
    {
        if (f.Suspended == true || f.Active == false)
        {
            return []; // the engine has no suspension: every running instance is active
        }

        var variables = VariableFilter.Parse(f.Variables, "variables");
        var ids = SplitList(f.ProcessInstanceIds);
        var instances = await engine.GetInstancesAsync(f.ProcessDefinitionKey, activeOnly: true, cancellationToken).ConfigureAwait(false);
        var matches = instances
            .Where(i => i.Status == InstanceStatus.Active
                && (ids.Count == 0 || ids.Contains(i.Id))
                && (f.BusinessKey is null || i.BusinessKey == f.BusinessKey))
            .OrderBy(i => i.Id, StringComparer.Ordinal)
            .ToList();
        matches = await VariableFilter.WhereAsync(variables, engine, matches, i => i.Id, cancellationToken).ConfigureAwait(false);

        if (f.WithIncident != true)
        {
            return matches;
        }

        var withIncident = new List<ProcessInstanceInfo>();
        foreach (var listed in matches)
        {
            if ((await JobEndpoints.WithIncidentsAsync(engine, listed, cancellationToken).ConfigureAwait(false)) is { Incidents.Count: > 0 } instance)
            {
                withIncident.Add(instance);
            }
        }

        return withIncident;
    }

    private static async Task<Ok<ProcessInstanceDto>> GetInstanceAsync(HttpRequest request, WorkflowEngine engine, string id, CancellationToken cancellationToken)
        => TypedResults.Ok(ToDto(request, await RunningAsync(engine, id, cancellationToken).ConfigureAwait(false)));

    private static async Task<NoContent> DeleteInstanceAsync(WorkflowEngine engine, string id, bool? failIfNotExists, CancellationToken cancellationToken)
    {
        try
        {
            await RunningAsync(engine, id, cancellationToken).ConfigureAwait(false);
            await engine.TerminateInstanceAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (failIfNotExists == false && ex is CamundaRestException { StatusCode: StatusCodes.Status404NotFound })
        {
        }
        catch (WorkflowException ex) when (ex.Code == "conflict")
        {
            // Ended between the check and the termination.
            if (failIfNotExists != false)
            {
                throw CamundaRestException.NotFound($"Process instance with id {id} does not exist");
            }
        }

        return TypedResults.NoContent();
    }

    private static async Task<Ok<Dictionary<string, VariableOutDto>>> GetVariablesAsync(WorkflowEngine engine, string id, CancellationToken cancellationToken)
    {
        await RunningAsync(engine, id, cancellationToken).ConfigureAwait(false);
        try
        {
            return TypedResults.Ok(CamundaVariables.ToDtos(await engine.GetVariablesAsync(id, cancellationToken).ConfigureAwait(false)));
        }
        catch (WorkflowException ex) when (ex.Code == "not-found")
        {
            throw CamundaRestException.NotFound($"Process instance with id {id} does not exist");
        }
    }

    internal sealed record InstanceFilter(string? ProcessInstanceIds, string? BusinessKey, string? ProcessDefinitionKey, bool? Active, bool? Suspended, bool? WithIncident, string? Variables);

    public sealed record ProcessInstanceDto(
        IReadOnlyList<LinkDto> Links, string Id, string DefinitionId, string DefinitionKey, string? BusinessKey, string? CaseInstanceId, bool Ended, bool Suspended, string? TenantId);

    public sealed record StartedInstanceDto(
        IReadOnlyList<LinkDto> Links, string Id, string DefinitionId, string DefinitionKey, string? BusinessKey, string? CaseInstanceId, bool Ended, bool Suspended, string? TenantId,
        Dictionary<string, VariableOutDto>? Variables);
}
