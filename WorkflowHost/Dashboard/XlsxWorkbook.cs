using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;

namespace ComplaintWorkflows.WorkflowHost.Dashboard;

/// <summary>A cell value for <see cref="XlsxWorkbook"/>: text, a number, a rate (shown as a percentage), a local date and time, or empty.</summary>
public readonly record struct XlsxCell(object? Value, XlsxCellStyle Style = XlsxCellStyle.Normal)
{
    public static implicit operator XlsxCell(string? text) => new(text);

    public static implicit operator XlsxCell(int number) => new(number);

    public static implicit operator XlsxCell(double number) => new(number);

    public static XlsxCell Rate(double? rate) => new(rate, XlsxCellStyle.Percent);

    public static XlsxCell Time(DateTime? local) => new(local, XlsxCellStyle.DateTime);

    public static XlsxCell ToXlsxCell(string? text) => new(text);
}

public enum XlsxCellStyle
{
    Normal,
    Header,
    Percent,
    DateTime,
}

/// <summary>
/// A small Office Open XML spreadsheet writer (SpreadsheetML in a zip package): sheets of rows, the first row bold,
/// text as inline strings (never formulas, so a cell reading <c>=HYPERLINK(...)</c> stays text), numbers, percentages
/// and dates with their number formats. Enough for the figures and complaint lists the dashboard exports.
/// </summary>
public sealed class XlsxWorkbook
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private readonly List<(string Name, IReadOnlyList<string> Header, List<IReadOnlyList<XlsxCell>> Rows)> _sheets = [];

    /// <summary>Adds a sheet (its name cut to Excel's 31 characters, without the characters Excel forbids) with a header row.</summary>
    public List<IReadOnlyList<XlsxCell>> AddSheet(string name, params IReadOnlyList<string> header)
    {
        var clean = new string([.. name.Where(c => "[]:*?/\\".IndexOf(c, StringComparison.Ordinal) < 0)]);
        clean = clean.Length == 0 ? $"Sheet{_sheets.Count + 1}" : clean[..Math.Min(clean.Length, 31)];
        var rows = new List<IReadOnlyList<XlsxCell>>();
        _sheets.Add((clean, header, rows));
        return rows;
    }

    public byte[] ToArray()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            Part(zip, "[Content_Types].xml", w =>
            {
                w.WriteStartElement("Types", "http://schemas.openxmlformats.org/package/2006/content-types");
                Default(w, "rels", "application/vnd.openxmlformats-package.relationships+xml");
                Default(w, "xml", "application/xml");
                Override(w, "/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml");
                Override(w, "/xl/styles.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml");
                for (var i = 1; i <= _sheets.Count; i++)
                {
                    Override(w, $"/xl/worksheets/sheet{i}.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml");
                }

                w.WriteEndElement();
            });
            Part(zip, "_rels/.rels", w => Relationships(w, [("rId1", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument", "xl/workbook.xml")]));
            Part(zip, "xl/workbook.xml", w =>
            {
                w.WriteStartElement("workbook", Main);
                w.WriteAttributeString("xmlns", "r", null, RelationshipsNamespace);
                w.WriteStartElement("sheets", Main);
                for (var i = 0; i < _sheets.Count; i++)
                {
                    w.WriteStartElement("sheet", Main);
                    w.WriteAttributeString("name", _sheets[i].Name);
                    w.WriteAttributeString("sheetId", (i + 1).ToString(CultureInfo.InvariantCulture));
                    w.WriteAttributeString("id", RelationshipsNamespace, $"rId{i + 1}");
                    w.WriteEndElement();
                }

                w.WriteEndElement();
                w.WriteEndElement();
            });
            Part(zip, "xl/_rels/workbook.xml.rels", w => Relationships(w, [
                .. _sheets.Select((_, i) => ($"rId{i + 1}", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet", $"worksheets/sheet{i + 1}.xml")),
                ($"rId{_sheets.Count + 1}", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles", "styles.xml")]));
            Part(zip, "xl/styles.xml", WriteStyles);
            for (var i = 0; i < _sheets.Count; i++)
            {
                var sheet = _sheets[i];
                Part(zip, $"xl/worksheets/sheet{i + 1}.xml", w => WriteSheet(w, sheet.Header, sheet.Rows));
            }
        }

        return buffer.ToArray();
    }

    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string RelationshipsNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    private static void WriteSheet(XmlWriter w, IReadOnlyList<string> header, List<IReadOnlyList<XlsxCell>> rows)
    {
        w.WriteStartElement("worksheet", Main);
        var columns = Math.Max(header.Count, rows.Count == 0 ? 0 : rows.Max(r => r.Count));
        if (columns > 0)
        {
            w.WriteStartElement("cols", Main);
            for (var c = 1; c <= columns; c++)
            {
                w.WriteStartElement("col", Main);
                w.WriteAttributeString("min", c.ToString(CultureInfo.InvariantCulture));
                w.WriteAttributeString("max", c.ToString(CultureInfo.InvariantCulture));
                w.WriteAttributeString("width", "18");
                w.WriteAttributeString("customWidth", "1");
                w.WriteEndElement();
            }

            w.WriteEndElement();
        }

        w.WriteStartElement("sheetData", Main);
        WriteRow(w, 1, [.. header.Select(h => new XlsxCell(h, XlsxCellStyle.Header))]);
        for (var r = 0; r < rows.Count; r++)
        {
            WriteRow(w, r + 2, rows[r]);
        }

        w.WriteEndElement();
        w.WriteEndElement();
    }

    private static void WriteRow(XmlWriter w, int number, IReadOnlyList<XlsxCell> cells)
    {
        w.WriteStartElement("row", Main);
        w.WriteAttributeString("r", number.ToString(CultureInfo.InvariantCulture));
        for (var c = 0; c < cells.Count; c++)
        {
            var cell = cells[c];
            if (cell.Value is null)
            {
                continue;
            }

            w.WriteStartElement("c", Main);
            w.WriteAttributeString("r", ColumnName(c) + number.ToString(CultureInfo.InvariantCulture));
            var style = cell.Style switch
            {
                XlsxCellStyle.Header => "1",
                XlsxCellStyle.Percent => "2",
                XlsxCellStyle.DateTime => "3",
                _ => null,
            };
            if (style is not null)
            {
                w.WriteAttributeString("s", style);
            }

            switch (cell.Value)
            {
                case string text:
                    w.WriteAttributeString("t", "inlineStr");
                    w.WriteStartElement("is", Main);
                    w.WriteStartElement("t", Main);
                    w.WriteAttributeString("xml", "space", null, "preserve");
                    w.WriteString(XmlSafe(text));
                    w.WriteEndElement();
                    w.WriteEndElement();
                    break;
                case bool flag:
                    w.WriteAttributeString("t", "b");
                    w.WriteElementString("v", Main, flag ? "1" : "0");
                    break;
                case DateTime time:
                    w.WriteElementString("v", Main, time.ToOADate().ToString("R", CultureInfo.InvariantCulture));
                    break;
                case IConvertible convertible:
                    w.WriteElementString("v", Main, convertible.ToDouble(CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture));
                    break;
                default:
                    throw new ArgumentException($"Unsupported cell value {cell.Value.GetType()}.", nameof(cells));
            }

            w.WriteEndElement();
        }

        w.WriteEndElement();
    }

    private static void WriteStyles(XmlWriter w)
    {
        w.WriteStartElement("styleSheet", Main);
        w.WriteStartElement("numFmts", Main);
        w.WriteAttributeString("count", "1");
        w.WriteStartElement("numFmt", Main);
        w.WriteAttributeString("numFmtId", "164");
        w.WriteAttributeString("formatCode", "yyyy-mm-dd hh:mm");
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteStartElement("fonts", Main);
        w.WriteAttributeString("count", "2");
        w.WriteStartElement("font", Main);
        w.WriteEndElement();
        w.WriteStartElement("font", Main);
        w.WriteStartElement("b", Main);
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteRaw("<fills count=\"1\"><fill><patternFill patternType=\"none\"/></fill></fills><borders count=\"1\"><border/></borders><cellStyleXfs count=\"1\"><xf/></cellStyleXfs>");
        w.WriteRaw("<cellXfs count=\"4\"><xf numFmtId=\"0\" fontId=\"0\"/><xf numFmtId=\"0\" fontId=\"1\" applyFont=\"1\"/><xf numFmtId=\"10\" fontId=\"0\" applyNumberFormat=\"1\"/><xf numFmtId=\"164\" fontId=\"0\" applyNumberFormat=\"1\"/></cellXfs>");
        w.WriteEndElement();
    }

    private static void Part(ZipArchive zip, string name, Action<XmlWriter> write)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Fastest);
        using var stream = entry.Open();
        using var writer = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false) });
        writer.WriteStartDocument(true);
        write(writer);
        writer.WriteEndDocument();
    }

    private static void Default(XmlWriter w, string extension, string type)
    {
        w.WriteStartElement("Default", "http://schemas.openxmlformats.org/package/2006/content-types");
        w.WriteAttributeString("Extension", extension);
        w.WriteAttributeString("ContentType", type);
        w.WriteEndElement();
    }

    private static void Override(XmlWriter w, string part, string type)
    {
        w.WriteStartElement("Override", "http://schemas.openxmlformats.org/package/2006/content-types");
        w.WriteAttributeString("PartName", part);
        w.WriteAttributeString("ContentType", type);
        w.WriteEndElement();
    }

    private static void Relationships(XmlWriter w, IEnumerable<(string Id, string Type, string Target)> relationships)
    {
        const string ns = "http://schemas.openxmlformats.org/package/2006/relationships";
        w.WriteStartElement("Relationships", ns);
        foreach (var (id, type, target) in relationships)
        {
            w.WriteStartElement("Relationship", ns);
            w.WriteAttributeString("Id", id);
            w.WriteAttributeString("Type", type);
            w.WriteAttributeString("Target", target);
            w.WriteEndElement();
        }

        w.WriteEndElement();
    }

    /// <summary>A, B, ... Z, AA, AB ... for a zero-based column index.</summary>
    internal static string ColumnName(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + ((n - 1) % 26)) + name;
        }

        return name;
    }

    /// <summary>Characters XML 1.0 cannot carry (control characters a consumer pasted) are dropped.</summary>
    private static string XmlSafe(string text)
    {
        var safe = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (XmlConvert.IsXmlChar(text[i]))
            {
                safe.Append(text[i]);
            }
            else if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i]))
            {
                safe.Append(text, i, 2);
                i++;
            }
        }

        return safe.ToString();
    }
}
