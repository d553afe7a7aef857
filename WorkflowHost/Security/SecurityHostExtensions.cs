using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.HttpsPolicy;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.WorkflowHost.Security;

/// <summary>
/// The host's defences that are not sign-in itself: the client address and scheme from a trusted proxy, security
/// headers and HSTS, the cross-site request guard and the rate limits. Sign-in lockout is in <c>Identity</c>.
/// </summary>
public static class SecurityHostExtensions
{
    public static IServiceCollection AddComplaintWorkflowsSecurity(this IServiceCollection services)
    {
        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.KnownProxies.All(p => IPAddress.TryParse(p, out _)), "Workflows:Security:KnownProxies: every entry must be an IP address (代理地址须为 IP 地址).")
            .ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<SecurityOptions>>((o, settings) =>
        {
            // Loopback stays trusted (the default): nginx on the same machine.
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in settings.Value.KnownProxies)
            {
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            }
        });
        services.AddOptions<HstsOptions>().Configure<IOptions<SecurityOptions>>((o, settings) => o.MaxAge = settings.Value.HstsMaxAge);
        services.AddComplaintRateLimits();
        return services;
    }

    /// <summary>First in the pipeline: everything after sees the client's address and scheme, and every answer gets the headers.</summary>
    public static WebApplication UseComplaintWorkflowsSecurity(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseForwardedHeaders();
        app.UseHsts();
        app.Use(SecurityHeaders.InvokeAsync);
        app.Use(CrossSiteRequestGuard.InvokeAsync);
        return app;
    }
}
