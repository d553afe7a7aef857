using ComplaintWorkflows.WorkflowHost.CamundaRest;

namespace ComplaintWorkflows.WorkflowHost.Identity;

/// <summary>
/// What every authentication scheme answers when credentials are missing or wrong (401) or the user lacks the
/// role (403): under <c>/engine-rest</c> Camunda's error body and, for 401, a Basic challenge so Camunda Modeler
/// asks for credentials; elsewhere Problem Details and no challenge (a browser would pop up its own dialog).
/// </summary>
internal static class AuthenticationResponses
{
    public const string Realm = "ComplaintWorkflows";

    public static bool IsCamundaRest(HttpContext context) => context.Request.Path.StartsWithSegments(CamundaRestEndpoints.Root, StringComparison.OrdinalIgnoreCase);

    public static Task UnauthorizedAsync(HttpContext context, string? failure)
    {
        if (context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        const string Required = "需要登录或有效的凭据 (Sign-in or valid credentials required: Basic user/password or Bearer personal access token).";
        var message = failure is null ? Required : $"{failure} {Required}";
        if (IsCamundaRest(context))
        {
            context.Response.Headers.WWWAuthenticate = $"Basic realm=\"{Realm}\"";
            return TypedResults.Json(new CamundaError("AuthenticationException", message, null), statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(context);
        }

        return Problems.Unauthenticated(message).ExecuteAsync(context);
    }

    public static Task ForbiddenAsync(HttpContext context)
    {
        if (context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        var user = context.User.Identity?.Name ?? "?";
        var message = $"用户 '{user}' 无权执行此操作，需要相应角色（如管理员） (User '{user}' lacks the role this call needs, e.g. administrator): {context.Request.Method} {context.Request.Path}";
        if (IsCamundaRest(context))
        {
            return TypedResults.Json(new CamundaAuthorizationError("AuthorizationException", message, null, user, []), statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(context);
        }

        return Problems.Forbidden(message).ExecuteAsync(context);
    }
}
