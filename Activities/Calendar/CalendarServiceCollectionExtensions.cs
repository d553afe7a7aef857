using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ComplaintWorkflows.Activities.Calendar;

public static class CalendarServiceCollectionExtensions
{
    /// <summary>The working-day calendar, the SLA clock and the calendar administration (section <c>Workflows:Domain:Calendar</c>).</summary>
    public static IServiceCollection AddWorkingCalendar(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<CalendarOptions>().BindConfiguration(CalendarOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<WorkingCalendar>();
        services.AddSingleton<IWorkingCalendar>(sp => sp.GetRequiredService<WorkingCalendar>());
        services.AddSingleton<SlaClock>();
        services.AddSingleton<CalendarService>();
        return services;
    }
}
