using System.Text;
using System.Text.Json;
using ComplaintWorkflows.Engine.Persistence;

namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>A post action as a row of the outbox: JSON with a type tag and typed variables (as in snapshots).</summary>
internal static class PostActionJson
{
    public static string Write(PostAction action)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            switch (action)
            {
                case PostAction.StartCalled a:
                    w.WriteString("t", "start");
                    w.WriteString("child", a.ChildId);
                    w.WriteString("key", a.Key);
                    if (a.Version is { } version)
                    {
                        w.WriteNumber("version", version);
                    }

                    Vars(w, a.Variables);
                    Optional(w, "bk", a.BusinessKey);
                    Caller(w, a.ParentInstanceId, a.ParentNodeId);
                    break;
                case PostAction.ResumeCaller a:
                    w.WriteString("t", "resume");
                    w.WriteString("child", a.ChildId);
                    Vars(w, a.Variables);
                    Caller(w, a.ParentInstanceId, a.ParentNodeId);
                    break;
                case PostAction.ErrorToCaller a:
                    w.WriteString("t", "error");
                    w.WriteString("code", a.Code);
                    w.WriteString("message", a.Message);
                    Caller(w, a.ParentInstanceId, a.ParentNodeId);
                    break;
                case PostAction.EscalationToCaller a:
                    w.WriteString("t", "escalation");
                    w.WriteString("code", a.Code);
                    Caller(w, a.ParentInstanceId, a.ParentNodeId);
                    break;
                case PostAction.TerminateInstance a:
                    w.WriteString("t", "terminate");
                    w.WriteString("instance", a.InstanceId);
                    break;
                case PostAction.SendMessage a:
                    w.WriteString("t", "message");
                    w.WriteString("name", a.Name);
                    Optional(w, "key", a.CorrelationKey);
                    Vars(w, a.Variables);
                    w.WriteString("from", a.FromInstanceId);
                    w.WriteString("element", a.FromElementId);
                    break;
                case PostAction.BroadcastSignal a:
                    w.WriteString("t", "signal");
                    w.WriteString("name", a.Name);
                    Vars(w, a.Variables);
                    break;
                case PostAction.ChangeTimers a:
                    w.WriteString("t", "timers");
                    w.WriteStartArray("schedule");
                    foreach (var timer in a.Scheduled)
                    {
                        w.WriteStartObject();
                        w.WriteNumber("due", timer.DueAt.ToUnixTimeMilliseconds());
                        Optional(w, "instance", timer.InstanceId);
                        w.WriteNumber("sub", timer.SubscriptionId);
                        w.WriteString("def", timer.DefinitionId);
                        w.WriteString("element", timer.ElementId);
                        w.WriteNumber("fired", timer.FiredCount);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                    w.WriteStartArray("remove");
                    foreach (var id in a.Removed)
                    {
                        w.WriteStringValue(id);
                    }

                    w.WriteEndArray();
                    break;
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static PostAction Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        var e = document.RootElement;
        string S(string name) => e.GetProperty(name).GetString()!;
        string? O(string name) => e.TryGetProperty(name, out var v) ? v.GetString() : null;
        Dictionary<string, object?> V() => InstanceSnapshot.ReadMap(e.GetProperty("vars"));
        int Node() => e.GetProperty("node").GetInt32();
        return S("t") switch
        {
            "start" => new PostAction.StartCalled(S("child"), S("key"), e.TryGetProperty("version", out var v) ? v.GetInt32() : null, V(), O("bk"), S("parent"), Node()),
            "resume" => new PostAction.ResumeCaller(S("parent"), Node(), S("child"), V()),
            "error" => new PostAction.ErrorToCaller(S("parent"), Node(), S("code"), S("message")),
            "escalation" => new PostAction.EscalationToCaller(S("parent"), Node(), S("code")),
            "terminate" => new PostAction.TerminateInstance(S("instance")),
            "message" => new PostAction.SendMessage(S("name"), O("key"), V(), S("from"), S("element")),
            "signal" => new PostAction.BroadcastSignal(S("name"), V()),
            "timers" => new PostAction.ChangeTimers(
                [.. e.GetProperty("schedule").EnumerateArray().Select(t => new DueTimer(
                    DateTimeOffset.FromUnixTimeMilliseconds(t.GetProperty("due").GetInt64()),
                    t.TryGetProperty("instance", out var i) ? i.GetString() : null,
                    t.GetProperty("sub").GetInt32(),
                    t.GetProperty("def").GetString()!,
                    t.GetProperty("element").GetString()!,
                    t.GetProperty("fired").GetInt32()))],
                [.. e.GetProperty("remove").EnumerateArray().Select(r => r.GetString()!)]),
            var other => throw new WorkflowException($"Unknown outbox entry type '{other}'.") { Code = "invalid" },
        };
    }

    private static void Vars(Utf8JsonWriter w, IReadOnlyDictionary<string, object?> variables)
    {
        w.WritePropertyName("vars");
        InstanceSnapshot.WriteMap(w, variables);
    }

    private static void Caller(Utf8JsonWriter w, string parent, int node)
    {
        w.WriteString("parent", parent);
        w.WriteNumber("node", node);
    }

    private static void Optional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }
}
