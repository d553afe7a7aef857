using ComplaintWorkflows.Engine.Model;
using ComplaintWorkflows.Engine.Persistence;

namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>The definitions this host knows: loaded from the store, remembered once parsed, looked up by key, version or id.</summary>
public sealed partial class WorkflowEngine
{
    /// <summary>Loads the definitions the store holds (deployed earlier or by another host).</summary>
    public async Task LoadDefinitionsAsync(CancellationToken cancellationToken = default)
    {
        foreach (var record in await Store.LoadDefinitionsAsync(cancellationToken).ConfigureAwait(false))
        {
            Remember(record);
        }
    }

    private ProcessDefinition Remember(DefinitionRecord record)
    {
        lock (_definitionsGate)
        {
            if (_definitionsById.TryGetValue(record.Id, out var known))
            {
                return known;
            }
        }

        var parsed = _parser.Parse(record.Xml, record.Key);
        var model = parsed.Definitions?.Processes.FirstOrDefault(p => p.Id == record.Key)
            ?? throw new WorkflowException($"Stored definition '{record.Id}' can no longer be read: {string.Join("; ", parsed.Findings)}") { Code = "invalid" };
        var definition = new ProcessDefinition(model, record.Version, record.Xml, record.ContentHash, record.DeployedAt, record.DeploymentId, record.ResourceName);
        lock (_definitionsGate)
        {
            if (_definitionsById.TryGetValue(definition.Id, out var raced))
            {
                return raced;
            }

            _definitionsById[definition.Id] = definition;
            if (!_definitions.TryGetValue(definition.Key, out var versions))
            {
                _definitions[definition.Key] = versions = [];
            }

            versions.Add(definition);
            versions.Sort((a, b) => a.Version.CompareTo(b.Version));
            return definition;
        }
    }

    public ProcessDefinition GetDefinition(string key, int? version = null)
    {
        lock (_definitionsGate)
        {
            if (_definitions.TryGetValue(key, out var versions) && versions.Count > 0)
            {
                if (version is null)
                {
                    return versions[^1];
                }

                if (versions.FirstOrDefault(v => v.Version == version) is { } match)
                {
                    return match;
                }
            }
        }

        throw new WorkflowException(version is null ? $"No process with key '{key}' is deployed." : $"Process '{key}' has no version {version}.") { Code = "not-found" };
    }

    public ProcessDefinition GetDefinitionById(string id)
    {
        lock (_definitionsGate)
        {
            return _definitionsById.TryGetValue(id, out var definition)
                ? definition
                : throw new WorkflowException($"No process definition '{id}' is deployed.") { Code = "not-found" };
        }
    }

    public IReadOnlyList<ProcessDefinition> GetDefinitions()
    {
        lock (_definitionsGate)
        {
            return [.. _definitions.Values.SelectMany(v => v)];
        }
    }

    private List<(ProcessDefinition Definition, StartEvent Start)> LatestStartEvents(Func<StartEvent, bool> matches)
    {
        lock (_definitionsGate)
        {
            return [.. _definitions.Values
                .Select(v => v[^1])
                .SelectMany(d => d.Model.Container.StartEvents.Where(matches).Select(s => (d, s)))];
        }
    }

    /// <summary>A definition by id, loading definitions deployed by another host when it is not known yet.</summary>
    private ProcessDefinition GetDefinitionOrLoad(string id)
    {
        lock (_definitionsGate)
        {
            if (_definitionsById.TryGetValue(id, out var definition))
            {
                return definition;
            }
        }

        LoadDefinitionsAsync().GetAwaiter().GetResult();
        return GetDefinitionById(id);
    }
}
