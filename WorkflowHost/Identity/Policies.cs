using Microsoft.AspNetCore.Authorization;

namespace ComplaintWorkflows.WorkflowHost.Identity;

/// <summary>
/// The authorization policies of the host, in one place. Every endpoint needs a signed-in user unless it says
/// <c>AllowAnonymous()</c> (the fallback policy); the ones below ask for more.
/// </summary>
public static class Policies
{
    /// <summary>Deploying, migrating instances, resolving incidents, job retries, user administration.</summary>
    public const string Administrator = "administrator";

    /// <summary>Any staff role (not consumers): the live task updates.</summary>
    public const string Staff = "staff";

    internal static void Configure(AuthorizationOptions options)
    {
        var signedIn = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        options.DefaultPolicy = signedIn;
        options.FallbackPolicy = signedIn;
        options.AddPolicy(Administrator, p => p.RequireAuthenticatedUser().RequireRole(RoleNames.Administrator));
        options.AddPolicy(Staff, p => p.RequireAuthenticatedUser().RequireRole(RoleNames.Staff));
    }
}
