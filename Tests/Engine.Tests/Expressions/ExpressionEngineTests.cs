using System.Diagnostics;
using ComplaintWorkflows.Engine.Expressions;

namespace ComplaintWorkflows.Engine.Tests.Expressions;

public sealed class ExpressionEngineTests
{
    private readonly ExpressionEngine engine = new();

    private object? Eval(string text, Dictionary<string, object?>? variables = null) =>
        engine.Evaluate(engine.Parse(text), new DictionaryScope(variables));

    [Fact]
    public void Evaluate_ReturnsText_GivenLiteral()
    {
        var expression = engine.Parse("just text");

        Assert.Equal(ExpressionKind.Literal, expression.Kind);
        Assert.Equal("just text", engine.Evaluate(expression, new DictionaryScope()));
    }

    [Fact]
    public void Evaluate_ReturnsLong_GivenIntegerArithmetic()
    {
        var value = Eval("${a * 2 + 1}", new() { ["a"] = 20L });

        Assert.Equal(41L, Assert.IsType<long>(value));
    }

    [Fact]
    public void Evaluate_ReturnsDouble_GivenFractionalResult()
    {
        Assert.Equal(2.5, Assert.IsType<double>(Eval("${a / 2}", new() { ["a"] = 5L })));
        Assert.IsType<double>(Eval("${1 / 0}"));
        Assert.IsType<double>(Eval("${2 ** 70}"));
    }

    [Fact]
    public void Evaluate_KeepsType_GivenSingleExpression()
    {
        Assert.Equal(true, Eval("${flag}", new() { ["flag"] = true }));
        Assert.Equal("abc", Eval("${s}", new() { ["s"] = "abc" }));
        Assert.Null(Eval("${n}", new() { ["n"] = null }));
        Assert.Equal(1.25, Eval("${d}", new() { ["d"] = 1.25 }));
        Assert.Equal(3L, Eval("${d}", new() { ["d"] = 3m }));
        Assert.Equal(7L, Eval("${i}", new() { ["i"] = 7 }));
    }

    [Fact]
    public void Evaluate_ReturnsConcatenatedString_GivenTemplate()
    {
        var expression = engine.Parse("Dear ${name}, you owe ${amount * 2}${missing}.");

        var value = engine.Evaluate(expression, new DictionaryScope(new Dictionary<string, object?> { ["name"] = "Ann", ["amount"] = 1.5 }));

        Assert.Equal(ExpressionKind.Template, expression.Kind);
        Assert.Equal("Dear Ann, you owe 3.", value);
    }

    [Fact]
    public void Evaluate_ConvertsDatesBothWays()
    {
        var when = new DateTimeOffset(2026, 3, 1, 12, 30, 0, TimeSpan.Zero);

        var later = Eval("${new Date(d.getTime() + 86400000)}", new() { ["d"] = when });
        var year = Eval("${d.getUTCFullYear()}", new() { ["d"] = when });

        Assert.Equal(when.AddDays(1), Assert.IsType<DateTimeOffset>(later));
        Assert.Equal(2026L, year);
    }

    [Fact]
    public void Evaluate_ConvertsListsAndMapsBothWays()
    {
        var order = new Dictionary<string, object?> { ["items"] = new List<object?> { 1L, "two", null }, ["total"] = 9.5 };

        var value = Eval("${ {count: order.items.length, first: order.items[0], names: order.items.slice(1), total: order.total} }", new() { ["order"] = order });

        var map = Assert.IsType<Dictionary<string, object?>>(value);
        Assert.Equal(3L, map["count"]);
        Assert.Equal(1L, map["first"]);
        Assert.Equal(new List<object?> { "two", null }, map["names"]);
        Assert.Equal(9.5, map["total"]);
    }

