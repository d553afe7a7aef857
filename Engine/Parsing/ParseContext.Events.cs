using System.Xml.Linq;
using ComplaintWorkflows.Engine.Model;
using static ComplaintWorkflows.Engine.Parsing.BpmnParser;

namespace ComplaintWorkflows.Engine.Parsing;

/// <summary>Event definitions (message, signal, timer, error, escalation, compensation, link, ...) and the messages they refer to.</summary>
internal sealed partial class ParseContext
{
    private EventDefinition? ReadEventDefinition(XElement e, IReadOnlyDictionary<string, string> properties)
    {
        var definitions = e.Elements().Where(x => x.Name.Namespace == BpmnNs && x.Name.LocalName.EndsWith("EventDefinition", StringComparison.Ordinal)).ToList();
        if (definitions.Count == 0)
        {
            return e.Elements(Bpmn("eventDefinitionRef")).Any()
                ? new UnsupportedEventDefinition { TypeName = "eventDefinitionRef", Line = LineOf(e) }
                : null;
        }

        if (definitions.Count > 1)
        {
            return new UnsupportedEventDefinition { TypeName = "multiple", Line = LineOf(definitions[1]) };
        }

        var d = definitions[0];
        var line = LineOf(d);
        switch (d.Name.LocalName)
        {
            case "messageEventDefinition":
                return new MessageEventDefinition
                {
                    Line = line,
                    Message = ResolveMessage(d, properties, e),
                    CorrelationKey = properties.TryGetValue("correlationKey", out var key) ? Prepare(key, e, "correlationKey") : null,
                };
            case "timerEventDefinition":
                var (kind, text) = ReadTimerValue(d);
                if (string.IsNullOrWhiteSpace(text))
                {
                    // One finding for an empty timer: the missing value, not also "not executed" (the definition is reported here).
                    Note(FindingSeverity.Error, "missing-timer", text is null ? "The timer has no timeDate, timeDuration or timeCycle." : $"The timer's {d.Elements().First().Name.LocalName} is empty.", e, d);
                    return new UnsupportedEventDefinition { TypeName = "timerEventDefinition", Line = line, Reported = true };
                }

                return new TimerEventDefinition { Line = line, TimerKind = kind, Value = Prepare(text.Trim(), e, "timer") ?? Literal(text.Trim()) };
            case "signalEventDefinition":
                var signalRef = (string?)d.Attribute("signalRef");
                if (signalRef is null)
                {
                    Note(FindingSeverity.Error, "missing-reference", "The signal event has no signalRef.", e, d);
                    return new SignalEventDefinition { Line = line };
                }

                if (!_signalNames.TryGetValue(signalRef, out var signal))
                {
                    Note(FindingSeverity.Error, "unknown-reference", $"signalRef='{signalRef}' names no signal of this file.", e, d);
                    return new SignalEventDefinition { Line = line, SignalId = signalRef };
                }

                return new SignalEventDefinition { Line = line, SignalId = signalRef, SignalName = Prepare(signal.Name ?? signalRef, e, "signal name") };
            case "errorEventDefinition":
                var errorRef = (string?)d.Attribute("errorRef");
                (string? Code, string? Name) error = (null, null);
                if (errorRef is not null && !_errors.TryGetValue(errorRef, out error))
                {
                    // As in Camunda 7: an errorRef naming no <error> is taken as the error code itself.
                    Note(FindingSeverity.Warning, "error-ref-as-code", $"errorRef='{errorRef}' names no <error> of this file; '{errorRef}' is used as the error code, as Camunda 7 does. Declare <bpmn:error id=\"{errorRef}\" errorCode=\"...\"/> to make that explicit.", e, d);
                }

                return new ErrorEventDefinition
                {
                    Line = line,
                    ErrorId = errorRef,
                    ErrorCode = error.Code ?? errorRef,
                    ErrorName = error.Name,
                    ErrorCodeVariable = Ext(d, "errorCodeVariable"),
                    ErrorMessageVariable = Ext(d, "errorMessageVariable"),
                };
            case "escalationEventDefinition":
                var escalationRef = (string?)d.Attribute("escalationRef");
                string? code = null;
                if (escalationRef is not null && !_escalations.TryGetValue(escalationRef, out code))
                {
                    Note(FindingSeverity.Error, "unknown-reference", $"escalationRef='{escalationRef}' names no escalation of this file.", e, d);
                }

                return new EscalationEventDefinition { Line = line, EscalationId = escalationRef, EscalationCode = code ?? (escalationRef is not null && _escalations.ContainsKey(escalationRef) ? escalationRef : null) };
            case "terminateEventDefinition":
                return new TerminateEventDefinition { Line = line };
            case "linkEventDefinition":
                return new LinkEventDefinition { Line = line, LinkName = (string?)d.Attribute("name") ?? "" };
            default:
                return new UnsupportedEventDefinition { TypeName = d.Name.LocalName, Line = line };
        }
    }

    /// <summary>The kind and text of a timer definition's timeDate, timeDuration or timeCycle; null text when it has none.</summary>
    private static (TimerKind Kind, string? Text) ReadTimerValue(XElement? definition)
        => definition?.Element(Bpmn("timeDate")) is { } date ? (TimerKind.Date, date.Value)
            : definition?.Element(Bpmn("timeDuration")) is { } duration ? (TimerKind.Duration, duration.Value)
            : definition?.Element(Bpmn("timeCycle")) is { } cycle ? (TimerKind.Cycle, cycle.Value)
            : (TimerKind.Date, null);

    private MessageRef? ResolveMessage(XElement holder, IReadOnlyDictionary<string, string> properties, XElement? element = null)
    {
        var messageRef = (string?)holder.Attribute("messageRef");
        if (messageRef is null)
        {
            return null;
        }

        if (_messages.TryGetValue(messageRef, out var message))
        {
            return message;
        }

        Note(FindingSeverity.Error, "unknown-reference", $"messageRef='{messageRef}' names no message of this file.", element ?? holder, holder);
        return null;
    }
}
