using System.Security.Cryptography;
using System.Text;
using ComplaintWorkflows.Engine.Model;
using ComplaintWorkflows.Engine.Parsing;
using ComplaintWorkflows.Engine.Persistence;
using ComplaintWorkflows.Engine.Timers;

namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>A deployment refused because the file has errors; every finding is listed.</summary>
public sealed class DeploymentException(string message, IReadOnlyList<ValidationFinding> findings) : WorkflowException(message)
{
    public IReadOnlyList<ValidationFinding> Findings { get; } = findings;
}

/// <summary>
/// What a deployment gave: the definitions of its processes (new versions, or the current ones whose content did
/// not change), the validation findings, whether any version is new, and the deployment recorded (or, when none
/// was, the earlier one answered in its place; null when there is none).
/// </summary>
public sealed record DeploymentResult(IReadOnlyList<ProcessDefinition> Definitions, IReadOnlyList<ValidationFinding> Findings, bool Changed, DeploymentInfo? Deployment = null);

/// <summary>Validating and deploying BPMN files, the recorded deployments, and deleting one.</summary>
public sealed partial class WorkflowEngine
{
    /// <summary>Parses and validates a file; nothing is deployed.</summary>
    public IReadOnlyList<ValidationFinding> Validate(string xml, string? sourceName = null) => ParseAndValidate(xml, sourceName).Findings;

    /// <summary>The import's findings followed, when the file imported, by the executable validation's.</summary>
    private (BpmnDefinitions? Definitions, IReadOnlyList<ValidationFinding> Findings) ParseAndValidate(string xml, string? sourceName)
    {
        var parsed = _parser.Parse(xml, sourceName);
        return parsed.Definitions is null
            ? (null, parsed.Findings)
            : (parsed.Definitions, [.. parsed.Findings, .. ExecutableValidator.Validate(parsed.Definitions, Activities, (kind, text) => TimerSchedule.Check(kind, text, Options.TimeZone))]);
    }

    /// <summary>
    /// Deploys the executable processes of a BPMN file, with changed content only (see
    /// <see cref="DeploymentRequest.DuplicateFiltering"/>): a file whose content changed gives each of its
    /// processes a new version and records a deployment named after the file; an unchanged file deploys
    /// nothing new. Errors refuse the whole file.
    /// </summary>
    public Task<DeploymentResult> DeployAsync(string xml, string? sourceName = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(xml);
        return DeployAsync(new DeploymentRequest([new DeploymentResource(sourceName ?? "process.bpmn", xml)]) { Name = sourceName, DuplicateFiltering = true }, cancellationToken);
    }

    /// <summary>
    /// Deploys the executable processes of the BPMN files of a request as one deployment, recorded with its
    /// name, source, tenant and each file's content hash. A process whose content changed gets a new version
    /// linked to the deployment; an unchanged one keeps its version. Errors in any file refuse all of them.
    /// </summary>
    public async Task<DeploymentResult> DeployAsync(DeploymentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Resources.Count == 0)
        {
            throw new WorkflowException($"Deployment '{request.Name}' has no resources to deploy.") { Code = "invalid" };
        }

