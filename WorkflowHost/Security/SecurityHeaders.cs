namespace ComplaintWorkflows.WorkflowHost.Security;

/// <summary>
/// Headers on every answer (pages, API, files): the Content-Security-Policy the pages are built for (scripts and
/// styles from this site only, no inline script, no framing), <c>nosniff</c>, <c>Referrer-Policy</c> and
/// <c>X-Frame-Options</c> for old browsers. HSTS is added by <c>UseHsts</c> on HTTPS answers only.
/// </summary>
internal static class SecurityHeaders
{
    /// <summary>
    /// No inline or evaluated script anywhere (bpmn-js and ECharts need neither). Inline styles stay allowed: bpmn-js,
    /// its properties panel and ECharts set element styles; they cannot run script.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' ws: wss:; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    public static Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        return next(context);
    }
}
