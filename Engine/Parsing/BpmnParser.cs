using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using ComplaintWorkflows.Engine.Expressions;
using ComplaintWorkflows.Engine.Model;

namespace ComplaintWorkflows.Engine.Parsing;

/// <summary>
/// Reads BPMN 2.0 XML (OMG MODEL namespace, Camunda 7 extensions; Activiti and Flowable extension
/// attributes are read as their Camunda twins) into an immutable <see cref="BpmnDefinitions"/>.
/// The XML is read safely: no DTD, no external entities, a size limit. A file with errors gives no
/// model, and every error found is reported with element id, type and line. Expressions are prepared here,
/// once per definition.
/// </summary>
public sealed partial class BpmnParser(ExpressionEngine expressions, BpmnParserOptions? options = null)
{
    internal const string BpmnNs = "http://www.omg.org/spec/BPMN/20100524/MODEL";
    internal const string CamundaNs = "http://camunda.org/schema/1.0/bpmn";
    private const string ActivitiNs = "http://activiti.org/bpmn";
    private const string FlowableNs = "http://flowable.org/bpmn";
    private const string XsiNs = "http://www.w3.org/2001/XMLSchema-instance";

    private readonly BpmnParserOptions _options = options ?? new BpmnParserOptions();

    public ParseResult Parse(string xml, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(xml);
        using var reader = new StringReader(xml);
        return Parse(reader, sourceName);
    }

    /// <summary>Reads a file's bytes, honouring the encoding its XML declaration names (GBK and GB18030 included).</summary>
    public ParseResult Parse(Stream xml, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(xml);
        EnsureChineseEncodings();
        return Parse(settings => XmlReader.Create(xml, settings), sourceName);
    }

    private ParseResult Parse(TextReader text, string? sourceName) => Parse(settings => XmlReader.Create(text, settings), sourceName);

    /// <summary>GBK/GB2312/GB18030 are not built into .NET; registering the code-page provider is idempotent.</summary>
    private static void EnsureChineseEncodings() => System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);

    private ParseResult Parse(Func<XmlReaderSettings, XmlReader> open, string? sourceName)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = _options.MaxDocumentCharacters,
            MaxCharactersFromEntities = 1024,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
        };
        XDocument document;
        try
        {
            using var reader = new DepthLimitingXmlReader(open(settings), _options.MaxElementDepth);
            document = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlTooDeepException ex)
        {
            return new ParseResult(null, [new ValidationFinding(FindingSeverity.Error, "nesting-too-deep", $"Elements are nested more than {ex.Limit} levels deep; a BPMN file needs far fewer.", null, null, ex.LineNumber)]);
        }
        catch (XmlException ex)
        {
            var message = ex.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase)
                ? "DTDs and entity declarations are not accepted in BPMN files."
                : ex.Message.Contains("exceeds", StringComparison.OrdinalIgnoreCase) || ex.Message.Contains("MaxCharacters", StringComparison.Ordinal)
                    ? $"The file is larger than the limit of {_options.MaxDocumentCharacters:N0} characters."
                    : ex.Message;
            return new ParseResult(null, [new ValidationFinding(FindingSeverity.Error, "xml-malformed", message, null, null, ex.LineNumber)]);
        }

        var root = document.Root!;
        if (root.Name != XName.Get("definitions", BpmnNs))
        {
            return new ParseResult(null,
            [
                new ValidationFinding(FindingSeverity.Error, "not-bpmn", $"The root element is <{root.Name.LocalName}> in namespace '{root.Name.NamespaceName}', not <definitions> in the BPMN 2.0 namespace {BpmnNs}.", null, root.Name.LocalName, LineOf(root)),
            ]);
        }

        var context = new ParseContext(expressions, sourceName, _options.MaxNestingDepth);
        var definitions = context.ReadDefinitions(root);
        return context.Findings.Any(f => f.IsError)
            ? new ParseResult(null, context.Findings)
            : new ParseResult(definitions, context.Findings);
    }

    internal static int LineOf(XObject element) => element is IXmlLineInfo info && info.HasLineInfo() ? info.LineNumber : 0;

    internal static XName Bpmn(string localName) => XName.Get(localName, BpmnNs);

    /// <summary>A Camunda extension attribute, also accepted in the Activiti and Flowable namespaces.</summary>
    internal static string? Ext(XElement element, string localName)
        => (string?)element.Attribute(XName.Get(localName, CamundaNs))
        ?? (string?)element.Attribute(XName.Get(localName, FlowableNs))
        ?? (string?)element.Attribute(XName.Get(localName, ActivitiNs));

    internal static bool IsExtensionNamespace(XNamespace ns) => ns == CamundaNs || ns == FlowableNs || ns == ActivitiNs;

    internal static bool IsXsiType(XAttribute attribute) => attribute.Name == XName.Get("type", XsiNs);
}
