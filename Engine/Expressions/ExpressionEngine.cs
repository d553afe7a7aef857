using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Jint;
using Jint.Native;
using Jint.Native.Function;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Interop;

namespace ComplaintWorkflows.Engine.Expressions;

/// <summary>Limits that turn a runaway expression or script into an error instead of a hang.</summary>
public sealed class ExpressionOptions
{
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    public int MaxStatements { get; set; } = 100_000;

    public long MemoryLimitBytes { get; set; } = 32 * 1024 * 1024;

    public int MaxRecursionDepth { get; set; } = 64;

    public int MaxSourceLength { get; set; } = 64 * 1024;

    /// <summary>Jint engines kept for reuse; more are created under load and dropped when the pool is full.</summary>
    public int PoolSize { get; set; } = 32;
}

/// <summary>
/// Prepares and evaluates <c>${...}</c> expressions and scripts on Jint. Each piece of JavaScript is
/// parsed once, when its definition is parsed, into a strict-mode function whose parameters are the free
/// names it uses; an evaluation binds those names to process variables (undefined when unset) and calls
/// the function on a pooled engine. Scripts cannot reach the CLR, cannot leave globals behind for the next
/// evaluation (the global object and built-in prototypes are frozen), and run under time, statement,
/// memory and recursion limits. Thread-safe; no static state.
/// </summary>
public sealed partial class ExpressionEngine(ExpressionOptions? options = null)
{
    private const string ExecutionName = "execution";

    private readonly ConcurrentBag<PooledEngine> _pool = [];
    private HashSet<string>? _globalNames;

    public ExpressionOptions Options { get; } = options ?? new ExpressionOptions();

