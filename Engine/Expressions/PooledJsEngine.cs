using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using Jint.Runtime.Interop;

namespace ComplaintWorkflows.Engine.Expressions;

/// <summary>
/// One Jint engine of the pool: limits applied, built-ins frozen, an <c>execution</c> global bound to the scope of
/// the evaluation in progress, and a snapshot of its clean globals restored after every evaluation.
/// Used by one thread at a time.
/// </summary>
internal sealed class PooledJsEngine
{
    private readonly GlobalSnapshot snapshot;

    public PooledJsEngine(ExpressionOptions limits)
    {
        MemoryLimitBytes = Math.Max(0, limits.MemoryLimitBytes);
        Js = new Jint.Engine(options =>
        {
            options.Strict();
            options.DisableStringCompilation();
            if (limits.Timeout > TimeSpan.Zero && limits.Timeout != Timeout.InfiniteTimeSpan)
            {
                options.TimeoutInterval(limits.Timeout);
            }

            if (limits.MaxStatements > 0)
            {
                options.MaxStatements(limits.MaxStatements);
            }

            if (limits.MemoryLimitBytes > 0)
            {
                options.LimitMemory(limits.MemoryLimitBytes);
            }

            if (limits.MaxRecursionDepth >= 0)
            {
                options.LimitRecursion(limits.MaxRecursionDepth);
            }
        });

        Js.SetValue(ExpressionEngine.ExecutionName, CreateExecutionObject());
        FreezeBuiltIns();
        snapshot = Js.Advanced.CaptureGlobalSnapshot();
    }

    public Jint.Engine Js { get; }

    /// <summary>The memory limit the engine was built with (0: none).</summary>
    public long MemoryLimitBytes { get; }

    /// <summary>The scope of the evaluation in progress; null between evaluations.</summary>
    public IVariableScope? Scope { get; set; }

    /// <summary>Removes everything an evaluation left behind: bound variables, new globals, call stack, scope.</summary>
    public void Reset()
    {
        Scope = null;
        Js.Advanced.ResetCallStack();
        Js.Advanced.RestoreGlobalSnapshot(snapshot);
    }

    /// <summary>
    /// Freezes every object reachable from the global object (constructors, prototypes, Math, JSON, execution...),
    /// so that no evaluation can change what the next one sees: <c>Array.prototype.x = 1</c> fails. Done in C#
    /// because the engine's limits already apply to any script it runs.
    /// </summary>
    private void FreezeBuiltIns()
    {
        var freeze = Js.Global.Get("Object").AsObject().Get("freeze");
        var seen = new HashSet<ObjectInstance>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<ObjectInstance>();
        foreach (var key in Js.Global.GetOwnPropertyKeys())
        {
            if (key.IsString() && key.AsString() == "globalThis")
            {
                continue;
            }

            Push(Js.Global.GetOwnProperty(key).Value);
        }

        Push(Js.Global.Prototype);
        while (pending.TryPop(out var obj))
        {
            Js.Invoke(freeze, obj);
            foreach (var key in obj.GetOwnPropertyKeys())
            {
                var descriptor = obj.GetOwnProperty(key);
                if (descriptor.IsDataDescriptor())
                {
                    Push(descriptor.Value);
                }
                else
                {
                    Push(descriptor.Get);
                    Push(descriptor.Set);
                }
            }

            Push(obj.Prototype);
        }

        void Push(JsValue? value)
        {
            if (value is ObjectInstance obj && seen.Add(obj))
            {
                pending.Push(obj);
            }
        }
    }

    private JsObject CreateExecutionObject()
    {
        var execution = new JsObject(Js);
        AddMethod(execution, "getVariable", 1, (_, args) =>
        {
            var name = NameArgument(args, "getVariable");
            return CurrentScope.TryGetVariable(name, out var value) ? JsConversion.ToJs(Js, name, value) : JsValue.Null;
        });
        AddMethod(execution, "setVariable", 2, (_, args) =>
        {
            var name = NameArgument(args, "setVariable");
            CurrentScope.SetVariable(name, JsConversion.ToClr(args.Length > 1 ? args[1] : JsValue.Undefined));
            return JsValue.Undefined;
        });
        AddFact(execution, "ProcessInstanceId", () => CurrentScope.ProcessInstanceId);
        AddFact(execution, "BusinessKey", () => CurrentScope.BusinessKey);
        AddFact(execution, "ActivityId", () => CurrentScope.ActivityId);
        return execution;
    }

    private IVariableScope CurrentScope =>
        Scope ?? throw new InvalidOperationException("The execution object was used outside an evaluation.");

    private void AddMethod(JsObject target, string name, int length, Func<JsValue, JsValue[], JsValue> body) =>
        target.FastSetProperty(name, new PropertyDescriptor(new ClrFunction(Js, name, body, length, PropertyFlag.Configurable), PropertyFlag.NonEnumerable));

    private void AddFact(JsObject target, string name, Func<string?> read)
    {
        JsValue Read() => read() is { } text ? JsString.Create(text) : JsValue.Null;
        AddMethod(target, "get" + name, 0, (_, _) => Read());
        var property = char.ToLowerInvariant(name[0]) + name[1..];
        var getter = new ClrFunction(Js, "get " + property, (_, _) => Read(), 0, PropertyFlag.Configurable);
        target.DefineOwnProperty(property, new GetSetPropertyDescriptor(getter, JsValue.Undefined, enumerable: true, configurable: false));
    }

    private static string NameArgument(JsValue[] args, string method) =>
        args.Length > 0 && args[0].IsString()
            ? args[0].AsString()
            : throw new ExpressionException($"execution.{method} needs a variable name (a string) as its first argument.");
}
