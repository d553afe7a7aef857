using System.Text;
using ComplaintWorkflows.Engine.Parsing;
using ComplaintWorkflows.Engine.Persistence;
using ComplaintWorkflows.Engine.Runtime;
using ComplaintWorkflows.WorkflowHost.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using static ComplaintWorkflows.WorkflowHost.CamundaRest.CamundaRestEndpoints;

namespace ComplaintWorkflows.WorkflowHost.CamundaRest;

/// <summary><c>/deployment</c>: what Camunda Modeler uses to check the connection and to deploy.</summary>
internal static class DeploymentEndpoints
{
    private static readonly string[] Reserved = ["deployment-name", "deployment-source", "tenant-id", "enable-duplicate-filtering", "deploy-changed-only", "deployment-activation-time"];

    public static void MapDeploymentEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/deployment", GetDeployments)
            .WithName("CamundaGetDeployments")
            .WithSummary("Deployments made through this API (filters id, name, nameLike, source; Camunda Modeler's connection check).");
        api.MapGet("/deployment/count", GetDeploymentCount)
            .WithName("CamundaGetDeploymentCount")
            .WithSummary("How many deployments match the filters.");
        api.MapGet("/deployment/{id}", GetDeployment)
            .WithName("CamundaGetDeployment")
            .WithSummary("One deployment.");
        api.MapDelete("/deployment/{id}", DeleteAsync)
            .RequireAuthorization(Policies.Administrator)
            .WithName("CamundaDeleteDeployment")
            .WithSummary("Deletes a deployment with its process definitions (cascade=true: also their running instances).");
        api.MapPost("/deployment/create", CreateAsync)
            .RequireAuthorization(Policies.Administrator)
            .WithName("CamundaCreateDeployment")
            .WithSummary("Deploys the BPMN resources of a multipart upload, as Camunda Modeler sends it.")
            .DisableAntiforgery()
            .Accepts<IFormFile>("multipart/form-data");
    }

    private static async Task<Ok<List<DeploymentSummaryDto>>> GetDeployments(
        HttpRequest request, DeploymentRegistry registry, string? id, string? name, string? nameLike, string? source,
        string? sortBy, string? sortOrder, int? firstResult, int? maxResults, CancellationToken cancellationToken)
    {
        var matches = Filter(await registry.AllAsync(cancellationToken).ConfigureAwait(false), id, name, nameLike, source);
        var sorted = Sort(matches, sortBy, sortOrder, new Dictionary<string, Func<DeploymentInfo, object?>>
        {
            ["id"] = d => d.Id,
            ["name"] = d => d.Name,
            ["deploymentTime"] = d => d.DeployedAt,
        });
        return TypedResults.Ok(Page(sorted, firstResult, maxResults).Select(d => new DeploymentSummaryDto([], d.Id, d.TenantId, CamundaVariables.FormatDate(d.DeployedAt), d.Source, d.Name)).ToList());
    }

    private static async Task<Ok<CountDto>> GetDeploymentCount(DeploymentRegistry registry, string? id, string? name, string? nameLike, string? source, CancellationToken cancellationToken)
        => TypedResults.Ok(new CountDto(Filter(await registry.AllAsync(cancellationToken).ConfigureAwait(false), id, name, nameLike, source).Count()));

    private static async Task<Ok<DeploymentSummaryDto>> GetDeployment(HttpRequest request, DeploymentRegistry registry, string id, CancellationToken cancellationToken)
    {
        var d = await registry.FindAsync(id, cancellationToken).ConfigureAwait(false) ?? throw CamundaRestException.NotFound($"Deployment with id '{id}' does not exist");
        return TypedResults.Ok(new DeploymentSummaryDto(SelfLink(request, "deployment", d.Id), d.Id, d.TenantId, CamundaVariables.FormatDate(d.DeployedAt), d.Source, d.Name));
    }

    private static async Task<NoContent> DeleteAsync(WorkflowEngine engine, string id, bool? cascade, CancellationToken cancellationToken)
    {
        try
        {
            await engine.DeleteDeploymentAsync(id, cascade == true, cancellationToken).ConfigureAwait(false);
        }
        catch (WorkflowException ex) when (ex.Code == "not-found")
        {
            throw CamundaRestException.NotFound($"Deployment with id '{id}' do not exist");
        }
        catch (WorkflowException ex) when (ex.Code == "conflict" && ex is not ConcurrencyException)
        {
            throw new CamundaRestException(StatusCodes.Status500InternalServerError, "ProcessEngineException", ex.Message);
        }

        return TypedResults.NoContent();
    }

    private static IEnumerable<DeploymentInfo> Filter(IReadOnlyList<DeploymentInfo> deployments, string? id, string? name, string? nameLike, string? source)
        => deployments.Where(d => (id is null || d.Id == id)
            && (name is null || d.Name == name)
            && (nameLike is null || Like(d.Name, nameLike))
            && (source is null || d.Source == source));

    private static bool Like(string? value, string pattern)
    {
        if (value is null)
        {
            return false;
        }

        var parts = pattern.Split('%');
        return parts.Length == 1 ? value == pattern : value.StartsWith(parts[0], StringComparison.Ordinal) && value.EndsWith(parts[^1], StringComparison.Ordinal)
            && parts.Skip(1).SkipLast(1).All(p => value.Contains(p, StringComparison.Ordinal));
    }

    private static async Task<Ok<DeploymentDto>> CreateAsync(HttpRequest request, WorkflowEngine engine, DeploymentRegistry registry, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            throw CamundaRestException.InvalidRequest("The request must be multipart/form-data with the deployment's resources.");
        }

        var form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        var name = Text(form, "deployment-name");
        var source = Text(form, "deployment-source");
        var filterDuplicates = IsTrue(Text(form, "enable-duplicate-filtering")) || IsTrue(Text(form, "deploy-changed-only"));
        if (form.Keys.FirstOrDefault(k => !Reserved.Contains(k, StringComparer.Ordinal)) is { } textPart)
        {
            throw CamundaRestException.InvalidRequest($"No file name found in the deployment resource described by form parameter '{textPart}'.");
        }

        var resources = new List<(string Name, string Content)>();
        foreach (var file in form.Files)
        {
            if (Reserved.Contains(file.Name, StringComparer.Ordinal))
            {
                continue;
            }

            if (string.IsNullOrEmpty(file.FileName))
            {
                throw CamundaRestException.InvalidRequest($"No file name found in the deployment resource described by form parameter '{file.Name}'.");
            }

            using var reader = new StreamReader(file.OpenReadStream(), Encoding.UTF8);
            resources.Add((file.FileName, await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false)));
        }

        if (resources.Count == 0)
        {
            throw CamundaRestException.InvalidRequest("No deployment resources contained in the form upload.");
        }

        if (resources.FirstOrDefault(r => IsUnsupportedModel(r.Name)) is { Name: { } unsupported })
        {
            throw CamundaRestException.InvalidRequest($"Resource '{unsupported}': this engine runs BPMN processes only; DMN decisions and CMMN cases cannot be deployed.");
        }

        var bpmn = resources.Where(r => IsBpmn(r.Name)).ToList();
        if (bpmn.Count == 0)
        {
            throw CamundaRestException.InvalidRequest($"部署中没有 BPMN 文件 (The deployment has no BPMN resource, .bpmn or .bpmn20.xml): {string.Join(", ", resources.Select(r => r.Name))}.");
        }

        var findings = ThrowOnParseErrors(engine, bpmn);
        var deploy = new DeploymentRequest([.. bpmn.Select(r => new DeploymentResource(r.Name, r.Content))])
        {
            Name = name,
            Source = source,
            TenantId = Text(form, "tenant-id") is { Length: > 0 } tenant ? tenant : null,
            DuplicateFiltering = filterDuplicates,
        };
        DeploymentResult result;
        try
        {
            result = await engine.DeployAsync(deploy, cancellationToken).ConfigureAwait(false);
            if (result.Deployment is null)
            {
                // Nothing changed, and the unchanged versions predate recorded deployments: record one to answer.
                result = await engine.DeployAsync(deploy with { DuplicateFiltering = false }, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (DeploymentException ex)
        {
            // Checked above already; only a change of the registered activities in between gets here.
            throw ParseException([(bpmn[0].Name, ex.Findings)]);
        }

        var deployed = result.Changed || !filterDuplicates ? result.Definitions.ToList() : null;
        return TypedResults.Ok(ToDto(request, result.Deployment!, deployed, registry) with { Details = Reports(findings) });
    }

    /// <summary>Validates every BPMN resource first, so a deployment with one broken file deploys nothing.</summary>
    private static List<(string Resource, IReadOnlyList<ValidationFinding> Findings)> ThrowOnParseErrors(WorkflowEngine engine, List<(string Name, string Content)> bpmn)
    {
        var findings = bpmn.Select(r => (r.Name, engine.Validate(r.Content, r.Name))).ToList();
        if (findings.Any(f => f.Item2.Any(x => x.IsError)))
        {
            throw ParseException(findings);
        }

        return findings;
    }

    /// <summary>
    /// Per resource with findings, its errors and its warnings (infos among them, marked), as a parse error's
    /// <c>details</c> has them; null when no resource has a finding.
    /// </summary>
    private static Dictionary<string, ResourceReport>? Reports(List<(string Resource, IReadOnlyList<ValidationFinding> Findings)> resources)
    {
        var details = new Dictionary<string, ResourceReport>(StringComparer.Ordinal);
        foreach (var (resource, findings) in resources.Where(r => r.Findings.Count > 0))
        {
            details[resource] = new ResourceReport([.. findings.Where(f => f.IsError).Select(ToEntry)], [.. findings.Where(f => !f.IsError).Select(ToEntry)]);
        }

        return details.Count > 0 ? details : null;
    }

    /// <summary>Camunda's <c>ParseException</c>: Camunda Modeler shows a message starting with ENGINE-09005 as a diagram error.</summary>
    private static CamundaRestException ParseException(List<(string Resource, IReadOnlyList<ValidationFinding> Findings)> resources)
    {
        var messages = resources.SelectMany(r => r.Findings.Where(f => f.IsError).Select(e => $"* {Describe(e)} | resource {r.Resource} | line {e.Line} | column 0"));
        return new CamundaRestException(StatusCodes.Status400BadRequest, "ParseException", $"ENGINE-09005 Could not parse BPMN process. Errors: {Environment.NewLine}{string.Join(Environment.NewLine, messages)}")
        {
            Details = Reports(resources) ?? [],
        };
    }

    /// <summary>Camunda's report has errors and warnings only; an info finding goes with the warnings, its message starting "[info]".</summary>
    private static ProblemEntry ToEntry(ValidationFinding finding)
        => new(finding.Severity == FindingSeverity.Info ? "[info] " + Describe(finding) : Describe(finding), finding.Line, 0, finding.ElementId, finding.ElementId is { } id ? [id] : []);

    private static string Describe(ValidationFinding finding)
        => finding.ElementId is null ? $"{finding.Message} ({finding.Code})" : $"{finding.ElementType ?? "element"} '{finding.ElementId}': {finding.Message} ({finding.Code})";

    private static DeploymentDto ToDto(HttpRequest request, DeploymentInfo deployment, List<ProcessDefinition>? definitions, DeploymentRegistry registry)
        => new(
            SelfLink(request, "deployment", deployment.Id),
            deployment.Id,
            deployment.Name,
            deployment.Source,
            CamundaVariables.FormatDate(deployment.DeployedAt),
            deployment.TenantId,
            definitions?.ToDictionary(d => d.Id, d => ProcessDefinitionEndpoints.ToDto(d, registry), StringComparer.Ordinal),
            null,
            null,
            null);

    private static bool IsBpmn(string resource)
        => resource.EndsWith(".bpmn", StringComparison.OrdinalIgnoreCase) || resource.EndsWith(".bpmn20.xml", StringComparison.OrdinalIgnoreCase);

    private static bool IsUnsupportedModel(string resource)
        => resource.EndsWith(".dmn", StringComparison.OrdinalIgnoreCase) || resource.EndsWith(".dmn11.xml", StringComparison.OrdinalIgnoreCase)
            || resource.EndsWith(".cmmn", StringComparison.OrdinalIgnoreCase) || resource.EndsWith(".cmmn11.xml", StringComparison.OrdinalIgnoreCase);

    private static string? Text(IFormCollection form, string key) => form.TryGetValue(key, out var value) ? value.ToString() : null;

    private static bool IsTrue(string? text) => bool.TryParse(text, out var flag) && flag;

    public sealed record DeploymentSummaryDto(IReadOnlyList<LinkDto> Links, string Id, string? TenantId, string DeploymentTime, string? Source, string? Name);

    public sealed record DeploymentDto(
        IReadOnlyList<LinkDto> Links,
        string Id,
        string? Name,
        string? Source,
        string DeploymentTime,
        string? TenantId,
        IReadOnlyDictionary<string, ProcessDefinitionEndpoints.ProcessDefinitionDto>? DeployedProcessDefinitions,
        object? DeployedCaseDefinitions,
        object? DeployedDecisionDefinitions,
        object? DeployedDecisionRequirementsDefinitions)
    {
        /// <summary>
        /// Not Camunda's: the warnings and infos of a successful deployment (generated flow ids and the like), per resource,
        /// in the shape of a parse error's details; left out when there are none.
        /// </summary>
        [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
        public IReadOnlyDictionary<string, ResourceReport>? Details { get; init; }
    }
}
