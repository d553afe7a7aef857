using System.Collections.Concurrent;
using Acornima;
using Acornima.Ast;
using Jint;
using Jint.Native;
using Jint.Runtime;

namespace ComplaintWorkflows.Engine.Expressions;

public sealed partial class ExpressionEngine
{
    /// <summary>The global through which scripts reach the running element: <c>execution.setVariable(name, value)</c>.</summary>
    public const string ExecutionName = "execution";

    private const int MaxQuotedLength = 80;

    // A single expression is wrapped in parentheses so that its value is the completion value ("{a: 1}" is an
    // object, not a block) and statements are rejected. The newline lets a trailing // comment end the code.
    private const string ExpressionPrefix = "(";
    private const string ExpressionSuffix = "\n)";

    // In a template each code part is turned into its string in JavaScript, under the limits: null/undefined → "".
    private const string TemplatePrefix = "((v) => v == null ? '' : `${v}`)(";
    private const string TemplateSuffix = "\n)";

    private static readonly ScriptPreparationOptions PreparationOptions = new() { CollectReferencedGlobals = true };

    private readonly ConcurrentBag<PooledJsEngine> pool = [];
    private HashSet<string>? builtInGlobals;
    private int pooledCount;

    /// <summary>Most engines kept idle in the pool; more are created under load and dropped when returned.</summary>
    public int MaxPooledEngines { get; init; } = Math.Max(4, Environment.ProcessorCount * 2);

    /// <summary>
    /// Prepares a whole JavaScript program (script task, <c>camunda:script</c>); its value is its completion value.
    /// Top-level declarations and assignments stay inside the evaluation: variables are written only through
    /// <c>execution.setVariable</c>.
    /// </summary>
    public Expression ParseScript(string source, string format = "javascript")
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(format);
        if (!IsJavaScript(format))
        {
            throw new ExpressionException($"Unsupported script format '{format}'; use javascript.");
        }

        if (source.Length > Options.MaxSourceLength)
        {
            throw new ExpressionException($"Script is {source.Length} characters long; the limit is {Options.MaxSourceLength}.");
        }

