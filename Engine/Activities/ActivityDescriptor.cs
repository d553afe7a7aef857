using ComplaintWorkflows.Engine.Variables;

namespace ComplaintWorkflows.Engine.Activities;

/// <summary>What the designer and the validator know about an activity: its name, labels and typed inputs/outputs.</summary>
public sealed record ActivityDescriptor(
    string Name,
    string DisplayName,
    string Category,
    string Description,
    IReadOnlyList<ActivityPort> Inputs,
    IReadOnlyList<ActivityPort> Outputs);

/// <summary>A typed input or output of an activity.</summary>
public sealed record ActivityPort(
    string Name,
    VariableType Type,
    string DisplayName,
    string Description,
    bool Required = false,
    object? Default = null);

/// <summary>Looks up registered activities by the name used in <c>camunda:delegateExpression="${name}"</c> or <c>camunda:class</c>.</summary>
public interface IActivityCatalog
{
    bool TryGetDescriptor(string name, out ActivityDescriptor descriptor);

    IEnumerable<ActivityDescriptor> Descriptors { get; }
}
