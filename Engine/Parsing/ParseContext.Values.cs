using System.Xml.Linq;
using ComplaintWorkflows.Engine.Expressions;
using ComplaintWorkflows.Engine.Model;
using static ComplaintWorkflows.Engine.Parsing.BpmnParser;

namespace ComplaintWorkflows.Engine.Parsing;

/// <summary>Values read from attributes and extension elements: conditions, expressions and scripts, camunda input/output parameters and properties.</summary>
internal sealed partial class ParseContext
{
    private Expression? ReadCondition(XElement condition, XElement flow)
    {
        var text = condition.Value.Trim();
        if (text.Length == 0)
        {
            return null;
        }

        // Without a language the text is a ${...} expression as in Camunda 7; with one, it is a script.
        var language = (string?)condition.Attribute("language");
        return language is null ? Prepare(text, flow, "conditionExpression") : PrepareScript(text, language, flow, "conditionExpression");
    }

    private (IReadOnlyList<IoParameter> Inputs, IReadOnlyList<IoParameter> Outputs) ReadInputOutput(XElement e)
    {
        var io = e.Element(Bpmn("extensionElements"))?.Elements().FirstOrDefault(x => x.Name.LocalName == "inputOutput" && IsExtensionNamespace(x.Name.Namespace));
        if (io is null)
        {
            return ([], []);
        }

        var inputs = new List<IoParameter>();
        var outputs = new List<IoParameter>();
        foreach (var parameter in io.Elements())
        {
            var name = (string?)parameter.Attribute("name");
            if (name is null)
            {
                Error("missing-name", $"A camunda:{parameter.Name.LocalName} has no name.", parameter, e);
                continue;
            }

            var value = ReadIoValue(parameter, e);
            (parameter.Name.LocalName == "inputParameter" ? inputs : outputs).Add(new IoParameter { Name = name, Value = value });
        }

        return (inputs, outputs);
    }

    private IoValue ReadIoValue(XElement parameter, XElement owner)
    {
        var structured = parameter.Elements().FirstOrDefault(x => IsExtensionNamespace(x.Name.Namespace));
        switch (structured?.Name.LocalName)
        {
            case "list":
                return new IoListValue([.. structured.Elements().Select(item => ReadIoValue(item, owner))]);
            case "map":
                return new IoMapValue([.. structured.Elements().Select(entry => new KeyValuePair<string, IoValue>((string?)entry.Attribute("key") ?? "", ReadIoValue(entry, owner)))]);
            case "script":
                var format = (string?)structured.Attribute("scriptFormat") ?? "javascript";
                return new IoScriptValue(PrepareScript(structured.Value, format, owner, "camunda:script"));
            default:
                return new IoExpressionValue(Prepare(parameter.Value.Trim(), owner, "parameter " + (string?)parameter.Attribute("name")) ?? Literal(""));
        }
    }

    private static IReadOnlyDictionary<string, string> ReadProperties(XElement e)
    {
        var container = e.Element(Bpmn("extensionElements"))?.Elements().FirstOrDefault(x => x.Name.LocalName == "properties" && IsExtensionNamespace(x.Name.Namespace));
        if (container is null)
        {
            return BaseElement.EmptyProperties;
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in container.Elements())
        {
            if ((string?)property.Attribute("name") is { } name)
            {
                result[name] = (string?)property.Attribute("value") ?? property.Value;
            }
        }

        return result;
    }

    private Expression? PrepareAttribute(XElement e, string attribute) => Ext(e, attribute) is { } text ? Prepare(text, e, "camunda:" + attribute) : null;

    private Expression? Prepare(string text, XElement element, string field)
    {
        try
        {
            var expression = expressions.Parse(text);
            foreach (var translation in expression.Translations)
            {
                Note(FindingSeverity.Info, "juel-translated", $"{field}: the JUEL expression \"{translation.Juel}\" runs as the JavaScript \"{translation.JavaScript}\".", FindSubject(element), element);
            }

            return expression;
        }
        catch (ExpressionException ex)
        {
            var subject = FindSubject(element);
            Note(FindingSeverity.Error, ex.IsUntranslatableJuel ? "untranslatable-juel" : "invalid-expression", $"{field}: {ex.Message}", subject, element);
            return null;
        }
    }

    private Expression PrepareScript(string source, string format, XElement element, string field)
    {
        try
        {
            return expressions.ParseScript(source, format);
        }
        catch (ExpressionException ex)
        {
            var subject = FindSubject(element);
            Note(FindingSeverity.Error, "invalid-expression", $"{field}: {ex.Message}", subject, element);
            return Literal("");
        }
    }

    private static Expression Literal(string text) => new() { Text = text, Kind = ExpressionKind.Literal, Parts = text.Length == 0 ? [] : [new ExpressionPart(text, false)] };

    private static bool IsTrue(string? value) => string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);

    private static bool IsIdentifier(string text)
        => text.Length > 0 && (char.IsLetter(text[0]) || text[0] is '_' or '$') && text.All(c => char.IsLetterOrDigit(c) || c is '_' or '$' or '.');
}
