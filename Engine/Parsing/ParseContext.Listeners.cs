using System.Xml.Linq;
using ComplaintWorkflows.Engine.Expressions;
using ComplaintWorkflows.Engine.Model;
using static ComplaintWorkflows.Engine.Parsing.BpmnParser;

namespace ComplaintWorkflows.Engine.Parsing;

/// <summary>
/// <c>camunda:executionListener</c> and <c>camunda:taskListener</c>: what the engine runs (expression, delegate expression,
/// JavaScript) and, as an error naming the element and the listener, what it does not (Java classes, other script
/// languages, script resources, field injection).
/// </summary>
internal sealed partial class ParseContext
{
    private static readonly Dictionary<string, ListenerEvent> ExecutionEvents = new(StringComparer.Ordinal)
    {
        ["start"] = ListenerEvent.Start, ["end"] = ListenerEvent.End, ["take"] = ListenerEvent.Take,
    };

    private static readonly Dictionary<string, ListenerEvent> TaskEvents = new(StringComparer.Ordinal)
    {
        ["create"] = ListenerEvent.Create, ["assignment"] = ListenerEvent.Assignment, ["complete"] = ListenerEvent.Complete,
        ["delete"] = ListenerEvent.Delete, ["timeout"] = ListenerEvent.Timeout,
    };

    /// <summary>Reads the element's execution listeners and, on a user task, its task listeners.</summary>
    private void ReadListeners(XElement e, BaseElement element)
    {
        var extensions = e.Element(Bpmn("extensionElements"))?.Elements().Where(x => IsExtensionNamespace(x.Name.Namespace)).ToList() ?? [];
        element.ExecutionListeners = ReadListeners(extensions, "executionListener", e, element);
        var taskListeners = ReadListeners(extensions, "taskListener", e, element);
        if (element is UserTask userTask)
        {
            userTask.TaskListeners = taskListeners;
        }
        else if (taskListeners.Count > 0)
        {
            Note(FindingSeverity.Error, "invalid-listener", $"camunda:taskListener is for user tasks; {element} has {taskListeners.Count}, which would never run.", e, e);
        }
    }

    private List<Listener> ReadListeners(List<XElement> extensions, string localName, XElement owner, BaseElement element)
    {
        var listeners = new List<Listener>();
        foreach (var x in extensions.Where(x => x.Name.LocalName == localName))
        {
            if (ReadListener(x, owner, element) is { } listener)
            {
                listeners.Add(listener);
            }
        }

        return listeners;
    }

    private Listener? ReadListener(XElement x, XElement owner, BaseElement element)
    {
        var isTask = x.Name.LocalName == "taskListener";
        var eventName = (string?)x.Attribute("event") ?? (element is SequenceFlow && !isTask ? "take" : null);
        var id = (string?)x.Attribute("id");
        var what = $"camunda:{x.Name.LocalName} (event '{eventName}'{(id is null ? "" : $", id '{id}'")})";
        void Refuse(string code, string message) => Note(FindingSeverity.Error, code, $"{what}: {message}", owner, x);

        var events = isTask ? TaskEvents : ExecutionEvents;
        if (eventName is null || !events.TryGetValue(eventName, out var listenerEvent))
        {
            Refuse("invalid-listener", eventName is null
                ? "names no event."
                : $"'{eventName}' is not an event this engine runs for a {x.Name.LocalName}; it runs {string.Join(", ", events.Keys)}.");
            return null;
        }

        if (!isTask && (listenerEvent == ListenerEvent.Take) != (element is SequenceFlow))
        {
            Refuse("invalid-listener", element is SequenceFlow ? "a sequence flow has only the take event." : "take is the event of sequence flows; flow nodes and processes have start and end.");
            return null;
        }

        if (x.Elements().Any(f => f.Name.LocalName == "field"))
        {
            Refuse("unsupported-listener-field", "field injection (camunda:field) is not supported; give the values as variables or input parameters instead.");
            return null;
        }

        var className = (string?)x.Attribute("class");
        var expression = (string?)x.Attribute("expression");
        var delegateExpression = (string?)x.Attribute("delegateExpression");
        var script = x.Elements().FirstOrDefault(s => s.Name.LocalName == "script" && IsExtensionNamespace(s.Name.Namespace));
        TimerEventDefinition? timeout = null;
        if (listenerEvent == ListenerEvent.Timeout && (timeout = ReadListenerTimer(x, owner, what)) is null)
        {
            return null;
        }

        if (className is not null)
        {
            Refuse("unsupported-listener-class", $"the Java class '{className}' cannot run on this engine. Use delegateExpression=\"${{name}}\" with a registered activity, an expression, or a JavaScript camunda:script.");
            return null;
        }

        Expression? code;
        ListenerKind kind;
        if (delegateExpression is not null)
        {
            (kind, code) = (ListenerKind.DelegateExpression, Prepare(delegateExpression, owner, $"{what} delegateExpression"));
        }
        else if (expression is not null)
        {
            (kind, code) = (ListenerKind.Expression, Prepare(expression, owner, $"{what} expression"));
        }
        else if (script is not null)
        {
            var format = (string?)script.Attribute("scriptFormat") ?? "";
            if ((string?)script.Attribute("resource") is { } resource)
            {
                Refuse("unsupported-listener-script", $"the script resource '{resource}' is not deployed with the process (deployments hold BPMN files only); write the script inline.");
                return null;
            }

            if (!ExpressionEngine.IsJavaScript(format))
            {
                Refuse("unsupported-listener-script", $"scripts in '{format}' are not run; this engine runs JavaScript (scriptFormat=\"javascript\").");
                return null;
            }

            (kind, code) = (ListenerKind.Script, PrepareScript(script.Value, format, owner, $"{what} script"));
        }
        else
        {
            Refuse("invalid-listener", "has no expression, delegateExpression or camunda:script.");
            return null;
        }

        if (code is null)
        {
            return null; // reported by Prepare, naming the listener
        }

        var activityName = kind switch
        {
            ListenerKind.DelegateExpression when code is { Kind: ExpressionKind.SingleExpression } d && IsIdentifier(d.Parts[0].Text) => d.Parts[0].Text,
            ListenerKind.Expression => code.BeanCall?.Bean,
            _ => null,
        };
        return new Listener { Event = listenerEvent, Kind = kind, Code = code, ActivityName = activityName, Id = id, Timeout = timeout, Line = LineOf(x) };
    }

    private TimerEventDefinition? ReadListenerTimer(XElement x, XElement owner, string what)
    {
        var timer = x.Element(Bpmn("timerEventDefinition"));
        var (kind, value) = ReadTimerValue(timer);
        if (string.IsNullOrWhiteSpace(value))
        {
            Note(FindingSeverity.Error, "missing-timer", $"{what}: a timeout listener needs a bpmn:timerEventDefinition with a timeDate, timeDuration or timeCycle.", owner, timer ?? x);
            return null;
        }

        if (kind == TimerKind.Cycle)
        {
            Note(FindingSeverity.Error, "unsupported-listener-timer", $"{what}: a timeout listener with a timeCycle (repeating) is not supported; use a timeDuration or timeDate.", owner, timer!);
            return null;
        }

        return new TimerEventDefinition { Line = LineOf(timer!), TimerKind = kind, Value = Prepare(value.Trim(), owner, $"{what} timer") ?? Literal(value.Trim()) };
    }
}