        if (request.Resources.GroupBy(r => r.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new WorkflowException($"Deployment '{request.Name}' has two resources named '{twice.Key}'.") { Code = "invalid" };
        }

        var parsed = new List<(DeploymentResource Resource, BpmnDefinitions Definitions, string Hash)>();
        var allFindings = new List<ValidationFinding>();
        foreach (var resource in request.Resources)
        {
            var (definitions, findings) = ParseAndValidate(resource.Xml, resource.Name);
            allFindings.AddRange(findings);
            if (definitions is null || findings.Any(f => f.Severity == FindingSeverity.Error))
            {
                var errors = findings.Where(f => f.Severity == FindingSeverity.Error).ToList();
                throw new DeploymentException(
                    $"{resource.Name} cannot be deployed: {errors.Count} error(s).{Environment.NewLine}{string.Join(Environment.NewLine, errors)}",
                    findings);
            }

            parsed.Add((resource, definitions, Hash(resource.Xml)));
        }

        await LoadDefinitionsAsync(cancellationToken).ConfigureAwait(false);
        var hashes = parsed.ToDictionary(p => p.Resource.Name, p => p.Hash, StringComparer.Ordinal);
        if (request.DuplicateFiltering && await LatestDeploymentAsync(request.Name, request.Source, cancellationToken).ConfigureAwait(false) is { } last
            && last.ResourceHashes.Count == hashes.Count && last.ResourceHashes.All(kv => hashes.TryGetValue(kv.Key, out var hash) && hash == kv.Value))
        {
            return new DeploymentResult(DefinitionsOf(last.Id), allFindings, false, last);
        }

        var deploymentId = NewId();
        var now = Time.GetUtcNow();
        var result = new List<ProcessDefinition>();
        var created = new List<(ProcessDefinition Definition, ProcessDefinition? Previous)>();
        foreach (var (resource, definitions, hash) in parsed)
        {
            foreach (var model in definitions.Processes.Where(p => p.IsExecutable))
            {
                ProcessDefinition? latest;
                lock (_definitionsGate)
                {
                    latest = _definitions.TryGetValue(model.Id, out var versions) && versions.Count > 0 ? versions[^1] : null;
                }

                if (latest?.ContentHash == hash)
                {
                    result.Add(latest);
                    continue;
                }

                var previous = created.LastOrDefault(c => c.Definition.Key == model.Id).Definition ?? latest;
                var definition = new ProcessDefinition(model, (previous?.Version ?? 0) + 1, resource.Xml, hash, now, deploymentId, resource.Name);
                created.Add((definition, previous));
                result.Add(definition);
            }
        }

        if (created.Count == 0 && request.DuplicateFiltering)
        {
            var earlier = result.Select(d => d.DeploymentId).FirstOrDefault(id => id is not null);
            var answered = earlier is null ? null : await FindDeploymentAsync(earlier, cancellationToken).ConfigureAwait(false);
            return new DeploymentResult(result, allFindings, false, answered);
        }

        var deployment = new DeploymentInfo(deploymentId, request.Name, request.Source, now, request.TenantId, hashes);
        await Store.SaveDeploymentAsync(
            deployment,
            [.. created.Select(c => new DefinitionRecord(c.Definition.Id, c.Definition.Key, c.Definition.Version, c.Definition.Xml, c.Definition.ContentHash, now, deploymentId, c.Definition.ResourceName))],
            cancellationToken).ConfigureAwait(false);
        lock (_definitionsGate)
        {
            foreach (var (definition, _) in created)
            {
                _definitionsById[definition.Id] = definition;
                if (!_definitions.TryGetValue(definition.Key, out var versions))
                {
                    _definitions[definition.Key] = versions = [];
                }

                versions.Add(definition);
            }
        }

        foreach (var (definition, previous) in created)
        {
            if (previous is not null)
            {
                var triggers = previous.Model.Container.StartEvents.Where(e => e.Definition is TimerEventDefinition).Select(e => StartTimerId(previous.Id, e.Id)).ToList();
                await WithTimerEntryAsync(
                    triggers.Count == 0 ? null : new PostAction.ChangeTimers([], triggers),
                    entry => Store.RemoveStartTimersAsync(previous.Id, entry, cancellationToken),
                    cancellationToken).ConfigureAwait(false);
            }

            await ScheduleStartTimersAsync(definition, cancellationToken).ConfigureAwait(false);
        }

        return new DeploymentResult(result, allFindings, created.Count > 0, deployment);
    }