    /// <summary>
    /// Splits <paramref name="text"/> into literal text and <c>${...}</c> parts and prepares the JavaScript of
    /// each part; a syntax error is an <see cref="ExpressionException"/> naming the text.
    /// </summary>
    public Expression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        CheckLength(text);
        var parts = ExpressionTemplate.Split(text);
        var kind = parts.Count switch
        {
            0 => ExpressionKind.Literal,
            1 when parts[0].IsCode => ExpressionKind.SingleExpression,
            1 => ExpressionKind.Literal,
            _ => parts.Any(p => p.IsCode) ? ExpressionKind.Template : ExpressionKind.Literal,
        };
        var prepared = kind == ExpressionKind.Literal
            ? []
            : parts.Select(p => p.IsCode ? PrepareCode(p.Text, text, isScript: false) : null).ToArray();
        return new Expression { Text = text, Kind = kind, Parts = parts, Prepared = prepared };
    }

    /// <summary>Prepares a whole script; its value is the value of its last expression statement.</summary>
    public Expression ParseScript(string source, string format = "javascript")
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!format.Equals("javascript", StringComparison.OrdinalIgnoreCase) && !format.Equals("js", StringComparison.OrdinalIgnoreCase)
            && !format.Equals("ecmascript", StringComparison.OrdinalIgnoreCase))
        {
            throw new ExpressionException($"Script format '{format}' is not supported; scripts are JavaScript (scriptFormat=\"javascript\").");
        }

        CheckLength(source);
        return new Expression
        {
            Text = source,
            Kind = ExpressionKind.Script,
            Parts = [new ExpressionPart(source, true)],
            Prepared = [PrepareCode(source, source, isScript: true)],
        };
    }

    /// <summary>Evaluates an expression or script against the variables of <paramref name="scope"/>.</summary>
    public object? Evaluate(Expression expression, IVariableScope scope)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(scope);
        switch (expression.Kind)
        {
            case ExpressionKind.Literal:
                return expression.Text;
            case ExpressionKind.SingleExpression:
            case ExpressionKind.Script:
                return Run(expression.Prepared[0]!, expression, scope);
            default:
                var text = new System.Text.StringBuilder();
                for (var i = 0; i < expression.Parts.Count; i++)
                {
                    var part = expression.Parts[i];
                    text.Append(part.IsCode ? FormatForText(Run(expression.Prepared[i]!, expression, scope)) : part.Text);
                }

                return text.ToString();
        }
    }

    /// <summary>Evaluates a condition, which must give a boolean (the literal texts true and false count).</summary>
    public bool EvaluateCondition(Expression expression, IVariableScope scope)
    {
        var value = Evaluate(expression, scope);
        return value switch
        {
            bool b => b,
            string s when expression.IsLiteral && bool.TryParse(s.Trim(), out var literal) => literal,
            _ => throw new ExpressionException($"Condition '{Shorten(expression.Text)}' gave {Variables.VariableValues.Describe(value)}; a condition must give true or false."),
        };
    }

    private void CheckLength(string text)
    {
        if (text.Length > Options.MaxSourceLength)
        {
            throw new ExpressionException($"Expression is {text.Length} characters long; the limit is {Options.MaxSourceLength}.");
        }
    }

    // ---- preparation ----------------------------------------------------------------------------

    private PreparedCode PrepareCode(string code, string whole, bool isScript)
    {
        Prepared<Acornima.Ast.Script> analysed;
        try
        {
            analysed = Jint.Engine.PrepareScript(isScript ? code : "(\n" + code + "\n)", "expression", strict: true, new ScriptPreparationOptions { CollectReferencedGlobals = true });
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new ExpressionException($"'{Shorten(whole)}' is not valid JavaScript: {ex.Message}", ex);
        }

        var globals = GlobalNames();
        var parameters = analysed.ReferencedGlobals!.Where(n => n != ExecutionName && !globals.Contains(n)).Order(StringComparer.Ordinal).ToArray();
        var usesExecution = analysed.ReferencedGlobals!.Contains(ExecutionName);
        var body = isScript ? ReturnLastExpression(code, analysed.Program!) : "return (\n" + code + "\n);";
        var source = $"(function({string.Join(", ", parameters.Append(ExecutionName))}) {{ \"use strict\";\n{body}\n}})";
        try
        {
            return new PreparedCode(Jint.Engine.PrepareScript(source, "expression", strict: true), parameters, usesExecution);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new ExpressionException($"'{Shorten(whole)}' is not valid JavaScript: {ex.Message}", ex);
        }
    }

    /// <summary>Turns a script's last expression statement into a return, so its value is the script's value.</summary>
    private static string ReturnLastExpression(string code, Acornima.Ast.Script program)
    {
        if (program.Body.Count == 0 || program.Body[^1] is not Acornima.Ast.ExpressionStatement last)
        {
            return code;
        }

        var expression = last.Expression;
        return code[..last.Start] + "return (" + code[expression.Start..expression.End] + ");" + code[last.End..];
    }

    /// <summary>Names the global object defines (Math, JSON, parseInt...): never bound to variables.</summary>
    private HashSet<string> GlobalNames()
    {
        if (_globalNames is { } names)
        {
            return names;
        }

        var engine = new Jint.Engine();
        names = engine.Global.GetOwnPropertyKeys().Select(k => k.ToString()).ToHashSet(StringComparer.Ordinal);
        names.UnionWith(["undefined", "NaN", "Infinity", "globalThis", "arguments", "eval"]);
        return _globalNames = names;
    }

    // ---- evaluation -----------------------------------------------------------------------------

    private object? Run(PreparedCode code, Expression expression, IVariableScope scope)
    {
        var pooled = Rent();
        var healthy = false;
        try
        {
            var engine = pooled.Engine;
            var function = pooled.FunctionFor(code);
            var arguments = new JsValue[code.Parameters.Length + 1];
            for (var i = 0; i < code.Parameters.Length; i++)
            {
                arguments[i] = scope.TryGetVariable(code.Parameters[i], out var value) ? JsValues.ToJs(engine, value) : JsValue.Undefined;
            }

            arguments[^1] = code.UsesExecution ? ExecutionObject(engine, scope) : JsValue.Undefined;
            engine.Constraints.Reset();
            var result = engine.Call(function, JsValue.Undefined, arguments);
            var converted = JsValues.FromJs(result, Shorten(expression.Text));
            healthy = true;
            return converted;
        }
        catch (JavaScriptException ex)
        {
            healthy = true;
            throw new ExpressionException($"'{Shorten(expression.Text)}' failed: {ex.Message}", ex);
        }
        catch (StatementsCountOverflowException ex)
        {
            throw Limit(expression, $"it ran more than {Options.MaxStatements:N0} statements", ex);
        }
        catch (RecursionDepthOverflowException ex)
        {
            throw Limit(expression, $"it recursed deeper than {Options.MaxRecursionDepth} calls", ex);
        }
        catch (MemoryLimitExceededException ex)
        {
            throw Limit(expression, $"it allocated more than {Options.MemoryLimitBytes / (1024 * 1024)} MiB", ex);
        }
        catch (TimeoutException ex)
        {
            throw Limit(expression, $"it ran longer than {Options.Timeout.TotalMilliseconds:N0} ms", ex);
        }
        catch (ExpressionException)
        {
            healthy = true;
            throw;
        }
        catch (Exception ex) when (ex is JintException or InvalidOperationException or ArgumentException or InvalidCastException)
        {
            throw new ExpressionException($"'{Shorten(expression.Text)}' failed: {ex.Message}", ex);
        }
        finally
        {
            Return(pooled, healthy);
        }
    }

    private static ExpressionException Limit(Expression expression, string what, Exception inner)
        => new($"'{Shorten(expression.Text)}' was stopped: {what}.", inner) { IsLimitExceeded = true };

    private static JsObject ExecutionObject(Jint.Engine engine, IVariableScope scope)
    {
        var execution = new JsObject(engine);
        execution.FastSetProperty("getVariable", Method(engine, "getVariable", (_, args) =>
            scope.TryGetVariable(args.Length > 0 ? args[0].ToString() : "", out var value) ? JsValues.ToJs(engine, value) : JsValue.Null));
        execution.FastSetProperty("setVariable", Method(engine, "setVariable", (_, args) =>
        {
            if (args.Length < 1 || !args[0].IsString())
            {
                throw new ExpressionException("execution.setVariable(name, value) needs a variable name.");
            }

            scope.SetVariable(args[0].AsString(), JsValues.FromJs(args.Length > 1 ? args[1] : JsValue.Undefined, "setVariable"));
            return JsValue.Undefined;
        }));
        execution.FastSetProperty("getProcessInstanceId", Method(engine, "getProcessInstanceId", (_, _) => Text(scope.ProcessInstanceId)));
        execution.FastSetProperty("getBusinessKey", Method(engine, "getBusinessKey", (_, _) => Text(scope.BusinessKey)));
        execution.FastSetProperty("getActivityId", Method(engine, "getActivityId", (_, _) => Text(scope.ActivityId)));
        execution.FastSetProperty("processInstanceId", Property(Text(scope.ProcessInstanceId)));
        execution.FastSetProperty("businessKey", Property(Text(scope.BusinessKey)));
        execution.FastSetProperty("activityId", Property(Text(scope.ActivityId)));
        return execution;

        static JsValue Text(string? value) => value is null ? JsValue.Null : new JsString(value);
    }

    private static Jint.Runtime.Descriptors.PropertyDescriptor Method(Jint.Engine engine, string name, Func<JsValue, JsValue[], JsValue> body)
        => Property(new ClrFunction(engine, name, body));

    private static Jint.Runtime.Descriptors.PropertyDescriptor Property(JsValue value)
        => new(value, Jint.Runtime.Descriptors.PropertyFlag.OnlyEnumerable);

    private PooledEngine Rent() => _pool.TryTake(out var pooled) ? pooled : new PooledEngine(CreateEngine());

    private void Return(PooledEngine pooled, bool healthy)
    {
        if (healthy && _pool.Count < Options.PoolSize)
        {
            _pool.Add(pooled);
        }
    }

    private Jint.Engine CreateEngine()
    {
        var engine = new Jint.Engine(o => o
            .Strict()
            .TimeoutInterval(Options.Timeout)
            .MaxStatements(Options.MaxStatements)
            .LimitMemory(Options.MemoryLimitBytes)
            .LimitRecursion(Options.MaxRecursionDepth));

        // Nothing an evaluation does to the global object or the built-ins may reach the next one.
        engine.Execute("""
            'use strict';
            [Object, Array, Function, String, Number, Boolean, Date, RegExp, Error, Promise, Map, Set, Symbol]
              .forEach(c => { Object.freeze(c.prototype); Object.freeze(c); });
            Object.freeze(Math); Object.freeze(JSON); Object.freeze(globalThis);
            """);
        return engine;
    }

    private static string FormatForText(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    internal static string Shorten(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 77), "...");

    /// <summary>A Jint engine with the functions it has already instantiated from prepared code.</summary>
    private sealed class PooledEngine(Jint.Engine engine)
    {
        private readonly ConditionalWeakTable<PreparedCode, JsValue> _functions = [];

        public Jint.Engine Engine { get; } = engine;

        public JsValue FunctionFor(PreparedCode code)
        {
            if (_functions.TryGetValue(code, out var function))
            {
                return function;
            }

            Engine.Constraints.Reset();
            function = Engine.Evaluate(code.Program);
            _functions.AddOrUpdate(code, function);
            return function;
        }
    }
}

/// <summary>JavaScript prepared once: a function taking the free names it uses, then <c>execution</c>.</summary>
internal sealed class PreparedCode(Prepared<Acornima.Ast.Script> program, string[] parameters, bool usesExecution)
{
    public Prepared<Acornima.Ast.Script> Program { get; } = program;

    public string[] Parameters { get; } = parameters;

    public bool UsesExecution { get; } = usesExecution;
}

/// <summary>The prepared JavaScript of an expression, one entry per part (null for literal text).</summary>
public sealed partial class Expression
{
    internal PreparedCode?[] Prepared { get; init; } = [];
}
