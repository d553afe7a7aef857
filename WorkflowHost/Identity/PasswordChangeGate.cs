using System.Security.Claims;

namespace ComplaintWorkflows.WorkflowHost.Identity;

/// <summary>
/// A user whose password must be changed (the first administrator, until they choose their own) may sign in, but
/// every API call other than changing the password, who-am-I and sign-out answers 403 <c>password-change-required</c>,
/// on every path (cookie, Basic, token). The claim is a user claim in the identity store, removed by the change.
/// </summary>
internal static class PasswordChangeGate
{
    public const string Claim = "cw_must_change_password";

    private static readonly string[] Allowed = ["/api/auth/me", "/api/auth/password", "/api/auth/logout"];

    public static bool MustChangePassword(ClaimsPrincipal user) => user.HasClaim(c => c.Type == Claim);

    public static async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path;
        var api = path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/engine-rest", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/hubs", StringComparison.OrdinalIgnoreCase);
        if (api && MustChangePassword(context.User) && !Allowed.Any(a => path.Equals(a, StringComparison.OrdinalIgnoreCase)))
        {
            await RefuseAsync(context).ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    /// <summary>The 403 <c>password-change-required</c> answer (also given on <c>/metrics</c>, which is outside the API's pipeline).</summary>
    public static Task RefuseAsync(HttpContext context)
        => TypedResults.Problem(
                title: "请先修改密码 (Change your password first)",
                detail: "首次登录须先修改初始密码，然后才能使用其他功能 (The initial password must be changed at first sign-in before anything else: POST /api/auth/password).",
                statusCode: StatusCodes.Status403Forbidden,
                extensions: new Dictionary<string, object?> { ["code"] = "password-change-required" })
            .ExecuteAsync(context);
}
