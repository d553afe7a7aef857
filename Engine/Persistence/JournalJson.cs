using System.Text;
using System.Text.Json;
using ComplaintWorkflows.Engine.Runtime;

namespace ComplaintWorkflows.Engine.Persistence;

/// <summary>Journal entries as a compact JSON array of arrays: [sequence, at (Unix ms), kind, node, element, type, user, detail].</summary>
internal static class JournalJson
{
    public static string Write(IReadOnlyList<JournalEntry> entries)
    {
        return CompactJson.Write(entries, static (w, entries) =>
        {
            w.WriteStartArray();
            foreach (var e in entries)
            {
                w.WriteStartArray();
                w.WriteNumberValue(e.Sequence);
                w.WriteNumberValue(e.At.ToUnixTimeMilliseconds());
                w.WriteNumberValue((int)e.Kind);
                w.WriteNumberValue(e.NodeId);
                w.WriteStringValue(e.ElementId);
                w.WriteStringValue(e.ElementType);
                WriteOptional(w, e.UserId);
                WriteOptional(w, e.Detail);
                w.WriteEndArray();
            }

            w.WriteEndArray();
        });
    }

    public static IEnumerable<JournalEntry> Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        var entries = new List<JournalEntry>(document.RootElement.GetArrayLength());
        foreach (var e in document.RootElement.EnumerateArray())
        {
            entries.Add(new JournalEntry(
                e[0].GetInt64(),
                DateTimeOffset.FromUnixTimeMilliseconds(e[1].GetInt64()),
                (JournalKind)e[2].GetInt32(),
                e[3].GetInt32(),
                e[4].GetString()!,
                e[5].GetString()!,
                e[6].GetString(),
                e[7].GetString()));
        }

        return entries;
    }

    private static void WriteOptional(Utf8JsonWriter w, string? value)
    {
        if (value is null)
        {
            w.WriteNullValue();
        }
        else
        {
            w.WriteStringValue(value);
        }
    }
}
