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

    /// <summary>Literal text and code parts, in order. Empty for an empty literal.</summary>
    public IReadOnlyList<ExpressionPart> Parts { get; init; } = [];

    /// <summary>The code parts written in JUEL rather than JavaScript, and the JavaScript each runs as.</summary>
    public IReadOnlyList<JuelTranslation> Translations { get; init; } = [];

    /// <summary>For a single <c>${name.method(args)}</c>: the call as written (see <see cref="Expressions.BeanCall"/>).</summary>
    public BeanCall? BeanCall { get; init; }

    public override string ToString() => Text;
}

/// <summary>One piece of an expression's text: literal text, or the JavaScript between <c>${</c> and its <c>}</c>.</summary>
public sealed record ExpressionPart(string Text, bool IsCode);

/// <summary>Finds the <c>${...}</c>/<c>#{...}</c> parts of a text, respecting braces and quotes inside the code.</summary>
public static class ExpressionTemplate
{
    public static IReadOnlyList<ExpressionPart> Split(string text)
    {
        var parts = new List<ExpressionPart>();
        var literal = new System.Text.StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if ((text[i] == '$' || text[i] == '#') && i + 1 < text.Length && text[i + 1] == '{')
            {
                var end = FindClosingBrace(text, i + 2);
                if (end < 0)
                {
                    throw new ExpressionException($"Unclosed '{text[i]}{{' at position {i + 1} in \"{text}\".");
                }

                if (literal.Length > 0)
                {
                    parts.Add(new ExpressionPart(literal.ToString(), false));
                    literal.Clear();
                }

                var code = text[(i + 2)..end].Trim();
                if (code.Length == 0)
                {
                    throw new ExpressionException($"Empty expression at position {i + 1} in \"{text}\".");
                }

                parts.Add(new ExpressionPart(code, true));
                i = end + 1;
                continue;
            }

            literal.Append(text[i]);
            i++;
        }

        if (literal.Length > 0)
        {
            parts.Add(new ExpressionPart(literal.ToString(), false));
        }

        return parts;
    }

    private static int FindClosingBrace(string text, int start)
    {
        var depth = 0;
        char quote = '\0';
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0')
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == quote)
                {
                    quote = '\0';
                }

                continue;
            }

            switch (c)
            {
                case '\'' or '"' or '`':
                    quote = c;
                    break;
                case '{':
                    depth++;
                    break;
                case '}' when depth == 0:
                    return i;
                case '}':
                    depth--;
                    break;
            }
        }

        return -1;
    }
}

/// <summary>An expression that cannot be parsed or evaluated; the message says what and where in the text.</summary>
public class ExpressionException : Exception
{
    public ExpressionException()
    {
    }

    public ExpressionException(string message)
        : base(message)
    {
    }

    public ExpressionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>True when a time, statement, memory or recursion limit stopped the evaluation.</summary>
    public bool IsLimitExceeded { get; init; }

    /// <summary>True when the text was meant as JUEL (Camunda 7's expression language) and uses what is not translated.</summary>
    public bool IsUntranslatableJuel { get; init; }
}