    [Fact]
    public void Evaluate_RefusesClrObjects_GivenUnsupportedVariableType()
    {
        var ex = Assert.Throws<ExpressionException>(() => Eval("${x}", new() { ["x"] = new Uri("http://example.com") }));

        Assert.Contains("'x'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Uri", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_TreatsUnsetVariableAsUndefined()
    {
        Assert.Equal(false, Eval("${big === true}"));
        Assert.Equal("undefined", Eval("${typeof big}"));
        Assert.Null(Eval("${big}"));
    }

    [Fact]
    public void Evaluate_UsesJavaScriptGlobals()
    {
        Assert.Equal(5L, Eval("${Math.max(a, 5)}", new() { ["a"] = 2L }));
        Assert.Equal("{\"a\":1}", Eval("${JSON.stringify({a: 1})}"));
        Assert.Equal(42L, Eval("${parseInt('42')}"));
    }

    [Fact]
    public void Evaluate_RoundTripsChineseStrings()
    {
        var scope = new DictionaryScope(new Dictionary<string, object?> { ["客户"] = "张三" });
        var script = engine.ParseScript("execution.setVariable('问候', '你好，' + 客户); 客户.length");

        var length = engine.Evaluate(script, scope);

        Assert.Equal(2L, length);
        Assert.Equal("你好，张三", scope.Variables["问候"]);
        Assert.Equal("投诉：张三", Eval("投诉：${客户}", new() { ["客户"] = "张三" }));
    }

    [Theory]
    [InlineData("${a + '${'}", "x${")]
    [InlineData("${a + '}'}", "x}")]
    [InlineData("${ {b: a}.b }", "x")]
    [InlineData("${`${a}!`}", "x!")]
    [InlineData("${a} and #{a}", "x and x")]
    public void Evaluate_HandlesBracesAndQuotesInsideCode(string text, string expected)
    {
        Assert.Equal(expected, Eval(text, new() { ["a"] = "x" }));
    }

    [Fact]
    public void EvaluateCondition_ReturnsBoolean_GivenComparison()
    {
        var condition = engine.Parse("${amount > 1000 && customer.vip}");
        var scope = new DictionaryScope(new Dictionary<string, object?>
        {
            ["amount"] = 5000L,
            ["customer"] = new Dictionary<string, object?> { ["vip"] = true },
        });

        Assert.True(engine.EvaluateCondition(condition, scope));
        Assert.True(engine.EvaluateCondition(engine.Parse("true"), scope));
        Assert.False(engine.EvaluateCondition(engine.Parse(" false "), scope));
    }

    [Fact]
    public void EvaluateCondition_Throws_GivenNonBooleanResult()
    {
        var ex = Assert.Throws<ExpressionException>(() => engine.EvaluateCondition(engine.Parse("${amount}"), new DictionaryScope(new Dictionary<string, object?> { ["amount"] = 3L })));

        Assert.Contains("${amount}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("returned a number, expected a boolean", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ExpressionException>(() => engine.EvaluateCondition(engine.Parse("yes"), new DictionaryScope()));
    }

    [Fact]
    public void Evaluate_WritesVariablesOnlyThroughExecution_GivenScript()
    {
        var scope = new DictionaryScope(new Dictionary<string, object?> { ["a"] = 2L, ["b"] = 3L });
        var script = engine.ParseScript("""
            var sum = a + b;
            a = 100;
            execution.setVariable('sum', sum);
            execution.setVariable('tags', ['x', {y: 1.5}]);
            execution.getVariable('b') * 10 + (execution.getVariable('nothing') === null ? 1 : 0);
            """, "JavaScript");

        var result = engine.Evaluate(script, scope);

        Assert.Equal(ExpressionKind.Script, script.Kind);
        Assert.Equal(31L, result);
        Assert.Equal(5L, scope.Variables["sum"]);
        Assert.Equal(2L, scope.Variables["a"]);
        var tags = Assert.IsType<List<object?>>(scope.Variables["tags"]);
        Assert.Equal("x", tags[0]);
        Assert.Equal(1.5, Assert.IsType<Dictionary<string, object?>>(tags[1])["y"]);
    }

    [Fact]
    public void Evaluate_ExposesExecutionFacts()
    {
        var scope = new DictionaryScope { ProcessInstanceId = "pi-7", BusinessKey = "bk", ActivityId = "Task_A" };
        var expression = engine.Parse("${execution.getProcessInstanceId()}/${execution.businessKey}/${execution.activityId}/${execution.getBusinessKey()}");

        Assert.Equal("pi-7/bk/Task_A/bk", engine.Evaluate(expression, scope));
    }

    [Theory]
    [InlineData("js")]
    [InlineData("ECMAScript")]
    [InlineData("javascript")]
    public void ParseScript_AcceptsJavaScriptFormats(string format)
    {
        Assert.Equal(3L, engine.Evaluate(engine.ParseScript("1 + 2", format), new DictionaryScope()));
    }

    [Fact]
    public void ParseScript_Throws_GivenUnsupportedFormat()
    {
        var ex = Assert.Throws<ExpressionException>(() => engine.ParseScript("x = 1", "groovy"));

        Assert.Contains("nsupported script format", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ReportsTextAndPosition_GivenSyntaxError()
    {
        var ex = Assert.Throws<ExpressionException>(() => engine.Parse("Total: ${a +* b}"));

        Assert.Contains("Total: ${a +* b}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("position 12", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseScript_ReportsLine_GivenSyntaxError()
    {
        var ex = Assert.Throws<ExpressionException>(() => engine.ParseScript("var a = 1;\nvar = 2;"));

        Assert.Contains("line 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RejectsStatements_GivenSingleExpression()
    {
        Assert.Throws<ExpressionException>(() => engine.Parse("${a); while(true){} (b}"));
    }

    [Fact]
    public void Evaluate_ReportsJavaScriptError_GivenTypeError()
    {
        var ex = Assert.Throws<ExpressionException>(() => Eval("${customer.name}"));

        Assert.Contains("TypeError", ex.Message, StringComparison.Ordinal);
        Assert.Contains("${customer.name}", ex.Message, StringComparison.Ordinal);
        Assert.False(ex.IsLimitExceeded);
    }

    [Fact]
    public void Evaluate_ReportsThrownValue_GivenScriptThrow()
    {
        var ex = Assert.Throws<ExpressionException>(() => engine.Evaluate(engine.ParseScript("throw new Error('refund too large')"), new DictionaryScope()));

        Assert.Contains("refund too large", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_FailsWithLimitExceeded_GivenEndlessLoop()
    {
        var limited = new ExpressionEngine(new ExpressionOptions { Timeout = TimeSpan.FromMilliseconds(200), MaxStatements = 0 });
        var stopwatch = Stopwatch.StartNew();

        var ex = Assert.Throws<ExpressionException>(() => limited.Evaluate(limited.ParseScript("while(true){}"), new DictionaryScope()));

        Assert.True(ex.IsLimitExceeded);
        Assert.Contains("time limit", ex.Message, StringComparison.Ordinal);
        Assert.Contains("while(true){}", ex.Message, StringComparison.Ordinal);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), $"took {stopwatch.Elapsed}");
        Assert.Equal(2L, limited.Evaluate(limited.Parse("${1 + 1}"), new DictionaryScope()));
    }

    [Fact]
    public void Evaluate_FailsWithLimitExceeded_GivenTooManyStatements()
    {
        var limited = new ExpressionEngine(new ExpressionOptions { MaxStatements = 100 });

        var ex = Assert.Throws<ExpressionException>(() => limited.Evaluate(limited.ParseScript("for (var i = 0; i < 1000; i++) { i; }"), new DictionaryScope()));

        Assert.True(ex.IsLimitExceeded);
        Assert.Contains("100 statements", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1000L, limited.Evaluate(limited.ParseScript("var n = 0; for (var i = 0; i < 10; i++) { n += 100; } n"), new DictionaryScope()));
    }

    [Fact]
    public void Evaluate_FailsWithLimitExceeded_GivenDeepRecursion()
    {
        var ex = Assert.Throws<ExpressionException>(() => engine.Evaluate(engine.ParseScript("function f(n) { return f(n + 1); } f(0)"), new DictionaryScope()));

        Assert.True(ex.IsLimitExceeded);
        Assert.Contains("recursion", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_FailsWithLimitExceeded_GivenHugeAllocation()
    {
        var limited = new ExpressionEngine(new ExpressionOptions { MemoryLimitBytes = 4 * 1024 * 1024, MaxStatements = 0, Timeout = TimeSpan.FromSeconds(20) });

        var ex = Assert.Throws<ExpressionException>(() => limited.Evaluate(limited.ParseScript("var a = []; while (true) { a.push({ text: 'x'.repeat(100) + a.length }); }"), new DictionaryScope()));

        Assert.True(ex.IsLimitExceeded);
        Assert.Contains("memory limit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_DoesNotLeakBetweenEvaluations_GivenPooledEngine()
    {
        var single = new ExpressionEngine { MaxPooledEngines = 1 };
        var write = single.ParseScript("var leaked = 1; secret = 'x'; globalThis.other = 2; try { Array.prototype.evil = 1; } catch (e) {} typeof secret");
        var read = single.Parse("${typeof leaked + typeof secret + typeof other + typeof [].evil}");

        Assert.Equal("string", single.Evaluate(write, new DictionaryScope(new Dictionary<string, object?> { ["secret"] = "s" })));
        Assert.Equal("undefinedundefinedundefinedundefined", single.Evaluate(read, new DictionaryScope()));
    }

    [Fact]
    public void Evaluate_IsCleanAfterLimitViolation()
    {
        var single = new ExpressionEngine(new ExpressionOptions { MaxStatements = 50 }) { MaxPooledEngines = 1 };

        Assert.Throws<ExpressionException>(() => single.Evaluate(single.ParseScript("var junk = 1; while (true) {}"), new DictionaryScope()));

        Assert.Equal("undefined", single.Evaluate(single.Parse("${typeof junk}"), new DictionaryScope()));
    }

    [Fact]
    public void Evaluate_DeniesClrAccess()
    {
        Assert.Equal("undefined", Eval("${typeof importNamespace}"));
        Assert.Equal("undefined", Eval("${typeof System}"));
        Assert.Equal("undefined", Eval("${typeof execution.getVariable.GetType}"));
        Assert.Throws<ExpressionException>(() => Eval("${eval('1')}"));
    }

    [Fact]
    public void Evaluate_GivesCorrectResults_GivenConcurrentEvaluations()
    {
        var expression = engine.Parse("${n * 2 + (typeof leftover)}");
        var failures = 0;

        Parallel.For(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var value = engine.Evaluate(expression, new DictionaryScope(new Dictionary<string, object?> { ["n"] = (long)i }));
            if (!Equals(value, $"{i * 2}undefined"))
            {
                Interlocked.Increment(ref failures);
            }
        });

        Assert.Equal(0, failures);
    }

    [Theory]
    [InlineData("'x'.repeat(2 ** 28).length")]
    [InlineData("new Array(1e8).fill(0).length")]
    [InlineData("var s = 'x'; while (true) { s = s + s; }")]
    public void Evaluate_Fails_GivenHugeSingleAllocations(string source)
    {
        var limited = new ExpressionEngine(new ExpressionOptions { MemoryLimitBytes = 8 * 1024 * 1024, Timeout = TimeSpan.FromSeconds(10) });

        var ex = Assert.Throws<ExpressionException>(() => limited.Evaluate(limited.ParseScript(source), new DictionaryScope()));

        Assert.Contains(source[..10], ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_CannotCatchLimitViolation_GivenTryCatchInScript()
    {
        var limited = new ExpressionEngine(new ExpressionOptions { MaxStatements = 1000 });

        var ex = Assert.Throws<ExpressionException>(() => limited.Evaluate(limited.ParseScript("var caught = 0; while (true) { try { while (true) {} } catch (e) { caught++; } }"), new DictionaryScope()));

        Assert.True(ex.IsLimitExceeded);
    }

    [Fact]
    public void Evaluate_Throws_GivenFunctionPassedToSetVariable()
    {
        var ex = Assert.Throws<ExpressionException>(() => engine.Evaluate(engine.ParseScript("execution.setVariable('f', () => 1)"), new DictionaryScope()));

        Assert.Contains("function", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_AcceptsJsonAndDateTimeVariables()
    {
        using var json = System.Text.Json.JsonDocument.Parse("""{"lines": [{"qty": 2}, {"qty": 3}], "note": null}""");
        var variables = new Dictionary<string, object?>
        {
            ["order"] = json.RootElement.Clone(),
            ["at"] = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc),
        };

        Assert.Equal(5L, Eval("${order.lines[0].qty + order.lines[1].qty}", variables));
        Assert.Equal(true, Eval("${order.note === null}", variables));
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), Eval("${at}", variables));
    }

    [Fact]
    public void Evaluate_KeepsBuiltInGlobals_GivenVariableWithSameName()
    {
        Assert.Equal(3L, Eval("${Math.max(1, 3)}", new() { ["Math"] = "not math" }));
    }

    [Fact]
    public void Evaluate_Throws_GivenExpressionNotCreatedByParse()
    {
        var unprepared = new Expression { Text = "${a}", Kind = ExpressionKind.SingleExpression, Parts = [new ExpressionPart("a", true)] };

        var ex = Assert.Throws<ExpressionException>(() => engine.Evaluate(unprepared, new DictionaryScope()));

        Assert.Contains("not prepared", ex.Message, StringComparison.Ordinal);
    }
}
