using System.Globalization;
using ComplaintWorkflows.Engine.Activities;

namespace ComplaintWorkflows.Activities.Calendar;

/// <summary>
/// The process variables a deadline keeps under its prefix (<c>handling</c> → <c>handlingDueAt</c> ...), shared by
/// <c>sla.deadline</c>, <c>sla.pause</c> and <c>sla.resume</c>.
/// </summary>
internal static class SlaVariables
{
    public const string DueAt = "DueAt";
    public const string WarnAt = "WarnAt";
    public const string DueDate = "DueDate";
    public const string RuleSet = "RuleSet";
    public const string Unit = "Unit";
    public const string StartAt = "StartAt";
    public const string Amount = "Amount";
    public const string PausedAt = "PausedAt";
    public const string PauseReason = "PauseReason";

    /// <summary>The <c>variablePrefix</c> input, else the <c>kind</c> input (which must name a <see cref="DeadlineKind"/>).</summary>
    public static string Prefix(ActivityContext context)
    {
        if (context.GetInput<string>("variablePrefix") is { Length: > 0 } prefix)
        {
            return prefix.Trim();
        }

        var kind = context.GetInput<string>("kind");
        if (string.IsNullOrWhiteSpace(kind))
        {
            throw new InvalidOperationException($"{context.Descriptor.Name} at element '{context.ElementId}': give the input 'kind' or 'variablePrefix' (期限类型或变量前缀至少填写一项).");
        }

        return Camel(ParseKind(context, kind));
    }

    public static DeadlineKind ParseKind(ActivityContext context, string kind)
        => kind.Trim().All(char.IsAsciiLetter) && Enum.TryParse<DeadlineKind>(kind.Trim(), ignoreCase: true, out var parsed)
            ? parsed
            : throw new InvalidOperationException($"Input 'kind' of {context.Descriptor.Name} at element '{context.ElementId}': '{kind}' is not one of {string.Join(", ", Enum.GetNames<DeadlineKind>().Select(Camel))} (期限类型无效).");

    public static string Camel(DeadlineKind kind) => Camel(kind.ToString());

    /// <summary>An instant from an input: an ISO-8601 string (or a date value); null when not given.</summary>
    public static DateTimeOffset? InstantInput(ActivityContext context, string input)
        => Instant(context.GetInput(input), () => $"Input '{input}' of {context.Descriptor.Name} at element '{context.ElementId}'");

    /// <summary>An instant kept in the variable <c>prefix + name</c>; null when not set.</summary>
    public static DateTimeOffset? InstantVariable(ActivityContext context, string prefix, string name)
        => Instant(context.GetVariable(prefix + name), () => $"Variable '{prefix + name}' read by {context.Descriptor.Name} at element '{context.ElementId}'");

    public static void Write(ActivityContext context, string prefix, SlaDeadline deadline, TimeZoneInfo zone, WorkingCalendar calendar)
    {
        context.SetVariable(prefix + DueAt, SlaClock.Format(deadline.DueAt, zone));
        context.SetVariable(prefix + WarnAt, SlaClock.Format(deadline.WarnAt, zone));
        context.SetVariable(prefix + DueDate, calendar.CountingDay(deadline.DueAt).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        context.SetVariable(prefix + RuleSet, deadline.RuleSet);
        context.SetVariable(prefix + Unit, deadline.Unit.ToString());
        context.SetVariable(prefix + StartAt, SlaClock.Format(deadline.StartAt, zone));
        context.SetVariable(prefix + Amount, (long)deadline.Amount);
    }

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    private static DateTimeOffset? Instant(object? value, Func<string> where) => value switch
    {
        null => null,
        DateTimeOffset instant => instant,
        DateTime time => new DateTimeOffset(time),
        string text when string.IsNullOrWhiteSpace(text) => null,
        string text when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed) => parsed,
        _ => throw new InvalidOperationException($"{where()} is not an ISO-8601 instant such as 2026-10-11T00:00:00+08:00: '{value}' (时间格式无效)."),
    };
}
