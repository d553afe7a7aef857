using System.Collections.Concurrent;
using ComplaintWorkflows.Engine.Expressions;

namespace ComplaintWorkflows.Engine.Tests.Expressions;

/// <summary>A variable scope over a dictionary, as a process instance would provide.</summary>
internal sealed class DictionaryScope(IDictionary<string, object?>? variables = null) : IVariableScope
{
    public ConcurrentDictionary<string, object?> Variables { get; } = new(variables ?? new Dictionary<string, object?>());

    public string? ProcessInstanceId { get; init; } = "pi-1";

    public string? BusinessKey { get; init; } = "complaint-42";

    public string? ActivityId { get; init; } = "Task_Review";

    public bool TryGetVariable(string name, out object? value) => Variables.TryGetValue(name, out value);

    public void SetVariable(string name, object? value) => Variables[name] = value;
}
