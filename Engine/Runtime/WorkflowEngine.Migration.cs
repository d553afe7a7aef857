using ComplaintWorkflows.Engine.Model;

namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>Where one token of an instance would go in the target version.</summary>
public sealed record TokenMapping(int NodeId, string FromElementId, string ToElementId);

/// <summary>One instance in a migration: where its tokens go, and what cannot be mapped (then it is left as it is).</summary>
public sealed record InstanceMigration(string ProcessInstanceId, IReadOnlyList<TokenMapping> Tokens, IReadOnlyList<string> Problems)
{
    public bool CanMigrate => Problems.Count == 0;
}

/// <summary>The outcome (or, in a dry run, the plan) of moving the instances of one version to another.</summary>
public sealed record MigrationReport(string SourceDefinitionId, string TargetDefinitionId, bool DryRun, IReadOnlyList<InstanceMigration> Instances)
{
    public int Migrated => DryRun ? 0 : Instances.Count(i => i.CanMigrate);
}

/// <summary>Moving running instances from one version of a process to another: an administrator action, previewed first.</summary>
public sealed partial class WorkflowEngine
{
    /// <summary>
    /// Moves the active instances of <paramref name="sourceDefinitionId"/> to <paramref name="targetDefinitionId"/>
    /// (same process key). Each token goes to the element with the same id, or the one
    /// <paramref name="elementMapping"/> names; it must be of the same kind and inside the matching scope, and
    /// every wait (message, signal, timer) must find its counterpart. An instance with any problem is left
    /// untouched and its problems reported. With <paramref name="dryRun"/> nothing changes: the report is the plan.
    /// </summary>
    public async Task<MigrationReport> MigrateInstancesAsync(
        string sourceDefinitionId,
        string targetDefinitionId,
        IReadOnlyDictionary<string, string>? elementMapping = null,
        bool dryRun = true,
        CancellationToken cancellationToken = default)
    {
        var source = GetDefinitionOrLoad(sourceDefinitionId);
        var target = GetDefinitionOrLoad(targetDefinitionId);
        if (source.Key != target.Key)
        {
            throw new WorkflowException($"'{sourceDefinitionId}' and '{targetDefinitionId}' are versions of different processes.") { Code = "invalid" };
        }

        var mapping = elementMapping ?? new Dictionary<string, string>(StringComparer.Ordinal);
        var report = new List<InstanceMigration>();
        foreach (var info in await Store.QueryInstancesAsync(source.Key, activeOnly: true, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (info.DefinitionId != source.Id)
            {
                continue;
            }

            InstanceMigration? plan = null;
            await RunStepAsync(info.Id, step =>
            {
                plan = Plan(step.Instance, target, mapping);
                if (dryRun || !plan.CanMigrate)
                {
                    return false;
                }

                step.MoveTo(target, plan, mapping);
                return true;
            }, cancellationToken).ConfigureAwait(false);
            if (plan is not null)
            {
                report.Add(plan);
            }
        }

        return new MigrationReport(source.Id, target.Id, dryRun, report);
    }

    private static InstanceMigration Plan(ProcessInstance instance, ProcessDefinition target, IReadOnlyDictionary<string, string> mapping)
    {
        var tokens = new List<TokenMapping>();
        var problems = new List<string>();
        string Map(string id) => mapping.TryGetValue(id, out var to) ? to : id;

        foreach (var node in instance.AllNodes())
        {
            if (node == instance.Root)
            {
                continue;
            }

            var to = Map(node.ElementId);
            if (!target.Model.ElementsById.TryGetValue(to, out var element))
            {
                problems.Add($"token at {node.Element} has no element '{to}' in version {target.Version}");
                continue;
            }

            if (element.Kind != node.Element.Kind)
            {
                problems.Add($"token at {node.Element} would land on {element}, an element of another kind");
                continue;
            }

            var parentElement = node.Parent == instance.Root ? target.Model : target.Model.ElementsById.GetValueOrDefault(Map(node.Parent!.ElementId));
            var expectedScope = node.MultiInstance == MultiInstanceRole.Inner ? element : ((FlowNode)element).Scope;
            if (parentElement != expectedScope)
            {
                problems.Add($"token at {node.Element} would leave its scope: '{to}' is not inside '{parentElement?.Id ?? Map(node.Parent!.ElementId)}' in version {target.Version}");
                continue;
            }

            tokens.Add(new TokenMapping(node.Id, node.ElementId, to));
        }

        foreach (var subscription in instance.Subscriptions)
        {
            var to = Map(subscription.EventElementId);
            if (!target.Model.ElementsById.TryGetValue(to, out var element) || element is not EventNode { Definition: { } definition }
                || definition.GetType() != ((EventNode)instance.Definition.Element(subscription.EventElementId)).Definition?.GetType())
            {
                problems.Add($"the {subscription.Kind.ToString().ToLowerInvariant()} wait of '{subscription.EventElementId}' has no counterpart '{to}' in version {target.Version}");
            }
        }

        return new InstanceMigration(instance.Id, tokens, problems);
    }
}
