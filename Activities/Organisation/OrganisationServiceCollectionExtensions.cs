using ComplaintWorkflows.Activities.Calendar;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Organisation;

public static class OrganisationServiceCollectionExtensions
{
    /// <summary>
    /// Registers the organisation services (jurisdiction, dispatch, assignment, administration) and binds
    /// <see cref="OrganisationOptions"/> from <c>Workflows:Domain:Organisation</c>, validated at start-up.
    /// Needs an <c>IDbContextFactory&lt;DomainDbContext&gt;</c>, a <see cref="TimeProvider"/> and an
    /// <see cref="IWorkingCalendar"/> registered elsewhere.
    /// </summary>
    public static IServiceCollection AddOrganisation(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<OrganisationOptions>()
            .Bind(configuration.GetSection(OrganisationOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => TryFindTimeZone(o.TimeZone), $"{OrganisationOptions.Section}:TimeZone 不是已知的时区 (unknown time zone id).")
            .Validate(o => o.DefaultMaxOpenComplaints <= o.MaxOpenComplaintsLimit, $"{OrganisationOptions.Section}:DefaultMaxOpenComplaints 不能大于 MaxOpenComplaintsLimit.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<OrganisationCache>();
        services.TryAddSingleton<JurisdictionResolver>();
        services.TryAddSingleton<AssigneeResolver>();
        services.TryAddSingleton<DispatchAdvisor>();
        services.TryAddSingleton<OrganisationService>();
        return services;
    }

    private static bool TryFindTimeZone(string id)
    {
        try
        {
            _ = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (TimeZoneNotFoundException)
        {
            return false;
        }
        catch (InvalidTimeZoneException)
        {
            return false;
        }
    }
}
