using System.Collections;
using ComplaintWorkflows.WorkflowHost.Complaints;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ComplaintWorkflows.WorkflowHost.Operations;

/// <summary>
/// The log's format (text, or JSON lines with <see cref="OperationsOptions.JsonConsoleLogs"/>) and its safety net for
/// personal data: every logger the host hands out masks mobile numbers, e-mail addresses and ID numbers in the message,
/// in its structured values and in exception texts (<see cref="PersonalData.MaskText"/>), whatever the code logging them
/// did. Names and addresses have no shape to find: the code never logs them (the scenario test checks the whole log).
/// </summary>
internal static class OperationsLogging
{
    public static void Configure(WebApplicationBuilder builder, OperationsOptions options)
    {
        if (options.JsonConsoleLogs)
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }

        var services = builder.Services;
        services.RemoveAll<ILoggerFactory>();
        services.AddSingleton<ILoggerFactory>(sp => new MaskingLoggerFactory(ActivatorUtilities.CreateInstance<LoggerFactory>(sp)));
    }

    private sealed class MaskingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
    {
        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

        public ILogger CreateLogger(string categoryName) => new MaskingLogger(inner.CreateLogger(categoryName));

        public void Dispose() => inner.Dispose();
    }

    private sealed class MaskingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }

            ArgumentNullException.ThrowIfNull(formatter);
            var message = PersonalData.MaskText(formatter(state, exception));
            var values = state is IReadOnlyList<KeyValuePair<string, object?>> list
                ? list.Select(p => p.Key == "{OriginalFormat}" || p.Value is not string text ? p : new KeyValuePair<string, object?>(p.Key, PersonalData.MaskText(text))).ToList()
                : [];
            var masked = exception is not null && PersonalData.MaskText(exception.ToString()) is var text && text != exception.ToString() ? new MaskedException(exception, text) : exception;
            inner.Log(logLevel, eventId, new MaskedState(values, message), masked, static (s, _) => s.Message);
        }
    }

    /// <summary>The masked message and values, as the formatters read them (structured values, <c>{OriginalFormat}</c>, the message).</summary>
    private sealed class MaskedState(List<KeyValuePair<string, object?>> values, string message) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message { get; } = message;

        public int Count => values.Count;

        public KeyValuePair<string, object?> this[int index] => values[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => values.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => Message;
    }

    /// <summary>An exception whose text held personal data: its type and masked text stand in for it in the log.</summary>
    private sealed class MaskedException(Exception original, string text) : Exception(PersonalData.MaskText(original.Message))
    {
        public override string ToString() => text;
    }
}
