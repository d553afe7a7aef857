using System.Security.Cryptography;
using System.Text;
using ComplaintWorkflows.Activities;
using ComplaintWorkflows.Engine.Runtime;
using ComplaintWorkflows.WorkflowHost.Identity;
using ComplaintWorkflows.WorkflowHost.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ComplaintWorkflows.WorkflowHost.Operations;

/// <summary>
/// Metrics (OpenTelemetry: ASP.NET Core, HttpClient, runtime, the engine's and the domain's meters) on <c>/metrics</c>,
/// traces to OTLP when an endpoint is set, the database figures and their history, heartbeats, the health API, and the
/// log's format and masking.
/// </summary>
public static class OperationsHostExtensions
{
    /// <summary>Where Prometheus scrapes.</summary>
    public const string MetricsPath = "/metrics";

    public static WebApplicationBuilder AddOperations(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<OperationsOptions>().BindConfiguration(OperationsOptions.Section).ValidateDataAnnotations()
            .Validate(o => string.IsNullOrEmpty(o.ScrapeToken) || o.ScrapeToken.Trim().Length >= 32, "Workflows:Operations:ScrapeToken must be at least 32 characters (抓取令牌至少 32 个字符).")
            .Validate(o => string.IsNullOrWhiteSpace(o.OtlpEndpoint) || Uri.TryCreate(o.OtlpEndpoint, UriKind.Absolute, out _), "Workflows:Operations:OtlpEndpoint must be an absolute URI such as http://collector:4317.")
            .ValidateOnStart();
        var configured = builder.Configuration.GetSection(OperationsOptions.Section).Get<OperationsOptions>() ?? new OperationsOptions();

        services.AddSingleton<EngineMetrics>();
        services.AddSingleton<DomainMetrics>();
        services.AddSingleton<OperationsFigures>();
        services.AddSingleton<OperationsRecorder>();
        services.AddHostedService(sp => sp.GetRequiredService<OperationsRecorder>());

        var telemetry = services.AddOpenTelemetry().ConfigureResource(r => r.AddService("ComplaintWorkflows", serviceInstanceId: configured.HostName));
        telemetry.WithMetrics(metrics =>
        {
            metrics.AddMeter(EngineMetrics.MeterName, DomainMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation();
            if (configured.MetricsEnabled)
            {
                // The gauges cache the database figures themselves; the exporter's own cache would only delay them.
                metrics.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
            }

            if (!string.IsNullOrWhiteSpace(configured.OtlpEndpoint))
            {
                metrics.AddOtlpExporter(o => o.Endpoint = new Uri(configured.OtlpEndpoint));
            }
        });
        if (!string.IsNullOrWhiteSpace(configured.OtlpEndpoint))
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(EngineMetrics.MeterName)
                .AddAspNetCoreInstrumentation(o => o.Filter = c => !c.Request.Path.StartsWithSegments(MetricsPath, StringComparison.Ordinal))
                .AddHttpClientInstrumentation()
                .AddOtlpExporter(o => o.Endpoint = new Uri(configured.OtlpEndpoint)));
        }

        OperationsLogging.Configure(builder, configured);
        return builder;
    }

    /// <summary>
    /// <c>/metrics</c> for administrators or the scrape token, and the health API. Before the host's authentication
    /// middleware, so that the scrape token is never taken for a personal access token (whose failures lock an address out).
    /// </summary>
    public static WebApplication UseOperations(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetRequiredService<IOptions<OperationsOptions>>().Value.MetricsEnabled)
        {
            app.UseOpenTelemetryPrometheusScrapingEndpoint(meterProvider: null, predicate: null, path: MetricsPath, configureBranchedPipeline: branch => branch.Use(MetricsGateAsync), optionsName: null);
        }

        app.MapOperationsApi();
        return app;
    }

    /// <summary>
    /// The scrape token, or a signed-in administrator: 401 for nobody, 403 for a user without the role and for an
    /// administrator who has not yet changed the initial password (the token has no password to change). Every request,
    /// answered or refused, counts against the address's <see cref="RateLimitOptions.Metrics"/> window first, so the
    /// token cannot be guessed at speed and scrapes cannot load the database.
    /// </summary>
    private static async Task MetricsGateAsync(HttpContext context, RequestDelegate next)
    {
        var limits = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        if (limits.Enabled)
        {
            var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            using var lease = context.RequestServices.GetRequiredService<PhoneRateLimiter>().Acquire($"metrics:{address}", limits.Metrics);
            if (!lease.IsAcquired)
            {
                await RateLimits.RejectAsync(context, RateLimits.RetryAfter(lease)).ConfigureAwait(false);
                return;
            }
        }

        var token = context.RequestServices.GetRequiredService<IOptions<OperationsOptions>>().Value.ScrapeToken?.Trim();
        if (!string.IsNullOrEmpty(token) && context.Request.Headers.Authorization.ToString() is { } header
            && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && SameSecret(header["Bearer ".Length..].Trim(), token))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var result = await context.AuthenticateAsync().ConfigureAwait(false);
        if (!result.Succeeded)
        {
            await context.ChallengeAsync().ConfigureAwait(false);
            return;
        }

        context.User = result.Principal;
        if (!context.User.IsInRole(RoleNames.Administrator))
        {
            await context.ForbidAsync().ConfigureAwait(false);
            return;
        }

        if (PasswordChangeGate.MustChangePassword(context.User))
        {
            await PasswordChangeGate.RefuseAsync(context).ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    private static bool SameSecret(string given, string expected)
        => CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
