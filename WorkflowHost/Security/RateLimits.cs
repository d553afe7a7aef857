using System.Globalization;
using System.Threading.RateLimiting;
using ComplaintWorkflows.WorkflowHost.Identity;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.WorkflowHost.Security;

/// <summary>
/// ASP.NET Core's rate limiter on the anonymous routes and sign-in: a fixed window per client address (after the
/// trusted proxy's <c>X-Forwarded-For</c>), and per phone number and tracking number where the request names one
/// (<see cref="PerPhone"/>). Signed-in staff are never limited, so a flood from outside does not lock the desk out.
/// A refused request is 429 with <c>Retry-After</c> and a zh-CN Problem Details (<c>code: too-many-requests</c>).
/// The counters live in this host's memory: behind a load balancer each host counts on its own.
/// </summary>
public static class RateLimits
{
    public const string Intake = "intake";
    public const string Tracking = "tracking";
    public const string Survey = "survey";
    public const string SmsCallbacks = "sms-callbacks";
    public const string SignIn = "sign-in";
    public const string Speech = "speech";

    internal static IServiceCollection AddComplaintRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PhoneRateLimiter>();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, _) => new ValueTask(RejectAsync(context.HttpContext, RetryAfter(context.Lease)));
            o.AddPolicy(Intake, http => ByAddress(http, Intake, s => s.Intake));
            o.AddPolicy(Tracking, http => ByAddress(http, Tracking, s => s.Tracking));
            o.AddPolicy(Survey, http => ByAddress(http, Survey, s => s.Survey));
            o.AddPolicy(SmsCallbacks, http => ByAddress(http, SmsCallbacks, s => s.SmsCallbacks, exemptStaff: false));
            o.AddPolicy(SignIn, http => ByAddress(http, SignIn, s => s.SignIn, exemptStaff: false));
            o.AddPolicy(Speech, ByUserOrAddress);
        });
        return services;
    }

    /// <summary>
    /// An endpoint filter limiting by what the request names (a phone number, a tracking number), from any address:
    /// someone with many addresses still cannot try many tracking numbers with one phone number, or many phones on one
    /// tracking number. <paramref name="keys"/> reads the keys from the bound arguments.
    /// </summary>
    public static TBuilder PerPhone<TBuilder>(this TBuilder builder, string policy, Func<RateLimitOptions, RateLimitRule> rule, Func<EndpointFilterInvocationContext, IEnumerable<string?>> keys)
        where TBuilder : IEndpointConventionBuilder
        => builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var settings = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
            if (settings.Enabled && !IsStaff(http))
            {
                var limiter = http.RequestServices.GetRequiredService<PhoneRateLimiter>();
                foreach (var key in keys(context).Where(k => !string.IsNullOrWhiteSpace(k)))
                {
                    using var lease = limiter.Acquire($"{policy}:{key}", rule(settings));
                    if (!lease.IsAcquired)
                    {
                        return new Refusal(RetryAfter(lease));
                    }
                }
            }

            return await next(context).ConfigureAwait(false);
        });

    private static RateLimitPartition<string> ByAddress(HttpContext http, string policy, Func<RateLimitOptions, RateLimitRule> rule, bool exemptStaff = true)
    {
        var settings = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        if (!settings.Enabled || (exemptStaff && IsStaff(http)))
        {
            return RateLimitPartition.GetNoLimiter("");
        }

        var limit = rule(settings);
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return RateLimitPartition.GetFixedWindowLimiter($"{policy}:{address}:{limit.PermitLimit}:{limit.Window.Ticks}", _ => WindowOf(limit));
    }

    /// <summary>Recordings sent to the speech provider (each call costs): per signed-in user, staff included, else per address.</summary>
    private static RateLimitPartition<string> ByUserOrAddress(HttpContext http)
    {
        var settings = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        if (!settings.Enabled)
        {
            return RateLimitPartition.GetNoLimiter("");
        }

        var limit = settings.Speech;
        var who = http.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? "user:" + name : "address:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        return RateLimitPartition.GetFixedWindowLimiter($"{Speech}:{who}:{limit.PermitLimit}:{limit.Window.Ticks}", _ => WindowOf(limit));
    }

    internal static FixedWindowRateLimiterOptions WindowOf(RateLimitRule limit) => new()
    {
        PermitLimit = limit.PermitLimit,
        Window = limit.Window,
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private static bool IsStaff(HttpContext http) => http.User.Identity?.IsAuthenticated == true && RoleNames.Staff.Any(http.User.IsInRole);

    internal static TimeSpan RetryAfter(RateLimitLease lease) => lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);

    internal static Task RejectAsync(HttpContext http, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(
                title: "请求过于频繁 (Too many requests)",
                detail: $"请求过于频繁，请 {seconds} 秒后再试 (Too many requests from this address or for this phone number: try again in {seconds} s).",
                statusCode: StatusCodes.Status429TooManyRequests,
                extensions: new Dictionary<string, object?> { ["code"] = "too-many-requests", ["retryAfterSeconds"] = seconds })
            .ExecuteAsync(http);
    }

    /// <summary>The 429 of <see cref="PerPhone"/>, written as the rate limiter's own.</summary>
    private sealed class Refusal(TimeSpan retryAfter) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => RejectAsync(httpContext, retryAfter);
    }
}

/// <summary>Fixed windows keyed by phone or tracking number, in this host's memory (a singleton, disposed with the host).</summary>
internal sealed class PhoneRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<(string Key, RateLimitRule Rule)> _limiter =
        PartitionedRateLimiter.Create<(string Key, RateLimitRule Rule), string>(r => RateLimitPartition.GetFixedWindowLimiter(
            $"{r.Key}:{r.Rule.PermitLimit}:{r.Rule.Window.Ticks}", _ => RateLimits.WindowOf(r.Rule)));

    public RateLimitLease Acquire(string key, RateLimitRule rule) => _limiter.AttemptAcquire((key, rule));

    public void Dispose() => _limiter.Dispose();
}
