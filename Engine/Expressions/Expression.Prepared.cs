namespace ComplaintWorkflows.Engine.Expressions;

public sealed partial class Expression
{
    /// <summary>The prepared JavaScript of each code part, in the order of the code parts in <see cref="Parts"/>.</summary>
    internal IReadOnlyList<PreparedCode> Code { get; init; } = [];
}

/// <summary>
/// One code part prepared for Jint: the prepared program (thread-safe, shared by every pooled engine) and the free
/// identifiers it reads that are not JavaScript globals, which are bound per evaluation (a variable, or <c>undefined</c>).
/// </summary>
internal sealed class PreparedCode(Jint.Prepared<Acornima.Ast.Script> script, string[] bindNames)
{
    public Jint.Prepared<Acornima.Ast.Script> Script { get; } = script;

    public string[] BindNames { get; } = bindNames;
}
