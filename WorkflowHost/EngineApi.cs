using System.Text.Json;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Parsing;
using ComplaintWorkflows.Engine.Runtime;
using ComplaintWorkflows.WorkflowHost.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ComplaintWorkflows.WorkflowHost;

/// <summary>
/// The engine's own endpoints under <c>/api</c> (the Camunda-compatible API comes under <c>/engine-rest</c>).
/// Errors are Problem Details with a stable <c>code</c>; a conflict is 409. Every call needs a signed-in user
/// (cookie, HTTP Basic or a personal access token); deploying, migrating, resolving incidents and retries need
/// the administrator role.
/// </summary>
public static class EngineApi
{
    public static IEndpointRouteBuilder MapEngineApi(this IEndpointRouteBuilder endpoints)
    {
        // The raw engine: starting instances, reading their variables and journal (personal data), completing tasks
        // without the inbox's form and unit checks, incidents and jobs are the administrator's; staff work through
        // the inbox and the complaint API, consumers through the portal.
        var api = endpoints.MapGroup("/api").WithTags("Engine");
        api.MapGet("/activities", GetActivities)
            .WithName("GetActivities")
            .WithSummary("The registered custom activities with their typed inputs and outputs (the designer's element templates come from these).");
        api.MapGet("/process-definitions", GetDefinitions)
            .WithName("GetProcessDefinitions")
            .WithSummary("Deployed process definitions, every version.");
        api.MapPost("/process-definitions", DeployAsync)
            .RequireAuthorization(Policies.Administrator)
            .WithName("DeployBpmn")
            .WithSummary("Deploys a BPMN file (the request body): changed processes get a new version; errors refuse the whole file.")
            .Accepts<string>("application/xml", "text/xml");
        api.MapPost("/process-definitions/{key}/start", StartAsync)
            .RequireAuthorization(Policies.Administrator)
            .WithName("StartProcess")
            .WithSummary("Starts the latest version of a process with variables (plain JSON values) and an optional business key.");
        api.MapGet("/process-instances/{id}", GetInstanceAsync)
            .RequireAuthorization(Policies.Administrator)
            .WithName("GetProcessInstance")
            .WithSummary("One process instance: status, version, incidents.");
        api.MapGet("/process-instances/{id}/variables", GetVariablesAsync)
            .RequireAuthorization(Policies.Administrator)
            .WithName("GetProcessInstanceVariables")
            .WithSummary("The variables of a process instance.");
        api.MapGet("/tasks", GetTasksAsync)
            .RequireAuthorization(Policies.Administrator)
            .WithName("GetTasks")
            .WithSummary("Active user tasks, filtered by instance, element, assignee or candidate group.");
        api.MapPost("/tasks/{id}/complete", CompleteTaskAsync)
            .RequireAuthorization(Policies.Administrator)
            .WithName("CompleteTask")
            .WithSummary("Completes a user task with variables (plain JSON values).");
        api.MapGet("/process-definitions/{key}/versions/{version:int}/xml", GetXml)
            .WithName("GetProcessDefinitionXml")
            .WithSummary("The BPMN XML of one version of a process.");
        api.MapGet("/process-instances/{id}/journal", GetJournalAsync)
            .RequireAuthorization(Policies.Administrator)
            .WithName("GetJournal")
            .WithSummary("The instance's history in order: elements entered, completed, cancelled; variables; who acted.");
        api.MapGet("/incidents", GetIncidentsAsync)
            .RequireAuthorization(Policies.Administrator)
            .WithName("GetIncidents")
            .WithSummary("Open incidents of active instances.");
        api.MapPost("/process-instances/{id}/incidents/{nodeId:int}/retry", RetryIncidentAsync)
            .RequireAuthorization(Policies.Administrator)
            .WithName("RetryIncident")
            .WithSummary("Runs the failed element again.");
        api.MapPost("/process-instances/{id}/incidents/{nodeId:int}/resolve", ResolveIncidentAsync)
            .RequireAuthorization(Policies.Administrator)
            .WithName("ResolveIncident")
            .WithSummary("Closes the incident as handled outside the process; the token moves on.");
        api.MapGet("/jobs", GetJobsAsync)
            .RequireAuthorization(Policies.Administrator)
            .WithName("GetJobs")
            .WithSummary("Pending asynchronous continuations with due time, retries left and last error.");
        api.MapPut("/jobs/{id}/retries", SetRetriesAsync)
            .RequireAuthorization(Policies.Administrator)
            .WithName("SetJobRetries")
            .WithSummary("Gives a job more attempts, due now.");
        api.MapPost("/migrations", MigrateAsync)
            .RequireAuthorization(Policies.Administrator)
            .WithName("MigrateInstances")
            .WithSummary("Moves the active instances of one version to another; with dryRun (the default) only plans it.");
        api.MapPost("/validate", ValidateAsync)
            .WithName("ValidateBpmn")
            .WithSummary("Validates a BPMN file (the request body) as executable; nothing is deployed.")
            .Accepts<string>("application/xml", "text/xml");
        return endpoints;
    }

