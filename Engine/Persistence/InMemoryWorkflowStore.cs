using System.Collections.Concurrent;
using ComplaintWorkflows.Engine.Runtime;

namespace ComplaintWorkflows.Engine.Persistence;

/// <summary>
/// Keeps live instances in memory with indexes that find tasks, message waits (by name and key),
/// signal waits, timers and jobs without scanning instances. One step at a time per instance. For tests,
/// benchmarks and single-process use; nothing survives the process.
/// </summary>
public sealed partial class InMemoryWorkflowStore : IWorkflowStore
{
    // Where the rest of the store lives (each a part of this class, as in EfWorkflowStore):
    //   InMemoryWorkflowStore.Deployments.cs  deployments and definitions: saved, queried, deleted (with their instances), loaded
    //   InMemoryWorkflowStore.Instances.cs    instance leases (created, acquired), the instance and journal queries
    //   InMemoryWorkflowStore.Commit.cs       a step's commit: the indexes brought up to date, the outbox and journal
    //   InMemoryWorkflowStore.Tasks.cs        task lookups and queries
    //   InMemoryWorkflowStore.Waits.cs        message and signal waits, timers and start timers
    //   InMemoryWorkflowStore.Jobs.cs         jobs: queried, acquired under a lock, renewed, failed, retried
    //   InMemoryWorkflowStore.Outbox.cs       outbox entries and the deliveries recorded for them
    //   InMemoryWorkflowStore.ExternalTasks.cs external tasks: indexed with steps, locked, released, queried

    private const string AnyKey = "*";

    private readonly ConcurrentDictionary<string, Entry> _instances = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DefinitionRecord> _definitions = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, TaskLocation> _tasks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, HashSet<WaitLocation>>> _messages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<WaitLocation>> _signals = new(StringComparer.Ordinal);
    private readonly SortedSet<DueTimer> _timers = new(Comparer<DueTimer>.Create(CompareTimers));
    private readonly Dictionary<string, JobInfo> _jobs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ExternalTaskInfo> _externalTasks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, List<JournalEntry>> _journals = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, OutboxEntry> _outbox = new(StringComparer.Ordinal);
    private readonly List<DeploymentInfo> _deployments = [];
    private readonly Dictionary<string, HashSet<string>> _deliveries = new(StringComparer.Ordinal);
}
