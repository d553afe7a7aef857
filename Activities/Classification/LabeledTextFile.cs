using System.Text;

namespace ComplaintWorkflows.Activities.Classification;

/// <summary>A <c>text&lt;TAB&gt;label</c> file: its examples and the lines that could not be read.</summary>
public sealed record LabeledTextFile(IReadOnlyList<LabeledText> Examples, IReadOnlyList<string> Problems)
{
    /// <summary>
    /// Reads a UTF-8 file of <c>text&lt;TAB&gt;label</c> lines: empty lines are skipped, and a first line whose
    /// label column is literally <c>label</c> is a header. Lines without exactly one tab, or with an empty
    /// text or label, are reported by line number.
    /// </summary>
    public static LabeledTextFile Read(string path)
    {
        var examples = new List<LabeledText>();
        var problems = new List<string>();
        var number = 0;
        var first = true;
        foreach (var raw in File.ReadLines(path, Encoding.UTF8))
        {
            number++;
            var line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var columns = line.Split('\t');
            if (first && columns.Length == 2 && columns[1].Trim() == "label")
            {
                first = false;
                continue;
            }

            first = false;
            if (columns.Length != 2)
            {
                problems.Add($"{path}:{number}: 应为“文本<TAB>标签”两列，实际 {columns.Length} 列 (expected text<TAB>label, found {columns.Length} column(s))");
                continue;
            }

            var text = columns[0].Trim();
            var label = columns[1].Trim();
            if (text.Length == 0 || label.Length == 0)
            {
                problems.Add($"{path}:{number}: 文本或标签为空 (empty {(text.Length == 0 ? "text" : "label")})");
                continue;
            }

            examples.Add(new LabeledText(text, label));
        }

        return new LabeledTextFile(examples, problems);
    }
}
