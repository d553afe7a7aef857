using System.Xml.Linq;
using ComplaintWorkflows.Engine.Expressions;
using ComplaintWorkflows.Engine.Model;
using static ComplaintWorkflows.Engine.Parsing.BpmnParser;

namespace ComplaintWorkflows.Engine.Parsing;

/// <summary>One import: the root elements seen, every id, and the findings so far.</summary>
internal sealed partial class ParseContext(ExpressionEngine expressions, string? sourceName, int maxNestingDepth)
{
    /// <summary>The longest id accepted (the length Camunda's tables allow).</summary>
    internal const int MaxIdLength = 255;

    /// <summary>How many sub-processes enclose the container being read.</summary>
    private int _nesting;

    // Where the rest of the import lives (each a part of this class):
    //   ParseContext.Containers.cs  the flow nodes of a process or sub-process, its sequence flows, defaults and boundary attachments
    //   ParseContext.Nodes.cs       one flow node: events, tasks, gateways, sub-processes, call activities, multi-instance
    //   ParseContext.Events.cs      event definitions (message, signal, timer, error, escalation, ...) and message references
    //   ParseContext.Values.cs      conditions, expressions and scripts, camunda input/output parameters and properties

    /// <summary>Elements of the BPMN namespace that carry no execution meaning and are skipped quietly.</summary>
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal)
    {
        "documentation", "extensionElements", "laneSet", "lane", "textAnnotation", "association", "group",
        "dataObject", "dataObjectReference", "dataStoreReference", "dataStore", "ioSpecification", "property",
        "dataInputAssociation", "dataOutputAssociation", "category", "categoryValue", "auditing", "monitoring",
        "incoming", "outgoing", "sequenceFlow", "inputSet", "outputSet", "dataInput", "dataOutput",
        "resourceRole", "performer", "humanPerformer", "potentialOwner", "correlationSubscription", "supportedInterfaceRef",
    };

    private readonly Dictionary<string, MessageRef> _messages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string? Name, string Line)> _signalNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string? Code, string? Name)> _errors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _escalations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, XElement> _ids = new(StringComparer.Ordinal);
    private readonly List<ValidationFinding> _notes = [];
    private string? _processId;

    public List<ValidationFinding> Findings { get; } = [];

    public BpmnDefinitions ReadDefinitions(XElement root)
    {
        CollectIds(root);
        foreach (var element in root.Elements())
        {
            if (element.Name.Namespace != BpmnNs)
            {
                continue;
            }

            var id = (string?)element.Attribute("id");
            switch (element.Name.LocalName)
            {
                case "message" when id is not null:
                    var name = (string?)element.Attribute("name") ?? id;
                    _messages[id] = new MessageRef { Id = id, Name = Prepare(name, element, "name") ?? Literal(id) };
                    break;
                case "signal" when id is not null:
                    _signalNames[id] = ((string?)element.Attribute("name"), id);
                    break;
                case "error" when id is not null:
                    _errors[id] = ((string?)element.Attribute("errorCode"), (string?)element.Attribute("name"));
                    break;
                case "escalation" when id is not null:
                    _escalations[id] = (string?)element.Attribute("escalationCode");
                    break;
            }
        }

        var processes = new List<ProcessModel>();
        foreach (var element in root.Elements(Bpmn("process")))
        {
            processes.Add(ReadProcess(element));
        }

        if (processes.Count == 0)
        {
            Findings.Add(new ValidationFinding(FindingSeverity.Warning, "no-process", "The file contains no process.", (string?)root.Attribute("id"), "definitions", LineOf(root)));
        }

        return new BpmnDefinitions
        {
            Id = (string?)root.Attribute("id") ?? "",
            TargetNamespace = (string?)root.Attribute("targetNamespace"),
            Processes = processes,
            SourceName = sourceName,
            ExecutionNotes = _notes,
        };
    }

    private void CollectIds(XElement root)
    {
        foreach (var element in root.Descendants())
        {
            // What a vendor keeps in its extension elements is its own business: ids there are not BPMN ids.
            if (element.Name.Namespace != BpmnNs || (string?)element.Attribute("id") is not { } id || element.Ancestors(Bpmn("extensionElements")).Any())
            {
                continue;
            }

            if (id.Length > MaxIdLength)
            {
                Error("id-too-long", $"An id of {id.Length:N0} characters ('{id[..40]}...'); at most {MaxIdLength} are accepted.", element);
            }

            if (!_ids.TryAdd(id, element))
            {
                Error("duplicate-id", $"Id '{id}' is used again; it was first used on line {LineOf(_ids[id])}.", element);
            }
        }
    }

    private ProcessModel ReadProcess(XElement element)
    {
        _processId = (string?)element.Attribute("id");
        if (_processId is null)
        {
            Error("missing-id", "A process has no id.", element);
            _processId = "";
        }

        var all = new Dictionary<string, BaseElement>(StringComparer.Ordinal);
        var process = new ProcessModel
        {
            Id = _processId,
            Name = (string?)element.Attribute("name"),
            TypeName = "process",
            Kind = ElementKind.Process,
            Line = LineOf(element),
            IsExecutable = string.Equals((string?)element.Attribute("isExecutable"), "true", StringComparison.OrdinalIgnoreCase),
            VersionTag = Ext(element, "versionTag"),
            Properties = ReadProperties(element),
        };
        all[process.Id] = process;
        ReadListeners(element, process);
        process.Container = ReadContainer(element, process, all);
        process.ElementsById = all;
        return process;
    }

    private void Error(string code, string message, XElement element, XElement? owner = null)
    {
        var subject = FindSubject(owner ?? element);
        var process = element.AncestorsAndSelf(Bpmn("process")).FirstOrDefault();
        Findings.Add(new ValidationFinding(FindingSeverity.Error, code, message, Short((string?)subject.Attribute("id")), subject.Name.LocalName, LineOf(element), Short((string?)process?.Attribute("id") ?? _processId)));
    }

    /// <summary>A finding that matters only for execution: kept for the executable validation.</summary>
    private void Note(FindingSeverity severity, string code, string message, XElement element, XElement at)
        => _notes.Add(new ValidationFinding(severity, code, message, Short((string?)element.Attribute("id")), element.Name.LocalName, LineOf(at), Short(_processId)));

    /// <summary>An id as a finding names it: one too long to be accepted is cut (its finding says so), so no finding repeats megabytes of input.</summary>
    private static string? Short(string? id) => id is { Length: > MaxIdLength } ? id[..40] + "..." : id;

    /// <summary>The nearest element with an id, so a finding on a nested part names its flow node.</summary>
    private static XElement FindSubject(XElement element)
    {
        for (var e = element; e is not null; e = e.Parent)
        {
            if (e.Attribute("id") is not null && e.Name.Namespace == BpmnNs)
            {
                return e;
            }
        }

        return element;
    }
}
