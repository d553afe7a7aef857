using System.Collections;
using System.Globalization;
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
        /// <summary>A scope's state is masked as a message's: its text and every value in it (what the JSON formatter writes with <c>IncludeScopes</c>).</summary>
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
            => state switch
            {
                IReadOnlyList<KeyValuePair<string, object?>> list => inner.BeginScope(new MaskedState(MaskValues(list), PersonalData.MaskText(state.ToString()))),
                IEnumerable<KeyValuePair<string, object?>> pairs => inner.BeginScope(new MaskedState(MaskValues([.. pairs]), PersonalData.MaskText(state.ToString()))),
                string text => inner.BeginScope(PersonalData.MaskText(text)),
                _ => Masked(state.ToString()) is { } masked ? inner.BeginScope(masked) : inner.BeginScope(state),
            };

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }

            ArgumentNullException.ThrowIfNull(formatter);
            var message = PersonalData.MaskText(formatter(state, exception));
            var values = state is IReadOnlyList<KeyValuePair<string, object?>> list ? MaskValues(list) : [];
            var masked = exception is not null && PersonalData.MaskText(exception.ToString()) is var text && text != exception.ToString() ? new MaskedException(exception, text) : exception;
            inner.Log(logLevel, eventId, new MaskedState(values, message), masked, static (s, _) => s.Message);
        }
    }

    /// <summary>
    /// Structured values with personal data masked: a text, and any other value (a number, an object, a list) whose
    /// invariant text holds a phone number, ID number or e-mail address, which is then given as its masked text.
    /// </summary>
    private static List<KeyValuePair<string, object?>> MaskValues(IReadOnlyList<KeyValuePair<string, object?>> values)
    {
        var masked = new List<KeyValuePair<string, object?>>(values.Count);
        foreach (var pair in values)
        {
            masked.Add(pair.Key == "{OriginalFormat}" || pair.Value is null ? pair : new KeyValuePair<string, object?>(pair.Key, MaskValue(pair.Value)));
        }

        return masked;
    }

    private static object MaskValue(object value) => value switch
    {
        string text => PersonalData.MaskText(text),
        bool or DateTime or DateTimeOffset or TimeSpan or Guid or Enum => value,
        IEnumerable sequence and not IDictionary => Masked(string.Join(", ", sequence.Cast<object?>().Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)))) ?? value,
        _ => Masked(Convert.ToString(value, CultureInfo.InvariantCulture)) ?? value,
    };

    /// <summary>The masked text when masking changed it, else null (the value is kept as it was).</summary>
    private static string? Masked(string? text) => text is null || PersonalData.MaskText(text) is var masked && masked == text ? null : masked;

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
