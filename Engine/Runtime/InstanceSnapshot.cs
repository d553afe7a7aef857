using System.Globalization;
using System.Text;
using System.Text.Json;
using ComplaintWorkflows.Engine.Model;

namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>
/// Writes an instance's whole state (tokens, scopes, variables, tasks, subscriptions, incidents) as a
/// compact, versioned JSON document and reads it back. Variables keep their types: each value is
/// written with a one-letter tag (s string, b boolean, l integer, d double, t date, a list, m map, n null).
/// </summary>
internal static class InstanceSnapshot
{
    public const int FormatVersion = 1;

    public static string Write(ProcessInstance instance)
    {
        return CompactJson.Write(instance, static (w, instance) =>
        {
            w.WriteStartObject();
            w.WriteNumber("v", FormatVersion);
            w.WriteString("id", instance.Id);
            w.WriteString("def", instance.Definition.Id);
            w.WriteString("key", instance.Definition.Key);
            w.WriteNumber("ver", instance.Definition.Version);
            w.WriteString("hash", instance.Definition.ContentHash);
            WriteOptional(w, "bk", instance.BusinessKey);
            w.WriteString("status", instance.Status.ToString());
            w.WriteString("started", instance.StartedAt);
            if (instance.EndedAt is { } ended)
            {
                w.WriteString("ended", ended);
            }

            WriteOptional(w, "parent", instance.ParentInstanceId);
            w.WriteNumber("parentNode", instance.ParentNodeId);
            w.WriteNumber("rev", instance.Revision);
            w.WriteNumber("nextNode", instance.NextNodeId);
            w.WriteNumber("nextSub", instance.NextSubscriptionId);
            w.WriteNumber("nextJournal", instance.NextJournalSequence);
            w.WritePropertyName("root");
            WriteNode(w, instance.Root);
            w.WriteStartArray("subs");
            foreach (var s in instance.Subscriptions)
            {
                w.WriteStartObject();
                w.WriteNumber("id", s.Id);
                w.WriteString("kind", s.Kind.ToString());
                w.WriteString("el", s.EventElementId);
                w.WriteNumber("owner", s.OwnerNodeId);
                WriteOptional(w, "name", s.EventName);
                WriteOptional(w, "key", s.CorrelationKey);
                if (s.DueAt is { } due)
                {
                    w.WriteString("due", due);
                }

                if (s.Kind == SubscriptionKind.Timer)
                {
                    w.WriteNumber("fired", s.FiredCount);
                    w.WriteString("timer", s.TimerText);
                    w.WriteString("timerKind", s.TimerKind.ToString());
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("incidents");
            foreach (var i in instance.Incidents)
            {
                w.WriteStartObject();
                w.WriteNumber("node", i.NodeId);
                w.WriteString("el", i.ElementId);
                w.WriteString("type", i.Type);
                w.WriteString("msg", i.Message);
                w.WriteString("at", i.CreatedAt);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static void WriteNode(Utf8JsonWriter w, ExecutionNode node)
    {
        w.WriteStartObject();
        w.WriteNumber("id", node.Id);
        w.WriteString("el", node.ElementId);
        if (node.State != NodeState.Running)
        {
            w.WriteString("state", node.State.ToString());
        }

        if (node.Wait != WaitKind.None)
        {
            w.WriteString("wait", node.Wait.ToString());
        }

        if (node.MultiInstance != MultiInstanceRole.None)
        {
            w.WriteString("mi", node.MultiInstance.ToString());
            w.WriteNumber("loop", node.NextLoopCounter);
        }

        WriteOptional(w, "by", node.ArrivedBy);
        if (node.FailedOp is { } failedOp)
        {
            w.WriteString("failedOp", failedOp.ToString());
        }

        WriteOptional(w, "called", node.CalledInstanceId);
        if (node.Variables is { Count: > 0 } variables)
        {
            w.WritePropertyName("vars");
            WriteMap(w, variables);
        }

        if (node.PendingItems is { } pending)
        {
            w.WritePropertyName("pending");
            WriteValue(w, pending);
        }

        if (node.Task is { } task)
        {
            w.WriteStartObject("task");
            w.WriteString("id", task.TaskId);
            WriteOptional(w, "assignee", task.Assignee);
            WriteStrings(w, "users", task.CandidateUsers);
            WriteStrings(w, "groups", task.CandidateGroups);
            if (task.DueDate is { } due)
            {
                w.WriteString("due", due);
            }

            if (task.FollowUpDate is { } followUp)
            {
                w.WriteString("followUp", followUp);
            }

            w.WriteNumber("prio", task.Priority);
            WriteOptional(w, "form", task.FormKey);
            w.WriteString("created", task.CreatedAt);
            WriteOptional(w, "owner", task.Owner);
            WriteOptional(w, "delegation", task.DelegationState);
            w.WriteEndObject();
        }

        if (node.External is { } external)
        {
            w.WriteStartObject("ext");
            w.WriteString("id", external.Id);
            w.WriteString("topic", external.Topic);
            w.WriteNumber("prio", external.Priority);
            w.WriteString("created", external.CreatedAt);
            if (external.Retries is { } retries)
            {
                w.WriteNumber("retries", retries);
            }

            WriteOptional(w, "error", external.ErrorMessage);
            WriteOptional(w, "details", external.ErrorDetails);
            w.WriteEndObject();
        }

        if (node.Children is { Count: > 0 } children)
        {
            w.WriteStartArray("children");
            foreach (var child in children)
            {
                WriteNode(w, child);
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    internal static void WriteMap(Utf8JsonWriter w, IReadOnlyDictionary<string, object?> map)
    {
        w.WriteStartObject();
        foreach (var (name, value) in map)
        {
            w.WritePropertyName(name);
            WriteValue(w, value);
        }

        w.WriteEndObject();
    }

    /// <summary>A value as a two-element array: type tag, then the value.</summary>
    private static void WriteValue(Utf8JsonWriter w, object? value)
    {
        w.WriteStartArray();
        switch (value)
        {
            case null:
                w.WriteStringValue("n");
                break;
            case string s:
                w.WriteStringValue("s");
                w.WriteStringValue(s);
                break;
            case bool b:
                w.WriteStringValue("b");
                w.WriteBooleanValue(b);
                break;
            case long l:
                w.WriteStringValue("l");
                w.WriteNumberValue(l);
                break;
            case double d when double.IsFinite(d):
                w.WriteStringValue("d");
                w.WriteNumberValue(d);
                break;
            case double d:
                w.WriteStringValue("D");
                w.WriteStringValue(d.ToString("R", CultureInfo.InvariantCulture));
                break;
            case DateTimeOffset t:
                w.WriteStringValue("t");
                w.WriteStringValue(t);
                break;
            case List<object?> list:
                w.WriteStringValue("a");
                w.WriteStartArray();
                foreach (var item in list)
                {
                    WriteValue(w, item);
                }

                w.WriteEndArray();
                break;
            case Dictionary<string, object?> map:
                w.WriteStringValue("m");
                WriteMap(w, map);
                break;
            default:
                throw new InvalidOperationException($"A variable holds a {value.GetType().Name}, which a snapshot cannot keep.");
        }

        w.WriteEndArray();
    }

    // ---- reading --------------------------------------------------------------------------------

    public static ProcessInstance Read(string json, Func<string, ProcessDefinition> findDefinition)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 });
        var root = document.RootElement;
        var version = root.GetProperty("v").GetInt32();
        if (version != FormatVersion)
        {
            throw new WorkflowException($"Snapshot format {version} is not supported (this engine reads format {FormatVersion}).") { Code = "invalid" };
        }

        var definition = findDefinition(root.GetProperty("def").GetString()!);
        var instance = new ProcessInstance(
            root.GetProperty("id").GetString()!,
            definition,
            OptionalString(root, "bk"),
            root.GetProperty("started").GetDateTimeOffset())
        {
            Status = Enum.Parse<InstanceStatus>(root.GetProperty("status").GetString()!),
            EndedAt = root.TryGetProperty("ended", out var ended) ? ended.GetDateTimeOffset() : null,
            ParentInstanceId = OptionalString(root, "parent"),
            ParentNodeId = root.GetProperty("parentNode").GetInt32(),
            Revision = root.GetProperty("rev").GetInt64(),
            NextNodeId = root.GetProperty("nextNode").GetInt32(),
            NextSubscriptionId = root.GetProperty("nextSub").GetInt32(),
            NextJournalSequence = root.TryGetProperty("nextJournal", out var journal) ? journal.GetInt64() : 1,
        };
        instance.Root = ReadNode(root.GetProperty("root"), instance, null);
        foreach (var s in root.GetProperty("subs").EnumerateArray())
        {
            instance.Subscriptions.Add(new Subscription
            {
                Id = s.GetProperty("id").GetInt32(),
                Kind = Enum.Parse<SubscriptionKind>(s.GetProperty("kind").GetString()!),
                EventElementId = s.GetProperty("el").GetString()!,
                OwnerNodeId = s.GetProperty("owner").GetInt32(),
                EventName = OptionalString(s, "name"),
                CorrelationKey = OptionalString(s, "key"),
                DueAt = s.TryGetProperty("due", out var due) ? due.GetDateTimeOffset() : null,
                FiredCount = s.TryGetProperty("fired", out var fired) ? fired.GetInt32() : 0,
                TimerText = OptionalString(s, "timer"),
                TimerKind = s.TryGetProperty("timerKind", out var kind) ? Enum.Parse<TimerKind>(kind.GetString()!) : default,
            });
        }

        foreach (var i in root.GetProperty("incidents").EnumerateArray())
        {
            instance.Incidents.Add(new Incident(
                i.GetProperty("node").GetInt32(),
                i.GetProperty("el").GetString()!,
                i.GetProperty("type").GetString()!,
                i.GetProperty("msg").GetString()!,
                i.GetProperty("at").GetDateTimeOffset()));
        }

        return instance;
    }

    private static ExecutionNode ReadNode(JsonElement e, ProcessInstance instance, ExecutionNode? parent)
    {
        var elementId = e.GetProperty("el").GetString()!;
        BaseElement element = parent is null ? instance.Definition.Model : instance.Definition.Element(elementId);
        var node = new ExecutionNode(instance, e.GetProperty("id").GetInt32(), element, parent)
        {
            State = e.TryGetProperty("state", out var state) ? Enum.Parse<NodeState>(state.GetString()!) : NodeState.Running,
            Wait = e.TryGetProperty("wait", out var wait) ? Enum.Parse<WaitKind>(wait.GetString()!) : WaitKind.None,
            MultiInstance = e.TryGetProperty("mi", out var mi) ? Enum.Parse<MultiInstanceRole>(mi.GetString()!) : MultiInstanceRole.None,
            NextLoopCounter = e.TryGetProperty("loop", out var loop) ? loop.GetInt32() : 0,
            ArrivedBy = OptionalString(e, "by"),
            FailedOp = e.TryGetProperty("failedOp", out var failedOp) ? Enum.Parse<Step.Op>(failedOp.GetString()!) : null,
            CalledInstanceId = OptionalString(e, "called"),
        };
        if (e.TryGetProperty("vars", out var vars))
        {
            node.Variables = ReadMap(vars);
        }

        if (e.TryGetProperty("pending", out var pending))
        {
            node.PendingItems = (List<object?>?)ReadValue(pending);
        }

        if (e.TryGetProperty("task", out var task))
        {
            node.Task = new UserTaskState
            {
                TaskId = task.GetProperty("id").GetString()!,
                Assignee = OptionalString(task, "assignee"),
                CandidateUsers = ReadStrings(task, "users"),
                CandidateGroups = ReadStrings(task, "groups"),
                DueDate = task.TryGetProperty("due", out var due) ? due.GetDateTimeOffset() : null,
                FollowUpDate = task.TryGetProperty("followUp", out var followUp) ? followUp.GetDateTimeOffset() : null,
                Priority = task.GetProperty("prio").GetInt32(),
                FormKey = OptionalString(task, "form"),
                CreatedAt = task.GetProperty("created").GetDateTimeOffset(),
                Owner = OptionalString(task, "owner"),
                DelegationState = OptionalString(task, "delegation"),
            };
        }

        if (e.TryGetProperty("ext", out var ext))
        {
            node.External = new ExternalTaskState
            {
                Id = ext.GetProperty("id").GetString()!,
                Topic = ext.GetProperty("topic").GetString()!,
                Priority = ext.GetProperty("prio").GetInt64(),
                CreatedAt = ext.GetProperty("created").GetDateTimeOffset(),
                Retries = ext.TryGetProperty("retries", out var retries) ? retries.GetInt32() : null,
                ErrorMessage = OptionalString(ext, "error"),
                ErrorDetails = OptionalString(ext, "details"),
            };
        }

        if (e.TryGetProperty("children", out var children))
        {
            foreach (var child in children.EnumerateArray())
            {
                node.AddChild(ReadNode(child, instance, node));
            }
        }

        return node;
    }

    private static string[] ReadStrings(JsonElement e, string name)
        => e.TryGetProperty(name, out var array) ? [.. array.EnumerateArray().Select(i => i.GetString()!)] : [];

    private static string? OptionalString(JsonElement e, string name)
        => e.TryGetProperty(name, out var value) ? value.GetString() : null;

    internal static Dictionary<string, object?> ReadMap(JsonElement e)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in e.EnumerateObject())
        {
            map[property.Name] = ReadValue(property.Value);
        }

        return map;
    }

    private static object? ReadValue(JsonElement e)
    {
        var tag = e[0].GetString();
        return tag switch
        {
            "n" => null,
            "s" => e[1].GetString(),
            "b" => e[1].GetBoolean(),
            "l" => e[1].GetInt64(),
            "d" => e[1].GetDouble(),
            "D" => double.Parse(e[1].GetString()!, CultureInfo.InvariantCulture),
            "t" => e[1].GetDateTimeOffset(),
            "a" => e[1].EnumerateArray().Select(ReadValue).ToList(),
            "m" => ReadMap(e[1]),
            _ => throw new WorkflowException($"Unknown value tag '{tag}' in snapshot.") { Code = "invalid" },
        };
    }
}
