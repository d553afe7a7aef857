namespace ComplaintWorkflows.Engine.Expressions;

public enum ExpressionKind
{
    /// <summary>Plain text with no <c>${...}</c>: its value is the text itself.</summary>
    Literal,

    /// <summary>Exactly one <c>${...}</c> (or <c>#{...}</c>) and nothing else: its value keeps its type.</summary>
    SingleExpression,

    /// <summary>Text with embedded <c>${...}</c> parts: its value is the concatenated string.</summary>
    Template,

    /// <summary>A whole JavaScript program (script task, <c>camunda:script</c>): its value is the completion value.</summary>
    Script,
}

/// <summary>The variables an expression reads and a script writes, and facts about the running element.</summary>
public interface IVariableScope
{
    bool TryGetVariable(string name, out object? value);

    void SetVariable(string name, object? value);

    string? ProcessInstanceId { get; }

    string? BusinessKey { get; }

    string? ActivityId { get; }
}

/// <summary>
/// An expression prepared once, when its definition is parsed: the text as written, its kind and
/// the prepared JavaScript (never re-parsed per evaluation). Evaluate it with <see cref="ExpressionEngine"/>.
/// </summary>
public sealed partial class Expression
{
    public required string Text { get; init; }

    public required ExpressionKind Kind { get; init; }

    public bool IsLiteral => Kind == ExpressionKind.Literal;

    public override string ToString() => Text;
}
