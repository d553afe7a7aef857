using ComplaintWorkflows.WorkflowHost.Identity;

namespace ComplaintWorkflows.WorkflowHost.Security;

/// <summary>
/// Against cross-site request forgery: a request that changes something (any method but GET, HEAD, OPTIONS, TRACE)
/// and would be authenticated by the sign-in cookie must carry <see cref="HeaderName"/> and must not come from another
/// site (<c>Origin</c> of another host, or <c>Sec-Fetch-Site: cross-site</c>); else 403 <c>cross-site-request</c>.
/// A browser cannot add a custom header to a cross-site request without a CORS preflight, and no CORS policy of this
/// host lets another origin send credentials. Requests with <c>Authorization: Basic</c> or <c>Bearer</c> are not
/// cookie-borne and pass (scripts, Camunda Modeler); so do requests without the cookie (nothing to forge).
/// The web pages send the header on every call (<c>ClientApp/src/shared/api.js</c>).
/// </summary>
internal static class CrossSiteRequestGuard
{
    public const string HeaderName = "X-CW-Request";

    public static async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (Refusal(context.Request) is { } reason)
        {
            await TypedResults.Problem(
                    title: "拒绝跨站请求 (Cross-site request refused)",
                    detail: $"{reason} {context.Request.Method} {context.Request.Path}",
                    statusCode: StatusCodes.Status403Forbidden,
                    extensions: new Dictionary<string, object?> { ["code"] = "cross-site-request" })
                .ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    internal static string? Refusal(HttpRequest request)
    {
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method))
        {
            return null;
        }

        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) || authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (!request.Cookies.ContainsKey(IdentityHostExtensions.CookieName))
        {
            return null;
        }

        if (request.Headers.Origin.ToString() is { Length: > 0 } origin && !SameOrigin(origin, request))
        {
            return $"请求来自其他网站 {origin}，不能使用登录状态修改数据 (A request from another site, {origin}, cannot use the sign-in cookie to change anything).";
        }

        if (string.Equals(request.Headers["Sec-Fetch-Site"], "cross-site", StringComparison.OrdinalIgnoreCase))
        {
            return "浏览器标明此请求来自其他网站 (The browser marks this request as cross-site).";
        }

        return string.IsNullOrEmpty(request.Headers[HeaderName])
            ? $"使用登录 Cookie 的修改请求须带 {HeaderName} 请求头（本站页面自动发送）；脚本请改用 Basic 或令牌 (A cookie-authenticated change needs the {HeaderName} header, which this site's pages send; scripts use Basic or a token)."
            : null;
    }

    private static bool SameOrigin(string origin, HttpRequest request)
        => Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}", request.Host.Value, StringComparison.OrdinalIgnoreCase);
}
