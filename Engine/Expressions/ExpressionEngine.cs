namespace ComplaintWorkflows.Engine.Expressions;

/// <summary>Limits that turn a runaway expression or script into an error instead of a hang.</summary>
public sealed class ExpressionOptions
{
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    public int MaxStatements { get; set; } = 100_000;

    public long MemoryLimitBytes { get; set; } = 32 * 1024 * 1024;

    public int MaxRecursionDepth { get; set; } = 64;

    public int MaxSourceLength { get; set; } = 64 * 1024;
}

/// <summary>Parses (prepares) and evaluates <c>${...}</c> expressions and scripts on Jint. Thread-safe.</summary>
public sealed partial class ExpressionEngine(ExpressionOptions? options = null)
{
    public ExpressionOptions Options { get; } = options ?? new ExpressionOptions();

    /// <summary>
    /// Splits <paramref name="text"/> into literal text and <c>${...}</c> parts and prepares the JavaScript of each
    /// code part once; a syntax error is an <see cref="ExpressionException"/> naming the text and the position.
    /// </summary>
    public Expression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > Options.MaxSourceLength)
        {
            throw new ExpressionException($"Expression is {text.Length} characters long; the limit is {Options.MaxSourceLength}.");
        }

        var parts = ExpressionTemplate.Split(text);
        var kind = parts.Count switch
        {
            0 => ExpressionKind.Literal,
            1 when parts[0].IsCode => ExpressionKind.SingleExpression,
            1 => ExpressionKind.Literal,
            _ => ExpressionKind.Template,
        };
        var translations = new List<JuelTranslation>();
        return new Expression
        {
            Text = text,
            Kind = kind,
            Parts = parts,
            Code = Prepare(text, kind, parts, translations),
            Translations = translations,
            BeanCall = kind == ExpressionKind.SingleExpression ? Juel.ReadBeanCall(parts[0].Text) : null,
        };
    }
}
