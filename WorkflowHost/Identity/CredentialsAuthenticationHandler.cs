using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.WorkflowHost.Identity;

/// <summary>
/// A scheme that reads credentials from the <c>Authorization</c> header (Basic, Bearer token): a 401 names why the
/// credentials were refused and a 403 is answered as every scheme answers it (<see cref="AuthenticationResponses"/>).
/// </summary>
internal abstract class CredentialsAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected sealed override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        await AuthenticationResponses.UnauthorizedAsync(Context, result.Failure?.Message).ConfigureAwait(false);
    }

    protected sealed override Task HandleForbiddenAsync(AuthenticationProperties properties) => AuthenticationResponses.ForbiddenAsync(Context);
}
