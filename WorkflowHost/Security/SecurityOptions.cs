using System.ComponentModel.DataAnnotations;

namespace ComplaintWorkflows.WorkflowHost.Security;

/// <summary>The <c>Workflows:Security</c> section: proxies trusted for the client's address and scheme, and HSTS.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Workflows:Security";

    /// <summary>
    /// Addresses of reverse proxies (nginx) whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed,
    /// besides loopback. The client address they forward is what rate limits and the per-address lockout count.
    /// </summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>The <c>max-age</c> of <c>Strict-Transport-Security</c>, sent on HTTPS answers only (directly or behind a trusted proxy).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "730.00:00:00")]
    public TimeSpan HstsMaxAge { get; set; } = TimeSpan.FromDays(365);
}

/// <summary>
/// The <c>Workflows:RateLimits</c> section: how many requests an address (and a phone number, where the request has
/// one) may make to the anonymous routes and to sign-in in a fixed window. Counted per host (see operations.md).
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "Workflows:RateLimits";

    /// <summary>Off only for load tests and test hosts: every limit below stops applying.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Complaints filed and attachments uploaded anonymously, per client address (signed-in staff are not limited).</summary>
    [Required]
    public RateLimitRule Intake { get; set; } = new() { PermitLimit = 30, Window = TimeSpan.FromMinutes(10) };

    /// <summary>Complaints filed anonymously with one consumer phone number, from any address.</summary>
    [Required]
    public RateLimitRule IntakePerPhone { get; set; } = new() { PermitLimit = 5, Window = TimeSpan.FromHours(1) };

    /// <summary>Public tracking look-ups (tracking number + phone) per client address.</summary>
    [Required]
    public RateLimitRule Tracking { get; set; } = new() { PermitLimit = 20, Window = TimeSpan.FromMinutes(10) };

    /// <summary>Public tracking look-ups per phone number and per tracking number, from any address (against guessing one of the pair).</summary>
    [Required]
    public RateLimitRule TrackingPerPhone { get; set; } = new() { PermitLimit = 10, Window = TimeSpan.FromHours(1) };

    /// <summary>Survey page reads and answers (signed links) per client address.</summary>
    [Required]
    public RateLimitRule Survey { get; set; } = new() { PermitLimit = 30, Window = TimeSpan.FromMinutes(10) };

    /// <summary>SMS provider callbacks (replies, delivery reports) per provider address.</summary>
    [Required]
    public RateLimitRule SmsCallbacks { get; set; } = new() { PermitLimit = 600, Window = TimeSpan.FromMinutes(1) };

    /// <summary>Sign-in attempts (<c>POST /api/auth/login</c>) per client address, right or wrong.</summary>
    [Required]
    public RateLimitRule SignIn { get; set; } = new() { PermitLimit = 30, Window = TimeSpan.FromMinutes(5) };

    /// <summary>Requests for <c>/metrics</c> per client address, answered or refused, scrape token or not (Prometheus scrapes a few times a minute).</summary>
    [Required]
    public RateLimitRule Metrics { get; set; } = new() { PermitLimit = 60, Window = TimeSpan.FromMinutes(1) };

    /// <summary>Recordings sent for speech recognition per signed-in user (staff included) or, anonymous, per client address.</summary>
    [Required]
    public RateLimitRule Speech { get; set; } = new() { PermitLimit = 20, Window = TimeSpan.FromMinutes(10) };
}

/// <summary>At most <see cref="PermitLimit"/> requests in each fixed <see cref="Window"/>.</summary>
public sealed class RateLimitRule
{
    /// <summary>Requests allowed in one window.</summary>
    [Range(1, 1_000_000)]
    public int PermitLimit { get; set; } = 30;

    /// <summary>The length of the window.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(10);
}