    private static string Hash(string xml) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(xml)));

    /// <summary>Recorded deployments matching the query (all when null), oldest first.</summary>
    public Task<IReadOnlyList<DeploymentInfo>> GetDeploymentsAsync(DeploymentQuery? query = null, CancellationToken cancellationToken = default)
        => Store.QueryDeploymentsAsync(query ?? new DeploymentQuery(), cancellationToken);

    /// <summary>One recorded deployment.</summary>
    public async Task<DeploymentInfo> GetDeploymentAsync(string deploymentId, CancellationToken cancellationToken = default)
        => await FindDeploymentAsync(deploymentId, cancellationToken).ConfigureAwait(false)
            ?? throw new WorkflowException($"Deployment '{deploymentId}' does not exist.") { Code = "not-found" };

    private async Task<DeploymentInfo?> FindDeploymentAsync(string deploymentId, CancellationToken cancellationToken)
        => await Store.QueryDeploymentsAsync(new DeploymentQuery(Id: deploymentId), cancellationToken).ConfigureAwait(false) is [var found, ..] ? found : null;

    /// <summary>The last deployment with exactly this name and source (what duplicate filtering compares with), or null.</summary>
    public async Task<DeploymentInfo?> LatestDeploymentAsync(string? name, string? source, CancellationToken cancellationToken = default)
        => (await Store.QueryDeploymentsAsync(new DeploymentQuery(Name: name, Source: source), cancellationToken).ConfigureAwait(false))
            .LastOrDefault(d => d.Name == name && d.Source == source);

    /// <summary>The definition versions a deployment created, by key and version.</summary>
    public async Task<IReadOnlyList<ProcessDefinition>> GetDeploymentDefinitionsAsync(string deploymentId, CancellationToken cancellationToken = default)
    {
        await GetDeploymentAsync(deploymentId, cancellationToken).ConfigureAwait(false);
        await LoadDefinitionsAsync(cancellationToken).ConfigureAwait(false);
        return DefinitionsOf(deploymentId);
    }

    private List<ProcessDefinition> DefinitionsOf(string deploymentId)
    {
        lock (_definitionsGate)
        {
            return [.. _definitionsById.Values.Where(d => d.DeploymentId == deploymentId).OrderBy(d => d.Key, StringComparer.Ordinal).ThenBy(d => d.Version)];
        }
    }

    /// <summary>
    /// Deletes a deployment and the definition versions it created, with their instances (an ended instance's
    /// history goes with its definition). Refused (code <c>conflict</c>) while any of those instances is still
    /// running, unless <paramref name="cascade"/>: then the running ones are deleted too. The previous version of each process becomes the latest again (on this host at once;
    /// other hosts keep the deleted versions in memory until they restart).
    /// </summary>
    public async Task DeleteDeploymentAsync(string deploymentId, bool cascade = false, CancellationToken cancellationToken = default)
    {
        var definitions = await GetDeploymentDefinitionsAsync(deploymentId, cancellationToken).ConfigureAwait(false);
        var ids = definitions.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        var triggers = ids.Count == 0 || TimerScheduler is null
            ? []
            : (await Store.QueryTimersAsync(null, cancellationToken).ConfigureAwait(false)).Where(t => ids.Contains(t.DefinitionId)).Select(t => t.Id).ToList();
        var deleted = false;
        await WithTimerEntryAsync(
            triggers.Count == 0 ? null : new PostAction.ChangeTimers([], triggers),
            async entry => deleted = await Store.DeleteDeploymentAsync(deploymentId, [.. ids], cascade, entry, cancellationToken).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        if (!deleted)
        {
            throw new WorkflowException($"Deployment '{deploymentId}' does not exist.") { Code = "not-found" };
        }

        lock (_definitionsGate)
        {
            foreach (var definition in definitions)
            {
                _definitionsById.Remove(definition.Id);
                if (_definitions.TryGetValue(definition.Key, out var versions))
                {
                    versions.Remove(definition);
                    if (versions.Count == 0)
                    {
                        _definitions.Remove(definition.Key);
                    }
                }
            }
        }
    }
}
