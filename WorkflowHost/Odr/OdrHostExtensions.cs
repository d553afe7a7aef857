using ComplaintWorkflows.Activities.Odr;
using ComplaintWorkflows.WorkflowHost.MobilePoints;

namespace ComplaintWorkflows.WorkflowHost.Odr;

/// <summary>The enterprise portal (ODR), the public disclosure and the mobile intake points: services and endpoints.</summary>
public static class OdrHostExtensions
{
    public static IServiceCollection AddOdrAndMobileIntake(this IServiceCollection services)
    {
        services.AddOptions<OdrOptions>().BindConfiguration(OdrOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }

    public static IEndpointRouteBuilder MapOdrAndMobileIntake(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOdrApi();
        endpoints.MapDisclosureApi();
        endpoints.MapMobilePointApi();
        return endpoints;
    }
}
