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
public sealed partial class ExpressionEngine
{
    // TODO(expressions helper): implement.
    public Expression Parse(string text) => throw new NotImplementedException();

    public Expression ParseScript(string source, string format = "javascript") => throw new NotImplementedException();

    public object? Evaluate(Expression expression, IVariableScope scope) => throw new NotImplementedException();
}
