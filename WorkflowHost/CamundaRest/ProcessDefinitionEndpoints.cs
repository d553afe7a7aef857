using ComplaintWorkflows.Engine.Runtime;
using Microsoft.AspNetCore.Http.HttpResults;
using static ComplaintWorkflows.WorkflowHost.CamundaRest.CamundaRestEndpoints;

namespace ComplaintWorkflows.WorkflowHost.CamundaRest;

/// <summary><c>/process-definition</c>: deployed definitions, their XML, and starting instances.</summary>
internal static class ProcessDefinitionEndpoints
{
    public static void MapProcessDefinitionEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/process-definition", GetDefinitions)
            .WithName("CamundaGetProcessDefinitions")
            .WithSummary("Deployed process definitions (filters key, keysIn, name, version, latestVersion, deploymentId).");
        api.MapGet("/process-definition/count", GetDefinitionCount)
            .WithName("CamundaGetProcessDefinitionCount")
            .WithSummary("How many process definitions match the filters.");
        api.MapGet("/process-definition/key/{key}", GetByKey)
            .WithName("CamundaGetLatestProcessDefinition")
            .WithSummary("The latest version of the process with this key.");
        api.MapGet("/process-definition/key/{key}/xml", GetXmlByKey)
            .WithName("CamundaGetLatestProcessDefinitionXml")
            .WithSummary("The BPMN XML of the latest version of the process with this key.");
        api.MapPost("/process-definition/key/{key}/start", StartByKeyAsync)
            .WithName("CamundaStartProcessByKey")
            .WithSummary("Starts the latest version of the process with this key.")
            .Accepts<StartRequest>("application/json");
        api.MapGet("/process-definition/{id}", GetById)
            .WithName("CamundaGetProcessDefinition")
            .WithSummary("One process definition version.");
        api.MapGet("/process-definition/{id}/xml", GetXmlById)
            .WithName("CamundaGetProcessDefinitionXml")
            .WithSummary("The BPMN XML of one process definition version.");
        api.MapPost("/process-definition/{id}/start", StartByIdAsync)
            .WithName("CamundaStartProcessById")
            .WithSummary("Starts an instance of this process definition version.")
            .Accepts<StartRequest>("application/json");
    }

    internal static ProcessDefinitionDto ToDto(ProcessDefinition d, DeploymentRegistry registry)
    {
        var origin = registry.Origin(d.Id);
        return new ProcessDefinitionDto(d.Id, d.Key, null, null, d.Name, d.Version, origin?.Resource, origin?.DeploymentId, null, false, null, null, null, true);
    }

    internal static ProcessDefinition ByKey(WorkflowEngine engine, string key)
    {
        try
        {
            return engine.GetDefinition(key);
        }
        catch (WorkflowException ex) when (ex.Code == "not-found")
        {
            throw CamundaRestException.NotFound($"No matching process definition with key: {key} and no tenant-id", "RestException");
        }
    }

    internal static ProcessDefinition ById(WorkflowEngine engine, string id)
    {
        try
        {
            return engine.GetDefinitionById(id);
        }
        catch (WorkflowException ex) when (ex.Code == "not-found")
        {
            throw CamundaRestException.NotFound($"No matching definition with id {id}", "RestException");
        }
    }

    private static Ok<List<ProcessDefinitionDto>> GetDefinitions(
        WorkflowEngine engine, DeploymentRegistry registry, [AsParameters] DefinitionFilter filter, int? firstResult, int? maxResults)
        => TypedResults.Ok(Page(Filter(engine, registry, filter), firstResult, maxResults).Select(d => ToDto(d, registry)).ToList());

    private static Ok<CountDto> GetDefinitionCount(WorkflowEngine engine, DeploymentRegistry registry, [AsParameters] DefinitionFilter filter)
        => TypedResults.Ok(new CountDto(Filter(engine, registry, filter).Count()));

    private static IEnumerable<ProcessDefinition> Filter(WorkflowEngine engine, DeploymentRegistry registry, DefinitionFilter f)
    {
        var all = engine.GetDefinitions();
        var keys = SplitList(f.KeysIn);
        var latest = all.GroupBy(d => d.Key).ToDictionary(g => g.Key, g => g.Max(d => d.Version), StringComparer.Ordinal);
        return all
            .Where(d => (f.Key is null || d.Key == f.Key)
                && (keys.Count == 0 || keys.Contains(d.Key))
                && (f.Name is null || d.Name == f.Name)
                && (f.Version is null || d.Version == f.Version)
                && (f.LatestVersion != true || latest[d.Key] == d.Version)
                && (f.DeploymentId is null || registry.Origin(d.Id)?.DeploymentId == f.DeploymentId))
            .OrderBy(d => d.Key, StringComparer.Ordinal)
            .ThenBy(d => d.Version);
    }

    private static Ok<ProcessDefinitionDto> GetByKey(WorkflowEngine engine, DeploymentRegistry registry, string key)
        => TypedResults.Ok(ToDto(ByKey(engine, key), registry));

    private static Ok<ProcessDefinitionDto> GetById(WorkflowEngine engine, DeploymentRegistry registry, string id)
        => TypedResults.Ok(ToDto(ById(engine, id), registry));

    private static Ok<XmlDto> GetXmlByKey(WorkflowEngine engine, string key)
    {
        var d = ByKey(engine, key);
        return TypedResults.Ok(new XmlDto(d.Id, d.Xml));
    }

    private static Ok<XmlDto> GetXmlById(WorkflowEngine engine, string id)
    {
        var d = ById(engine, id);
        return TypedResults.Ok(new XmlDto(d.Id, d.Xml));
    }

    private static Task<Ok<ProcessInstanceEndpoints.StartedInstanceDto>> StartByKeyAsync(HttpRequest request, WorkflowEngine engine, string key, CancellationToken cancellationToken)
        => StartAsync(request, engine, ByKey(engine, key), cancellationToken);

    private static Task<Ok<ProcessInstanceEndpoints.StartedInstanceDto>> StartByIdAsync(HttpRequest request, WorkflowEngine engine, string id, CancellationToken cancellationToken)
        => StartAsync(request, engine, ById(engine, id), cancellationToken);

    private static async Task<Ok<ProcessInstanceEndpoints.StartedInstanceDto>> StartAsync(HttpRequest request, WorkflowEngine engine, ProcessDefinition definition, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync<StartRequest>(request, cancellationToken).ConfigureAwait(false) ?? new StartRequest(null, null, null);
        var variables = CamundaVariables.FromDtos(body.Variables);
        var instance = await engine.StartProcessAsync(definition, null, variables, body.BusinessKey, cancellationToken).ConfigureAwait(false);
        var returned = body.WithVariablesInReturn == true
            ? CamundaVariables.ToDtos(await ProcessInstanceEndpoints.VariablesOrAsync(engine, instance.Id, variables, cancellationToken).ConfigureAwait(false))
            : null;
        return TypedResults.Ok(ProcessInstanceEndpoints.ToStartedDto(request, instance, returned));
    }

    internal sealed record DefinitionFilter(string? Key, string? KeysIn, string? Name, int? Version, bool? LatestVersion, string? DeploymentId);

    public sealed record StartRequest(string? BusinessKey, Dictionary<string, VariableValueDto>? Variables, bool? WithVariablesInReturn);

    public sealed record XmlDto(string Id, string Bpmn20Xml);

    public sealed record ProcessDefinitionDto(
        string Id,
        string Key,
        string? Category,
        string? Description,
        string? Name,
        int Version,
        string? Resource,
        string? DeploymentId,
        string? Diagram,
        bool Suspended,
        string? TenantId,
        string? VersionTag,
        int? HistoryTimeToLive,
        bool StartableInTasklist);
}