    private static Ok<IEnumerable<ActivityDescriptor>> GetActivities(ActivityRegistry registry)
        => TypedResults.Ok(registry.Descriptors);

    private static Ok<IEnumerable<DefinitionSummary>> GetDefinitions(WorkflowEngine engine)
        => TypedResults.Ok(engine.GetDefinitions().Select(Summary));

    private static async Task<Results<Ok<IEnumerable<DefinitionSummary>>, ProblemHttpResult>> DeployAsync(HttpRequest request, WorkflowEngine engine, CancellationToken cancellationToken)
    {
        try
        {
            var result = await engine.DeployAsync(await ReadBodyAsync(request, cancellationToken).ConfigureAwait(false), "upload", cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(result.Definitions.Select(Summary));
        }
        catch (DeploymentException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest, title: "The BPMN file cannot be deployed", extensions: new Dictionary<string, object?> { ["code"] = "invalid-bpmn", ["findings"] = ex.Findings });
        }
    }

    private static async Task<Results<Ok<ProcessInstanceInfo>, ProblemHttpResult>> StartAsync(string key, StartRequest? body, WorkflowEngine engine, CancellationToken cancellationToken)
        => await Guard(async () => TypedResults.Ok(await engine.StartProcessAsync(key, JsonVariables.ToValues(body?.Variables), body?.BusinessKey, cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);

    private static async Task<Results<Ok<ProcessInstanceInfo>, ProblemHttpResult>> GetInstanceAsync(string id, WorkflowEngine engine, CancellationToken cancellationToken)
        => await Guard(async () => TypedResults.Ok(await engine.GetInstanceAsync(id, cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);

    private static async Task<Results<Ok<IReadOnlyDictionary<string, object?>>, ProblemHttpResult>> GetVariablesAsync(string id, WorkflowEngine engine, CancellationToken cancellationToken)
        => await Guard(async () => TypedResults.Ok(await engine.GetVariablesAsync(id, cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);

    private static async Task<Ok<IReadOnlyList<TaskInfo>>> GetTasksAsync(string? processInstanceId, string? elementId, string? assignee, string? candidateGroup, WorkflowEngine engine, CancellationToken cancellationToken)
        => TypedResults.Ok(await engine.GetTasksAsync(new TaskQuery(processInstanceId, assignee, null, candidateGroup, elementId), cancellationToken).ConfigureAwait(false));

    private static async Task<Results<NoContent, ProblemHttpResult>> CompleteTaskAsync(string id, CompleteRequest? body, WorkflowEngine engine, CancellationToken cancellationToken)
        => await Guard<NoContent>(async () =>
        {
            await engine.CompleteTaskAsync(id, JsonVariables.ToValues(body?.Variables), cancellationToken: cancellationToken).ConfigureAwait(false);
            return TypedResults.NoContent();
        }).ConfigureAwait(false);

    private static Results<Ok<string>, ProblemHttpResult> GetXml(string key, int version, WorkflowEngine engine)
    {
        try
        {
            return TypedResults.Ok(engine.GetDefinition(key, version).Xml);
        }
        catch (WorkflowException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status404NotFound, extensions: new Dictionary<string, object?> { ["code"] = ex.Code });
        }
    }

    private static async Task<Ok<IReadOnlyList<JournalEntry>>> GetJournalAsync(string id, WorkflowEngine engine, CancellationToken cancellationToken)
        => TypedResults.Ok(await engine.GetJournalAsync(id, cancellationToken).ConfigureAwait(false));

    private static async Task<Results<Ok<IReadOnlyList<IncidentInfo>>, ProblemHttpResult>> GetIncidentsAsync(string? processInstanceId, WorkflowEngine engine, CancellationToken cancellationToken)
        => await Guard(async () => TypedResults.Ok(await engine.GetIncidentsAsync(processInstanceId, cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);

    private static async Task<Results<NoContent, ProblemHttpResult>> RetryIncidentAsync(string id, int nodeId, WorkflowEngine engine, CancellationToken cancellationToken)
        => await Guard<NoContent>(async () =>
        {
            await engine.RetryIncidentAsync(id, nodeId, cancellationToken).ConfigureAwait(false);
            return TypedResults.NoContent();
        }).ConfigureAwait(false);

    private static async Task<Results<NoContent, ProblemHttpResult>> ResolveIncidentAsync(string id, int nodeId, WorkflowEngine engine, CancellationToken cancellationToken)
        => await Guard<NoContent>(async () =>
        {
            await engine.ResolveIncidentAsync(id, nodeId, cancellationToken).ConfigureAwait(false);
            return TypedResults.NoContent();
        }).ConfigureAwait(false);

    private static async Task<Ok<IReadOnlyList<JobInfo>>> GetJobsAsync(string? processInstanceId, WorkflowEngine engine, CancellationToken cancellationToken)
        => TypedResults.Ok(await engine.GetJobsAsync(processInstanceId, cancellationToken).ConfigureAwait(false));

    private static async Task<Results<NoContent, ProblemHttpResult>> SetRetriesAsync(string id, RetriesRequest body, WorkflowEngine engine, CancellationToken cancellationToken)
        => await Guard<NoContent>(async () =>
        {
            await engine.SetJobRetriesAsync(id, body.Retries, cancellationToken).ConfigureAwait(false);
            return TypedResults.NoContent();
        }).ConfigureAwait(false);

    private static async Task<Results<Ok<MigrationReport>, ProblemHttpResult>> MigrateAsync(MigrationRequest body, WorkflowEngine engine, CancellationToken cancellationToken)
        => await Guard(async () => TypedResults.Ok(await engine.MigrateInstancesAsync(body.SourceDefinitionId, body.TargetDefinitionId, body.ElementMapping, body.DryRun ?? true, cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);

    private static async Task<Ok<ValidationReport>> ValidateAsync(HttpRequest request, WorkflowEngine engine, CancellationToken cancellationToken)
    {
        var findings = engine.Validate(await ReadBodyAsync(request, cancellationToken).ConfigureAwait(false), "upload");
        return TypedResults.Ok(new ValidationReport(!findings.Any(f => f.IsError), findings));
    }

    /// <summary>The HTTP status an engine refusal answers with: 404 for something missing, 409 for a conflict, else 400.</summary>
    internal static int StatusOf(WorkflowException exception) => exception?.Code switch
    {
        "not-found" => StatusCodes.Status404NotFound,
        "conflict" => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status400BadRequest,
    };

    private static async Task<Results<T, ProblemHttpResult>> Guard<T>(Func<Task<T>> action)
        where T : IResult
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (WorkflowException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusOf(ex), extensions: new Dictionary<string, object?> { ["code"] = ex.Code });
        }
        catch (ArgumentException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest, extensions: new Dictionary<string, object?> { ["code"] = "invalid" });
        }
    }

    private static async Task<string> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
    }

    private static DefinitionSummary Summary(ProcessDefinition d) => new(d.Id, d.Key, d.Name, d.Version, d.DeployedAt);

    public sealed record DefinitionSummary(string Id, string Key, string? Name, int Version, DateTimeOffset DeployedAt);

    public sealed record ValidationReport(bool Executable, IReadOnlyList<ValidationFinding> Findings);

    public sealed record StartRequest(string? BusinessKey, Dictionary<string, JsonElement>? Variables);

    public sealed record CompleteRequest(Dictionary<string, JsonElement>? Variables);

    public sealed record RetriesRequest(int Retries);

    public sealed record MigrationRequest(string SourceDefinitionId, string TargetDefinitionId, Dictionary<string, string>? ElementMapping, bool? DryRun);
}

/// <summary>Plain JSON values as variables: numbers without a fraction become integers, objects maps, arrays lists.</summary>
internal static class JsonVariables
{
    public static Dictionary<string, object?>? ToValues(Dictionary<string, JsonElement>? variables)
        => variables?.ToDictionary(v => v.Key, v => ToValue(v.Value), StringComparer.Ordinal);

    private static object? ToValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.TryGetInt64(out var l) ? l : value.GetDouble(),
        JsonValueKind.Array => value.EnumerateArray().Select(ToValue).ToList(),
        _ => value.EnumerateObject().ToDictionary(p => p.Name, p => ToValue(p.Value), StringComparer.Ordinal),
    };
}
