using System.Net.Http.Headers;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.WorkflowHost.Identity;

/// <summary><c>Authorization: Bearer cw_…</c> with a personal access token of a user who may sign in (not locked out).</summary>
internal sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiTokenService tokens,
    UserManager<ApplicationUser> users,
    SignInManager<ApplicationUser> signIn,
    SignInLockout lockout)
    : CredentialsAuthenticationHandler(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header)
            || !header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        const string Invalid = "令牌无效、已过期或已撤销 (The token is unknown, expired or revoked).";
        var address = Context.Connection.RemoteIpAddress?.ToString();
        if (await lockout.LockedUntilAsync(address, Context.RequestAborted).ConfigureAwait(false) is { } addressLocked)
        {
            return AuthenticateResult.Fail(lockout.AddressLocked(addressLocked));
        }

        if (string.IsNullOrWhiteSpace(header.Parameter) || await tokens.ValidateAsync(header.Parameter.Trim(), Context.RequestAborted).ConfigureAwait(false) is not { } userId)
        {
            // Guessing tokens counts like guessing passwords.
            return AuthenticateResult.Fail(await lockout.RecordFailureAsync(address, Context.RequestAborted).ConfigureAwait(false) is { } nowLocked ? lockout.AddressLocked(nowLocked) : Invalid);
        }

        var user = await users.FindByIdAsync(userId).ConfigureAwait(false);
        if (user is null || !await signIn.CanSignInAsync(user).ConfigureAwait(false))
        {
            return AuthenticateResult.Fail("令牌所属账户不可用 (The token's account is disabled).");
        }

        if (await users.IsLockedOutAsync(user).ConfigureAwait(false))
        {
            return AuthenticateResult.Fail($"令牌所属账户已锁定 (The token's account is locked): {lockout.AccountLocked(await users.GetLockoutEndDateAsync(user).ConfigureAwait(false))}");
        }

        var principal = await signIn.CreateUserPrincipalAsync(user).ConfigureAwait(false);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }
}
