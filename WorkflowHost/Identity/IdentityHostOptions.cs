using System.ComponentModel.DataAnnotations;

namespace ComplaintWorkflows.WorkflowHost.Identity;

/// <summary>The <c>Workflows:Identity</c> section: sign-in, passwords, lockout and personal access tokens.</summary>
public sealed class IdentityHostOptions
{
    public const string Section = "Workflows:Identity";

    /// <summary>
    /// The password of the first administrator (<c>admin</c>), created when no administrator exists. When
    /// empty, a random password is made and printed once to standard output. For tests and container set-ups.
    /// </summary>
    public string? InitialAdminPassword { get; set; }

    /// <summary>
    /// With demo data on, the password of the demo staff accounts (one per staff member of the demo
    /// organisation). When empty, a random one is made and printed once with the administrator's.
    /// </summary>
    public string? DemoPassword { get; set; }

    /// <summary>User name of the first administrator.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9._@+-]{1,64}$")]
    public string InitialAdminUserName { get; set; } = "admin";

    /// <summary>Length of the random first-administrator password.</summary>
    [Range(16, 128)]
    public int GeneratedPasswordLength { get; set; } = 20;

    /// <summary>Shortest password accepted.</summary>
    [Range(10, 128)]
    public int PasswordMinLength { get; set; } = 10;

    /// <summary>Fewest distinct characters in a password (<c>aaaaaaaaaa</c> is refused).</summary>
    [Range(1, 20)]
    public int PasswordMinUniqueChars { get; set; } = 4;

    /// <summary>Wrong passwords in a row (sign-in page or HTTP Basic) before the account is locked; its tokens stop working too.</summary>
    [Range(1, 100)]
    public int MaxFailedAccessAttempts { get; set; } = 5;

    /// <summary>How long an account stays locked after too many wrong passwords.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "30.00:00:00")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Failed sign-ins from one client address, over all accounts and paths, before the address is locked out.</summary>
    [Range(1, 100_000)]
    public int MaxFailedSignInsPerAddress { get; set; } = 20;

    /// <summary>The window in which an address's failed sign-ins are counted (the count starts again after it).</summary>
    [Range(typeof(TimeSpan), "00:00:10", "30.00:00:00")]
    public TimeSpan AddressFailureWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long an address stays locked out after too many failed sign-ins.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "30.00:00:00")]
    public TimeSpan AddressLockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Whether the first administrator must choose a new password at first sign-in (until then every API call but
    /// changing the password, who-am-I and sign-out answers 403 <c>password-change-required</c>). Off only for test hosts.
    /// </summary>
    public bool InitialAdminMustChangePassword { get; set; } = true;

    /// <summary>How long the sign-in cookie lasts without use (sliding).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan CookieLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>How soon a signed-in browser notices that its user was locked, changed roles or a new password (security stamp check).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan SecurityStampValidationInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Longest lifetime a personal access token may be created with.</summary>
    [Range(1, 3650)]
    public int MaxTokenLifetimeDays { get; set; } = 365;

    /// <summary>Most personal access tokens a user may hold at once.</summary>
    [Range(1, 1000)]
    public int MaxTokensPerUser { get; set; } = 20;

    /// <summary>A token's "last used" time is written at most this often (not on every request).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan TokenLastUsedPrecision { get; set; } = TimeSpan.FromMinutes(1);
}
