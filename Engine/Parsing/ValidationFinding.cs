using ComplaintWorkflows.Engine.Model;

namespace ComplaintWorkflows.Engine.Parsing;

/// <summary>
/// How much a finding matters: an error stops the file from being deployed; a warning is something the engine
/// does differently from what the file may mean (or a guess it made, such as a generated id); an info says what the
/// importer did with something it accepted (a JUEL expression translated to JavaScript).
/// </summary>
public enum FindingSeverity
{
    Error,
    Warning,
    Info,
}

/// <summary>
/// Something wrong or noteworthy in a BPMN file: what (a stable <see cref="Code"/> and a message a
/// person can act on) and where (element id and type, line, process).
/// </summary>
public sealed record ValidationFinding(
    FindingSeverity Severity,
    string Code,
    string Message,
    string? ElementId,
    string? ElementType,
    int Line,
    string? ProcessId = null)
{
    /// <summary>Longest message kept: one quoting a very long value of the file (a 40,000-character id) is cut.</summary>
    public const int MaxMessageLength = 2000;

    /// <summary>The message, cut after <see cref="MaxMessageLength"/> characters with its full length noted.</summary>
    public string Message { get; init; } = Message.Length <= MaxMessageLength ? Message : $"{Message[..MaxMessageLength]}… ({Message.Length} characters)";

    public bool IsError => Severity == FindingSeverity.Error;

    /// <summary>The level as a lower-case word (<c>error</c>, <c>warning</c>, <c>info</c>), as the command line and the designer show it.</summary>
    public string Level => Severity switch
    {
        FindingSeverity.Error => "error",
        FindingSeverity.Warning => "warning",
        _ => "info",
    };

    public override string ToString()
    {
        var where = Line > 0 ? $"line {Line} " : "";
        var what = ElementId is null ? "" : $"{ElementType ?? "element"} '{ElementId}': ";
        return $"{Level} {Code} {where}{what}{Message}";
    }

    internal static ValidationFinding At(FindingSeverity severity, string code, string message, BaseElement element, string? processId)
        => new(severity, code, message, element.Id, element.TypeName, element.Line, processId);
}

/// <summary>The outcome of reading a file: the model when it has no errors, and every finding.</summary>
public sealed record ParseResult(BpmnDefinitions? Definitions, IReadOnlyList<ValidationFinding> Findings)
{
    public bool HasErrors => Findings.Any(f => f.IsError);
}

/// <summary>Limits on what the importer reads.</summary>
public sealed class BpmnParserOptions
{
    /// <summary>Largest document accepted, in characters.</summary>
    public long MaxDocumentCharacters { get; set; } = 10 * 1024 * 1024;

    /// <summary>
    /// Deepest nesting of sub-processes accepted (a file nesting thousands deep would exhaust the importer's stack and
    /// end the process); deeper ones are refused with <c>nesting-too-deep</c> naming the sub-process.
    /// </summary>
    public int MaxNestingDepth { get; set; } = 32;

    /// <summary>Deepest nesting of XML elements accepted (reading grows with the square of the depth); deeper files are refused with <c>nesting-too-deep</c> and the line.</summary>
    public int MaxElementDepth { get; set; } = 256;
}
