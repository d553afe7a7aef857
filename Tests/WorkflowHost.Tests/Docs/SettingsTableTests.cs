using System.Text;

namespace ComplaintWorkflows.WorkflowHost.Tests.Docs;

/// <summary>
/// The settings table of <c>docs/operations.md</c> against the options classes the host binds: every setting is in the
/// table once, the table names no setting that does not exist, and each row's type and default are the options
/// class's. With <c>COMPLAINTWORKFLOWS_UPDATE_DOCS=1</c> the test writes the table instead (keys, types and defaults
/// from the classes, each meaning kept from the table; a new setting's meaning is left for a person to write).
/// </summary>
public sealed class SettingsTableTests
{
    private const string Begin = "<!-- settings-table:begin (generated: see docs/development.md; write only the Meaning column) -->";
    private const string End = "<!-- settings-table:end -->";
    private const string Header = "| Key | Type | Default | Meaning |\n|---|---|---|---|";
    private const string Undescribed = "TODO: describe";

    [Fact]
    public void SettingsTable_ListsEverySettingOfTheBoundOptionsOnce_WithItsTypeAndDefault()
    {
        var path = Path.Combine(RepositoryRoot(), "docs", "operations.md");
        var document = File.ReadAllText(path).ReplaceLineEndings("\n");
        var (before, rows, after) = Split(document);
        var meanings = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var row in rows)
        {
            if (!meanings.TryAdd(row.Key, row.Meaning))
            {
                problems.Add($"{row.Key} is in the table twice.");
            }
        }

        var settings = SettingsCatalogue.All();
        var expected = Render(settings, meanings);
        if (Environment.GetEnvironmentVariable("COMPLAINTWORKFLOWS_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, before + expected + after);
            return;
        }

        var known = settings.ToDictionary(s => s.Key, StringComparer.Ordinal);
        problems.AddRange(settings.Where(s => !meanings.ContainsKey(s.Key)).Select(s => $"{s.Key} is missing from the table."));
        foreach (var row in rows)
        {
            if (!known.TryGetValue(row.Key, out var setting))
            {
                problems.Add($"{row.Key} is in the table, but no bound options class has it.");
                continue;
            }

            if (row.Type != setting.Type)
            {
                problems.Add($"{row.Key}: the table says type {row.Type}, the options class {setting.Type}.");
            }

            if (row.Default != setting.Default)
            {
                problems.Add($"{row.Key}: the table says default {row.Default}, a default-constructed options object has {setting.Default}.");
            }

            if (row.Meaning.Length == 0 || row.Meaning.StartsWith(Undescribed, StringComparison.Ordinal))
            {
                problems.Add($"{row.Key} has no meaning written.");
            }
        }

        if (problems.Count == 0 && before + expected + after != document)
        {
            problems.Add("The rows are not in the order of the options classes.");
        }

        Assert.True(problems.Count == 0, "docs/operations.md's settings table disagrees with the options classes (regenerate it: see docs/development.md):\n" + string.Join("\n", problems));
    }

    /// <summary>Settings the binder cannot set from text (the table says so); when one becomes settable, update its row and this list.</summary>
    private static readonly string[] NotSettable = ["Workflows:Engine:TimeZone"];

    [Fact]
    public void EverySetting_IsReadFromItsKey_ExceptThoseTheTableCallsNotSettable()
    {
        var probed = SettingsCatalogue.Probe();

        Assert.NotEmpty(probed);
        var ignored = probed.Where(p => p.Bound != p.Probe).Select(p => p.Key).ToList();
        Assert.Equal(NotSettable, ignored);
    }

    [Fact]
    public void BoundSections_AreUnderWorkflows_AndEachOnce()
    {
        var sections = SettingsCatalogue.BoundSections();

        Assert.Contains(sections, s => s.Section == "Workflows:Engine");
        Assert.All(sections, s => Assert.True(s.Section == "Workflows" || s.Section.StartsWith("Workflows:", StringComparison.Ordinal), s.Section));
        Assert.Equal(sections.Count, sections.Select(s => s.Section).Distinct(StringComparer.Ordinal).Count());
    }

    private sealed record Row(string Key, string Type, string Default, string Meaning);

    private static string Render(IReadOnlyList<Setting> settings, Dictionary<string, string> meanings)
    {
        var text = new StringBuilder(Begin).Append('\n').Append(Header).Append('\n');
        foreach (var setting in settings)
        {
            var meaning = meanings.TryGetValue(setting.Key, out var written) && written.Length > 0 ? written : $"{Undescribed} ({setting.Source})";
            text.Append("| `").Append(setting.Key).Append("` | ").Append(Escape(setting.Type)).Append(" | ").Append(Escape(setting.Default)).Append(" | ").Append(Escape(meaning)).Append(" |\n");
        }

        return text.Append(End).ToString();
    }

    private static string Escape(string cell) => cell.Replace("|", "\\|", StringComparison.Ordinal);

    /// <summary>The document before the table, the table's rows, and the document from the end marker on.</summary>
    private static (string Before, List<Row> Rows, string After) Split(string document)
    {
        var begin = document.IndexOf("<!-- settings-table:begin", StringComparison.Ordinal);
        var end = document.IndexOf(End, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, "docs/operations.md has no settings table between its markers.");
        var rows = new List<Row>();
        foreach (var line in document[begin..end].Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)))
        {
            var cells = Cells(line);
            Assert.True(cells.Count == 4, $"A settings row has {cells.Count} cells instead of 4: {line}");
            rows.Add(new Row(cells[0].Trim('`'), cells[1], cells[2], cells[3]));
        }

        return (document[..begin], rows, document[(end + End.Length)..]);
    }

    /// <summary>A table row's cells, trimmed, with <c>\|</c> inside a cell kept as <c>|</c>.</summary>
    private static List<string> Cells(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        for (var i = 1; i < line.Length; i++)
        {
            if (line[i] == '\\' && i + 1 < line.Length && line[i + 1] == '|')
            {
                cell.Append('|');
                i++;
            }
            else if (line[i] == '|')
            {
                cells.Add(cell.ToString().Trim());
                cell.Clear();
            }
            else
            {
                cell.Append(line[i]);
            }
        }

        return cells;
    }

    /// <summary>The folder of ComplaintWorkflows.sln above the test binaries (also the deployment files' tests').</summary>
    internal static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ComplaintWorkflows.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No ComplaintWorkflows.sln above {AppContext.BaseDirectory}.");
    }
}
