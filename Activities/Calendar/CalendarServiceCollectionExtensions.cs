using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Calendar;

public static class CalendarServiceCollectionExtensions
{
    /// <summary>
    /// The working-day calendar (<see cref="IWorkingCalendar"/>, <see cref="WorkingCalendar"/>), the
    /// <see cref="SlaClock"/> and the calendar and rule-set administration (<see cref="CalendarService"/>), with
    /// <see cref="CalendarOptions"/> bound from <c>Workflows:Domain:Calendar</c> and checked at start.
    /// Needs an <c>IDbContextFactory&lt;DomainDbContext&gt;</c>; uses <see cref="TimeProvider.System"/> unless a
    /// TimeProvider is registered. The host calls <see cref="CalendarService.SeedAsync"/> at start.
    /// </summary>
    public static IServiceCollection AddWorkingCalendar(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<CalendarOptions>().Bind(configuration.GetSection(CalendarOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CalendarOptions>, CalendarOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<WorkingCalendar>();
        services.TryAddSingleton<IWorkingCalendar>(sp => sp.GetRequiredService<WorkingCalendar>());
        services.TryAddSingleton<SlaClock>();
        services.TryAddSingleton<CalendarService>();
        return services;
    }
}

/// <summary>Checks what data annotations cannot: the time zone exists and the office hours are ranges that do not overlap.</summary>
internal sealed class CalendarOptionsValidator : IValidateOptions<CalendarOptions>
{
    public ValidateOptionsResult Validate(string? name, CalendarOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.TimeZone) && !TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone, out _))
        {
            failures.Add($"{CalendarOptions.Section}:TimeZone: '{options.TimeZone}' is not a time zone of this system (时区不存在，如 Asia/Shanghai).");
        }

        var ranges = new List<(TimeOnly From, TimeOnly To)>();
        foreach (var range in options.EffectiveOfficeHours)
        {
            var parts = (range ?? "").Split('-', StringSplitOptions.TrimEntries);
            if (parts.Length == 2 && TimeOnly.TryParse(parts[0], CultureInfo.InvariantCulture, out var from) && TimeOnly.TryParse(parts[1], CultureInfo.InvariantCulture, out var to) && from < to)
            {
                if (ranges.Any(r => from < r.To && r.From < to))
                {
                    failures.Add($"{CalendarOptions.Section}:OfficeHours: '{range}' overlaps another range (办公时间段重叠).");
                }

                ranges.Add((from, to));
            }
            else
            {
                failures.Add($"{CalendarOptions.Section}:OfficeHours: '{range}' is not a range like 08:30-12:00 (办公时间格式应为 08:30-12:00).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
