using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using ComplaintWorkflows.WorkflowHost.Complaints;
using ComplaintWorkflows.WorkflowHost.Tests.Complaints;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace ComplaintWorkflows.WorkflowHost.Tests.Operations;

/// <summary>
/// The host's JSON console formatter, scopes included, as the operator's log collector reads it: neither the scenario's
/// log nor scopes and structured values carrying a consumer's data (a dictionary scope, a message-template scope, an
/// object scope, a number) show the consumer's phone, ID number or e-mail address; the scenario's shows no name or address.
/// </summary>
public sealed class PersonalDataScopeLogTests : IDisposable
{
    private const string Name = "司马明远";
    private const string Phone = "13957719876";
    private const string Address = "温州市瓯海区娄桥街道古莲路66号2幢301室";
    private const string Email = "sima.mingyuan@example.com";
    private const string IdNumber = "330304198808086617";

    private readonly ComplaintHost _host = new()
    {
        Settings =
        {
            ["Logging:LogLevel:Default"] = "Debug",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Information",
            ["Workflows:Operations:JsonConsoleLogs"] = "true",
        },
        TestServices = services =>
        {
            services.AddSingleton<JsonLogCapture>();
            services.AddSingleton<ILoggerProvider>(sp => sp.GetRequiredService<JsonLogCapture>());
        },
    };

    [Fact]
    public async Task ScopesAndStructuredValues_InTheJsonLog_HoldNoneOfTheConsumersData()
    {
        var scenario = new ComplaintScenario(_host);
        var id = await scenario.FileAsync($"本人{Name}（身份证号{IdNumber}，电话{Phone}，邮箱{Email}）购买的冰箱不制冷，商家拒绝退换。",
            name: Name, phone: Phone, address: Address, email: Email, notifyBy: "Email", consumer: "consumer:c9");
        await scenario.ConfirmDispatchAsync(id);
        using (var anonymous = _host.Anonymous())
        using (var progress = await anonymous.GetAsync(new Uri($"/api/public/track?trackingNumber=TS-unknown&phone={Phone}", UriKind.Relative)))
        {
            Assert.NotEqual(HttpStatusCode.InternalServerError, progress.StatusCode);
        }

        // Code that puts a consumer's data in scopes and values (what the masking must catch, whoever wrote it).
        var logger = _host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ScopeProbe");
        using (logger.BeginScope(new Dictionary<string, object?> { ["ConsumerPhone"] = Phone, ["IdNumber"] = IdNumber, ["Contact"] = new Contact(Phone, Email), ["Numbers"] = new[] { Phone } }))
        using (logger.BeginScope("Calling back {Phone} about {Email}", Phone, Email))
        using (logger.BeginScope(new Contact(Phone, Email)))
        using (logger.BeginScope(Phone))
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                logger.LogInformation("Probe {Mobile} {Card} {Contact}", long.Parse(Phone, System.Globalization.CultureInfo.InvariantCulture), IdNumber, new Contact(Phone, Email));
            }
        }

        var capture = _host.Services.GetRequiredService<JsonLogCapture>();
        var probe = Assert.Single(capture.Lines, l => l.Contains("\"ScopeProbe\"", StringComparison.Ordinal));
        Assert.Contains("\"Scopes\"", probe, StringComparison.Ordinal);
        Assert.Contains(PersonalData.MaskPhone(Phone), probe, StringComparison.Ordinal);
        Assert.Contains("Calling back", probe, StringComparison.Ordinal);
        Assert.Contains("ConsumerPhone", probe, StringComparison.Ordinal);
        foreach (var value in new[] { Phone, IdNumber, Email, "sima.mingyuan" })
        {
            Assert.DoesNotContain(value, probe, StringComparison.Ordinal);
        }

        // The scenario's lines, scopes included (request path, trace id ...), hold nothing of the consumer either.
        var lines = capture.Lines;
        Assert.True(lines.Count > 20, $"the scenario was logged ({lines.Count} lines)");
        Assert.Contains(lines, l => l.Contains("\"Scopes\":[{", StringComparison.Ordinal) && l.Contains("RequestPath", StringComparison.Ordinal));
        foreach (var value in new[] { Name, Phone, Address, Address[6..], Email, IdNumber, "sima.mingyuan" })
        {
            Assert.DoesNotContain(lines, l => l.Contains(value, StringComparison.Ordinal));
        }
    }

    public void Dispose() => _host.Dispose();

    private sealed record Contact(string Phone, string Email);
}

/// <summary>Every log entry as the host's JSON console formatter writes it (one line each), scopes included.</summary>
public sealed class JsonLogCapture(IEnumerable<ConsoleFormatter> formatters) : ILoggerProvider, ISupportExternalScope
{
    private readonly ConsoleFormatter _json = formatters.Single(f => f.Name == ConsoleFormatterNames.Json);
    private readonly ConcurrentQueue<string> _lines = new();
    private static readonly System.Text.Json.JsonSerializerOptions Unescaped = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<string> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(JsonLogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => capture._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
            capture._json.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter), capture._scopes, writer);
            // The formatter escapes every non-ASCII character (\uXXXX): read back unescaped, so Chinese names and addresses are found.
            var line = System.Text.Json.Nodes.JsonNode.Parse(writer.ToString())!.ToJsonString(Unescaped);
            capture._lines.Enqueue(line);
        }
    }
}
