using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.WorkflowHost.Identity;

/// <summary>
/// HTTP Basic against the Identity users (what Camunda Modeler and Camunda REST clients send). Wrong passwords
/// count towards lockout as on the sign-in page; a locked-out user is refused even with the right password.
/// </summary>
internal sealed class BasicAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    UserManager<ApplicationUser> users,
    SignInManager<ApplicationUser> signIn,
    SignInLockout lockout)
    : CredentialsAuthenticationHandler(options, logger, encoder)
{
    public const string SchemeName = "Basic";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header)
            || !header.Scheme.Equals(SchemeName, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        if (!TryDecode(header.Parameter, out var userName, out var password))
        {
            return AuthenticateResult.Fail("Basic 凭据格式错误 (Malformed Basic credentials).");
        }

        var address = Context.Connection.RemoteIpAddress?.ToString();
        if (await lockout.LockedUntilAsync(address, Context.RequestAborted).ConfigureAwait(false) is { } addressLocked)
        {
            return AuthenticateResult.Fail(lockout.AddressLocked(addressLocked));
        }

        var user = await users.FindByNameAsync(userName).ConfigureAwait(false);
        var result = user is null ? Microsoft.AspNetCore.Identity.SignInResult.Failed : await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true).ConfigureAwait(false);
        if (result.Succeeded)
        {
            var principal = await signIn.CreateUserPrincipalAsync(user!).ConfigureAwait(false);
            return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
        }

        if (await lockout.RecordFailureAsync(address, Context.RequestAborted).ConfigureAwait(false) is { } nowLocked)
        {
            return AuthenticateResult.Fail(lockout.AddressLocked(nowLocked));
        }

        if (result.IsLockedOut)
        {
            return AuthenticateResult.Fail(lockout.AccountLocked(await users.GetLockoutEndDateAsync(user!).ConfigureAwait(false)));
        }

        return AuthenticateResult.Fail("用户名或密码错误 (Wrong user name or password).");
    }

    internal static bool TryDecode(string? parameter, out string userName, out string password)
    {
        userName = password = "";
        if (string.IsNullOrEmpty(parameter))
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(parameter));
        }
        catch (FormatException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        userName = decoded[..colon];
        password = decoded[(colon + 1)..];
        return true;
    }
}
