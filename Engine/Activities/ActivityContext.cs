using ComplaintWorkflows.Engine.Runtime;
using ComplaintWorkflows.Engine.Variables;

namespace ComplaintWorkflows.Engine.Activities;

/// <summary>
/// What an activity sees while it runs: its inputs (the service task's input parameters, typed by its
/// descriptor), the process variables, and the engine's clock and services.
/// </summary>
public sealed class ActivityContext
{
    private readonly ExecutionNode _node;
    private readonly Step? _step;

    internal ActivityContext(ExecutionNode node, ActivityDescriptor descriptor, TimeProvider time, IServiceProvider? services, Step? step = null)
    {
        _node = node;
        _step = step;
        Descriptor = descriptor;
        Time = time;
        Services = services;
    }

    public ActivityDescriptor Descriptor { get; }

    public TimeProvider Time { get; }

    public IServiceProvider? Services { get; }

    public string ProcessInstanceId => _node.Instance.Id;

    public string ProcessDefinitionKey => _node.Instance.Definition.Key;

    public string? BusinessKey => _node.Instance.BusinessKey;

    public string ElementId => _node.ElementId;

    public string? ElementName => _node.Element.Name;

    /// <summary>
    /// The value of an input: the input parameter of that name, else the descriptor's default,
    /// converted to the declared type.
    /// </summary>
    public object? GetInput(string name)
    {
        var port = Descriptor.Inputs.FirstOrDefault(p => p.Name == name)
            ?? throw new ArgumentException($"Activity '{Descriptor.Name}' declares no input '{name}'.", nameof(name));
        var value = _node.Variables is { } locals && locals.TryGetValue(name, out var given) ? given : port.Default;
        if (value is null && port.Required)
        {
            throw new InvalidOperationException($"Input '{name}' of activity '{Descriptor.Name}' at element '{ElementId}' is required but was not given.");
        }

        return VariableValues.TryConvert(value, port.Type, out var converted, out var error)
            ? converted
            : throw new InvalidOperationException($"Input '{name}' of activity '{Descriptor.Name}' at element '{ElementId}': {error}.");
    }

    /// <summary>
    /// The step's shared work of type <typeparamref name="T"/> (created by <paramref name="create"/> at its first use
    /// in the step), which the store writes in the transaction committing the step; null when the store cannot (the
    /// in-memory store), and then the activity writes on its own. See <see cref="Persistence.IStepWork"/>.
    /// </summary>
    public T? StepWork<T>(Func<T> create)
        where T : class, Persistence.IStepWork
    {
        ArgumentNullException.ThrowIfNull(create);
        return _step?.Work(create);
    }

    public T? GetInput<T>(string name) => GetInput(name) is T typed ? typed : default;

    public object? GetVariable(string name) => _node.TryGetVariable(name, out var value) ? value : null;

    public bool TryGetVariable(string name, out object? value) => _node.TryGetVariable(name, out value);

    /// <summary>Sets a process variable (where it exists up the scopes, else on the instance).</summary>
    public void SetVariable(string name, object? value) => _node.SetVariable(name, VariableValues.Normalize(value));

    /// <summary>
    /// Sets a declared output. Without output parameters on the task it becomes a process variable;
    /// with them, it is local to the task and the parameters decide where it goes.
    /// </summary>
    public void SetOutput(string name, object? value)
    {
        if (Descriptor.Outputs.All(p => p.Name != name))
        {
            throw new ArgumentException($"Activity '{Descriptor.Name}' declares no output '{name}'.", nameof(name));
        }

        var normalized = VariableValues.Normalize(value);
        if (_node.Element is Model.FlowNode { OutputParameters.Count: > 0 })
        {
            _node.SetLocalVariable(name, normalized);
        }
        else
        {
            (_node.Parent ?? _node).SetVariable(name, normalized);
        }
    }
}