        var code = Prepare(source, source, 0, string.Empty, string.Empty, "script");
        return new Expression { Text = source, Kind = ExpressionKind.Script, Parts = [new ExpressionPart(source, true)], Code = [code] };
    }

    /// <summary>
    /// The value of <paramref name="expression"/> in its normal .NET form: the text of a literal, the typed value of a
    /// single <c>${...}</c> or a script (null, bool, string, long, double, DateTimeOffset, List, Dictionary), the
    /// concatenated string of a template.
    /// </summary>
    public object? Evaluate(Expression expression, IVariableScope scope)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(scope);
        if (expression.Kind != ExpressionKind.Literal && expression.Code.Count == 0)
        {
            throw new ExpressionException($"Expression \"{Quote(expression.Text)}\" was not prepared; create it with Parse or ParseScript.");
        }

        switch (expression.Kind)
        {
            case ExpressionKind.Literal:
                return expression.Text;
            case ExpressionKind.SingleExpression or ExpressionKind.Script:
                return Run(expression, scope, static (engine, expr, sc) => JsConversion.ToClr(Execute(engine, expr.Code[0], sc)));
            default:
                return Run(expression, scope, static (engine, expr, sc) =>
                {
                    var text = new System.Text.StringBuilder();
                    var code = 0;
                    foreach (var part in expr.Parts)
                    {
                        text.Append(part.IsCode ? Execute(engine, expr.Code[code++], sc).AsString() : part.Text);
                    }

                    return text.ToString();
                });
        }
    }

    /// <summary>
    /// Evaluates a condition (a sequence flow's <c>conditionExpression</c>): the result must be a boolean. A literal
    /// "true" or "false" is accepted as written.
    /// </summary>
    public bool EvaluateCondition(Expression expression, IVariableScope scope)
    {
        ArgumentNullException.ThrowIfNull(expression);
        if (expression.Kind == ExpressionKind.Literal && bool.TryParse(expression.Text.Trim(), out var literal))
        {
            return literal;
        }

        var value = Evaluate(expression, scope);
        return value is bool result
            ? result
            : throw new ExpressionException($"The condition \"{Quote(expression.Text)}\" returned {JsConversion.Describe(value)}, expected a boolean.");
    }

    private List<PreparedCode> Prepare(string text, ExpressionKind kind, IReadOnlyList<ExpressionPart> parts, List<JuelTranslation> translations)
    {
        if (kind == ExpressionKind.Literal)
        {
            return [];
        }

        var (prefix, suffix) = kind == ExpressionKind.Template ? (TemplatePrefix, TemplateSuffix) : (ExpressionPrefix, ExpressionSuffix);
        var prepared = new List<PreparedCode>();
        var searchFrom = 0;
        foreach (var part in parts)
        {
            var start = text.IndexOf(part.Text, searchFrom, StringComparison.Ordinal);
            searchFrom = start + part.Text.Length;
            if (part.IsCode)
            {
                prepared.Add(PrepareJavaScriptOrJuel(text, part.Text, start, prefix, suffix, translations));
            }
        }

        return prepared;
    }

    /// <summary>
    /// A code part is JavaScript when it parses as JavaScript and uses no JUEL word operator; otherwise it is read as
    /// JUEL and translated. When neither reading works, the error is JUEL's if the text uses JUEL's words, else JavaScript's.
    /// </summary>
    private PreparedCode PrepareJavaScriptOrJuel(string text, string code, int offset, string prefix, string suffix, List<JuelTranslation> translations)
    {
        ExpressionException javaScriptError;
        try
        {
            if (!Juel.LooksLikeJuel(code))
            {
                return Prepare(text, code, offset, prefix, suffix, "expression");
            }

            javaScriptError = new ExpressionException($"\"{Quote(code)}\" uses JUEL's word operators.");
        }
        catch (ExpressionException ex)
        {
            javaScriptError = ex;
        }

        string translated;
        try
        {
            translated = Juel.Translate(code);
        }
        catch (ExpressionException juel) when (juel.IsUntranslatableJuel)
        {
            throw Juel.LooksLikeJuel(code) ? juel : javaScriptError;
        }

        var prepared = Prepare(text, translated, offset, prefix, suffix, "expression");
        translations.Add(new JuelTranslation(code, translated));
        return prepared;
    }

    private PreparedCode Prepare(string text, string code, int offset, string prefix, string suffix, string what)
    {
        Prepared<Script> script;
        try
        {
            script = Jint.Engine.PrepareScript(prefix + code + suffix, source: null, strict: true, options: PreparationOptions);
        }
        catch (ScriptPreparationException ex) when (ex.InnerException is ParseErrorException parse)
        {
            throw SyntaxError(text, code, offset, prefix, what, parse.LineNumber, parse.Column, parse.Description, ex);
        }

        if (what == "expression" && script.Program is not { Body: [ExpressionStatement] })
        {
            throw new ExpressionException($"Syntax error in expression \"{Quote(text)}\": \"{Quote(code)}\" is not a single JavaScript expression.");
        }

        var globals = LazyInitializer.EnsureInitialized(ref builtInGlobals, ReadBuiltInGlobals);
        var names = script.ReferencedGlobals!
            .Where(name => name != ExecutionName && !globals.Contains(name))
            .ToArray();
        return new PreparedCode(script, names);
    }

    private static ExpressionException SyntaxError(string text, string code, int offset, string prefix, string what, int line, int column, string description, Exception inner)
    {
        // Acornima's line and column are 1-based and count in the wrapped code; map them back to the text as written.
        var column0 = line == 1 ? Math.Max(0, column - 1 - prefix.Length) : Math.Max(0, column - 1);
        line = Math.Min(line, code.Split('\n').Length);
        var position = offset + PositionInCode(code, line, column0) + 1;
        return new ExpressionException(
            $"Syntax error in {what} \"{Quote(text)}\" at position {position} (line {line}, column {column0 + 1}): {description}", inner);
    }

    private static int PositionInCode(string code, int line, int column)
    {
        var index = 0;
        for (var l = 1; l < line; l++)
        {
            var next = code.IndexOf('\n', index);
            if (next < 0)
            {
                break;
            }

            index = next + 1;
        }

        return Math.Min(index + column, code.Length);
    }

    private object? Run(Expression expression, IVariableScope scope, Func<PooledJsEngine, Expression, IVariableScope, object?> body)
    {
        var engine = Rent();
        var reusable = true;
        try
        {
            engine.Scope = scope;
            return body(engine, expression, scope);
        }
        catch (Exception ex) when (Translate(ex, expression) is { } translated)
        {
            reusable = !translated.IsLimitExceeded;
            throw translated;
        }
        finally
        {
            if (reusable)
            {
                engine.Reset();
                Return(engine);
            }
            else
            {
                // A limit stopped this engine mid-flight; it is dropped rather than trusted again.
                Interlocked.Decrement(ref pooledCount);
            }
        }
    }

    private static JsValue Execute(PooledJsEngine engine, PreparedCode code, IVariableScope scope)
    {
        var global = engine.Js.Global;
        foreach (var name in code.BindNames)
        {
            var value = scope.TryGetVariable(name, out var variable) ? JsConversion.ToJs(engine.Js, name, variable) : JsValue.Undefined;
            global.FastSetDataProperty(name, value);
        }

        // Jint checks the memory limit between operations, so one huge allocation ('x'.repeat(2 ** 28)) completes
        // unnoticed at the end of an expression; the allocation is measured again here once it has run.
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var result = engine.Js.Evaluate(code.Script);
        var limit = engine.MemoryLimitBytes;
        if (limit > 0 && GC.GetAllocatedBytesForCurrentThread() - allocatedBefore > limit)
        {
            throw new MemoryLimitExceededException($"Script has allocated more than {limit} bytes.");
        }

        return result;
    }

    private ExpressionException? Translate(Exception ex, Expression expression)
    {
        var quoted = Quote(expression.Text);
        return ex switch
        {
            ExpressionException e => e,
            TimeoutException => Limit($"The time limit of {Options.Timeout.TotalMilliseconds:0} ms", quoted, ex),
            StatementsCountOverflowException => Limit($"The limit of {Options.MaxStatements} statements", quoted, ex),
            MemoryLimitExceededException => Limit($"The memory limit of {Options.MemoryLimitBytes} bytes", quoted, ex),
            RecursionDepthOverflowException => Limit($"The recursion depth limit of {Options.MaxRecursionDepth}", quoted, ex),
            JavaScriptException js => new ExpressionException($"{Kind(expression)} \"{quoted}\" failed: {Describe(js)}", js),
            JintException or InvalidOperationException or ArgumentException or InvalidCastException =>
                new ExpressionException($"{Kind(expression)} \"{quoted}\" failed: {ex.Message}", ex),
            _ => null,
        };

        static ExpressionException Limit(string limit, string quoted, Exception inner) =>
            new($"{limit} was exceeded evaluating \"{quoted}\".", inner) { IsLimitExceeded = true };
    }

    private static string Kind(Expression expression) => expression.Kind == ExpressionKind.Script ? "Script" : "Expression";

    private static string Describe(JavaScriptException js)
    {
        var location = js.Location.Start.Line > 0 ? $" (line {js.Location.Start.Line}, column {js.Location.Start.Column + 1})" : string.Empty;
        if (js.Error is Jint.Native.Object.ObjectInstance error && error.Get("name") is { } name && name.IsString())
        {
            return $"{name.AsString()}: {js.Message}{location}";
        }

        return $"uncaught {js.Message}{location}";
    }

    private static string Quote(string text) =>
        text.Length <= MaxQuotedLength ? text : string.Concat(text.AsSpan(0, MaxQuotedLength), "…");

    internal static bool IsJavaScript(string format) =>
        format.Trim().ToUpperInvariant() is "JAVASCRIPT" or "JS" or "ECMASCRIPT";

    private PooledJsEngine Rent()
    {
        if (pool.TryTake(out var engine))
        {
            return engine;
        }

        Interlocked.Increment(ref pooledCount);
        return new PooledJsEngine(Options);
    }

    private void Return(PooledJsEngine engine)
    {
        if (Volatile.Read(ref pooledCount) <= MaxPooledEngines)
        {
            pool.Add(engine);
        }
        else
        {
            Interlocked.Decrement(ref pooledCount);
        }
    }

    /// <summary>The names of the JavaScript globals (Math, JSON, parseInt...): never bound from variables.</summary>
    private HashSet<string> ReadBuiltInGlobals()
    {
        var engine = Rent();
        try
        {
            var names = engine.Js.Global.GetOwnPropertyKeys(Types.String).Select(key => key.AsString()).ToHashSet(StringComparer.Ordinal);
            names.Remove(ExecutionName);
            return names;
        }
        finally
        {
            Return(engine);
        }
    }
}
