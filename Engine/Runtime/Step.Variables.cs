using System.Globalization;
using ComplaintWorkflows.Engine.Expressions;
using ComplaintWorkflows.Engine.Model;
using ComplaintWorkflows.Engine.Timers;
using ComplaintWorkflows.Engine.Variables;

namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>Variables: input/output parameters, call activity in/out mappings, and evaluating the expressions of element attributes.</summary>
internal sealed partial class Step
{
    private void ApplyInputs(ExecutionNode node, FlowNode element)
    {
        foreach (var input in element.InputParameters)
        {
            // Inputs are evaluated in the parent's scope so an input can shadow the variable it reads.
            node.SetLocalVariable(input.Name, EvaluateIo(input.Value, node.Parent ?? node));
        }
    }

    private object? EvaluateIo(IoValue value, IVariableScope scope) => value switch
    {
        IoExpressionValue e => Expressions.Evaluate(e.Expression, scope),
        IoScriptValue s => Expressions.Evaluate(s.Script, scope),
        IoListValue l => l.Items.Select(i => EvaluateIo(i, scope)).ToList(),
        IoMapValue m => m.Entries.ToDictionary(kv => kv.Key, kv => EvaluateIo(kv.Value, scope), StringComparer.Ordinal),
        _ => null,
    };

    private void ApplyOutputs(ExecutionNode node, FlowNode element)
    {
        if (element.OutputParameters.Count == 0)
        {
            return;
        }

        var target = node.Parent ?? node;
        foreach (var output in element.OutputParameters)
        {
            target.SetVariable(output.Name, EvaluateIo(output.Value, node));
        }
    }

    /// <summary>Applies one camunda:in/out mapping, reading from <paramref name="source"/> (whose variables are <paramref name="visible"/>).</summary>
    internal void MapVariables(VariableMapping mapping, IVariableScope source, IReadOnlyDictionary<string, object?> visible, Dictionary<string, object?> into)
    {
        if (mapping.AllVariables)
        {
            foreach (var (name, value) in visible)
            {
                into[name] = value;
            }

            return;
        }

        var target = mapping.Target ?? mapping.Source;
        if (target is null)
        {
            return;
        }

        if (mapping.SourceExpression is { } expression)
        {
            into[target] = Expressions.Evaluate(expression, source);
        }
        else if (mapping.Source is { } name && source.TryGetVariable(name, out var value))
        {
            into[target] = value;
        }
    }

    internal static Dictionary<string, object?> VisibleVariables(ExecutionNode node)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (var scope = node; scope is not null; scope = scope.Parent)
        {
            if (scope.Variables is { } variables)
            {
                foreach (var (name, value) in variables)
                {
                    result.TryAdd(name, value);
                }
            }
        }

        return result;
    }

    private string? EvaluateString(Expression? expression, IVariableScope scope) => expression is null
        ? null
        : Expressions.Evaluate(expression, scope) switch
        {
            null => null,
            string s => s,
            var other => Convert.ToString(other, CultureInfo.InvariantCulture),
        };

    private IReadOnlyList<string> EvaluateList(Expression? expression, IVariableScope scope) => expression is null
        ? []
        : Expressions.Evaluate(expression, scope) switch
        {
            null => [],
            string s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            List<object?> list => list.Where(i => i is not null).Select(i => Convert.ToString(i, CultureInfo.InvariantCulture)!).ToList(),
            var other => [Convert.ToString(other, CultureInfo.InvariantCulture)!],
        };

    private DateTimeOffset? EvaluateDate(Expression? expression, IVariableScope scope, DateTimeOffset now)
    {
        if (expression is null)
        {
            return null;
        }

        return Expressions.Evaluate(expression, scope) switch
        {
            null => null,
            DateTimeOffset date => date,
            string s when s.StartsWith('P') && IsoDuration.TryParse(s, out var duration) => duration.AddTo(now),
            string s when DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) => date,
            var other => throw new WorkflowException($"'{expression.Text}' gave {VariableValues.Describe(other)}, which is neither a date nor an ISO-8601 duration.") { Code = "invalid" },
        };
    }

    private int EvaluatePriority(Expression? expression, IVariableScope scope) => expression is null
        ? 50
        : Expressions.Evaluate(expression, scope) switch
        {
            null => 50,
            long l => (int)Math.Clamp(l, int.MinValue, int.MaxValue),
            double d => (int)d,
            string s when int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) => p,
            var other => throw new WorkflowException($"Priority '{expression.Text}' gave {VariableValues.Describe(other)}, not a number.") { Code = "invalid" },
        };
}
