using ComplaintWorkflows.Engine.Variables;

namespace ComplaintWorkflows.Engine.Activities;

/// <summary>
/// A custom activity: C# code a service task runs, bound by name
/// (<c>camunda:delegateExpression="${name}"</c> or <c>camunda:class="name"</c>). Instances are shared
/// between executions, so an activity keeps no per-execution state in fields.
/// </summary>
public interface IActivity
{
    ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default);
}

/// <summary>Names an activity class and says what the designer shows for it.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ActivityAttribute(string name) : Attribute
{
    public string Name { get; } = name;

    public string? DisplayName { get; init; }

    public string Category { get; init; } = "General";

    public string Description { get; init; } = "";
}

/// <summary>Declares a typed input of an activity (an input parameter of the service task).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ActivityInputAttribute(string name, VariableType type) : Attribute
{
    public string Name { get; } = name;

    public VariableType Type { get; } = type;

    public string? DisplayName { get; init; }

    public string Description { get; init; } = "";

    public bool Required { get; init; }

    /// <summary>Default value (string, bool, long, double) used when the input is not given.</summary>
    public object? Default { get; init; }
}

/// <summary>Declares a typed output of an activity (a variable it sets).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ActivityOutputAttribute(string name, VariableType type) : Attribute
{
    public string Name { get; } = name;

    public VariableType Type { get; } = type;

    public string? DisplayName { get; init; }

    public string Description { get; init; } = "";
}

/// <summary>
/// Thrown by an activity to raise a BPMN error by code; a matching error boundary event or error
/// event sub-process catches it.
/// </summary>
public sealed class BpmnErrorException : Exception
{
    public BpmnErrorException()
        : this("error")
    {
    }

    public BpmnErrorException(string errorCode)
        : this(errorCode, $"BPMN error '{errorCode}'")
    {
    }

    public BpmnErrorException(string errorCode, string message)
        : base(message)
    {
        ErrorCode = errorCode;
    }

    public BpmnErrorException(string message, Exception innerException)
        : base(message, innerException)
    {
        ErrorCode = "error";
    }

    public string ErrorCode { get; }
}
