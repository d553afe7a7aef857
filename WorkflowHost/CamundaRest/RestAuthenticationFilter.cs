using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.WorkflowHost.CamundaRest;

/// <summary>
/// HTTP Basic and Bearer authentication for <c>/engine-rest</c> against configured users and API tokens.
/// Missing or wrong credentials give 401 with <c>WWW-Authenticate: Basic realm="default"</c> and no body,
/// as Camunda answers. When nothing is configured every request passes (the header is not even read,
/// so Camunda Modeler's literal <c>Authorization: undefined</c> does no harm).
/// </summary>
internal sealed class RestAuthenticationFilter(IOptions<CamundaRestOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var settings = options.Value;
        if (!settings.AuthenticationEnabled || IsAuthenticated(context.HttpContext.Request.Headers.Authorization, settings))
        {
            return await next(context).ConfigureAwait(false);
        }

        var http = context.HttpContext;
        http.DisableStatusCodePages();
        http.Response.Headers.WWWAuthenticate = "Basic realm=\"default\"";
        return TypedResults.StatusCode(StatusCodes.Status401Unauthorized);
    }

    internal static bool IsAuthenticated(string? header, CamundaRestOptions settings)
    {
        if (string.IsNullOrWhiteSpace(header) || !AuthenticationHeaderValue.TryParse(header, out var value) || value.Parameter is not { Length: > 0 } parameter)
        {
            return false;
        }

        if (value.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return settings.Tokens.Any(t => t.Token.Length > 0 && SameText(t.Token, parameter));
        }

        if (!value.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
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

        var user = decoded[..colon];
        var password = decoded[(colon + 1)..];
        return settings.Basic.Any(b => b.Password.Length > 0 && b.User == user && SameText(b.Password, password));
    }

    private static bool SameText(string expected, string given)
        => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given));
}
