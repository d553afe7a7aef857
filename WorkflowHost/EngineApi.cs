using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Parsing;
using ComplaintWorkflows.Engine.Runtime;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ComplaintWorkflows.WorkflowHost;

/// <summary>The engine's own endpoints under <c>/api</c> (the Camunda-compatible API comes under <c>/engine-rest</c>).</summary>
public static class EngineApi
{
    public static IEndpointRouteBuilder MapEngineApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").WithTags("Engine");
        api.MapGet("/activities", GetActivities)
            .WithName("GetActivities")
            .WithSummary("The registered custom activities with their typed inputs and outputs (the designer's element templates come from these).");
        api.MapGet("/process-definitions", GetDefinitions)
            .WithName("GetProcessDefinitions")
            .WithSummary("Deployed process definitions, every version.");
        api.MapPost("/validate", ValidateAsync)
            .WithName("ValidateBpmn")
            .WithSummary("Validates a BPMN file (the request body) as executable; nothing is deployed.")
            .Accepts<string>("application/xml", "text/xml");
        return endpoints;
    }

    private static Ok<IEnumerable<ActivityDescriptor>> GetActivities(ActivityRegistry registry)
        => TypedResults.Ok(registry.Descriptors);

    private static Ok<IEnumerable<DefinitionSummary>> GetDefinitions(WorkflowEngine engine)
        => TypedResults.Ok(engine.GetDefinitions().Select(d => new DefinitionSummary(d.Id, d.Key, d.Name, d.Version, d.DeployedAt)));

    private static async Task<Ok<ValidationReport>> ValidateAsync(HttpRequest request, WorkflowEngine engine, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        var xml = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        var findings = engine.Validate(xml, "upload");
        return TypedResults.Ok(new ValidationReport(!findings.Any(f => f.IsError), findings));
    }

    public sealed record DefinitionSummary(string Id, string Key, string? Name, int Version, DateTimeOffset DeployedAt);

    public sealed record ValidationReport(bool Executable, IReadOnlyList<ValidationFinding> Findings);
}
