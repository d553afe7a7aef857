using System.Collections.Frozen;
using System.Text.Encodings.Web;
using ComplaintWorkflows.WorkflowHost.Identity;
using Microsoft.Extensions.FileProviders;

namespace ComplaintWorkflows.WorkflowHost.Web;

/// <summary>
/// The web pages built from <c>ClientApp</c> (Vite) into the web root: every top-level folder with an
/// <c>index.html</c> is a page, served at <c>/{page}/</c> and at any path below it that names no file (the page
/// routes inside itself), with <c>/</c> the home page. Who may open a page is checked here too, not only by the
/// API it calls: a signed-out visitor is sent to the sign-in page, a user without the role gets 403.
/// Built assets (<c>/assets/*</c>, content-hashed names) are static files cached for a year.
/// </summary>
public static class WebPages
{
    /// <summary>The page that signs users in; signed-out visitors of protected pages are sent here.</summary>
    public const string LoginPath = "/login/";

    /// <summary>Pages anyone may open, signed in or not.</summary>
    private static readonly FrozenSet<string> PublicPages = FrozenSet.Create(StringComparer.OrdinalIgnoreCase, "", "login", "portal", "track", "survey", "disclosure");

    /// <summary>Pages that need one of these roles; any other page needs a signed-in user.</summary>
    private static readonly FrozenDictionary<string, string[]> PageRoles = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
    {
        ["designer"] = [RoleNames.Administrator],
        ["instances"] = [RoleNames.Administrator],
        ["admin"] = [RoleNames.Administrator],
        ["operations"] = [RoleNames.Administrator],
        ["inbox"] = [.. RoleNames.Staff],
        ["dashboard"] = [RoleNames.Leader, RoleNames.Reviewer, RoleNames.Administrator],
        ["mobile"] = [RoleNames.DeskOfficer, RoleNames.Administrator],
        ["odr"] = [RoleNames.Business],
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Serves the built assets; before authentication, so they need no sign-in (they hold no data).</summary>
    public static WebApplication UseWebPages(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = context =>
            {
                // nosniff, the CSP and the other security headers come from Security.SecurityHeaders, on every answer.
                context.Context.Response.Headers.CacheControl = context.Context.Request.Path.StartsWithSegments("/assets", StringComparison.Ordinal)
                    ? "public, max-age=31536000, immutable"
                    : "no-cache";
            },
        });
        return app;
    }

    /// <summary>Maps each page found in the web root; without a built web root (SkipClientApp) there are none.</summary>
    public static IEndpointRouteBuilder MapWebPages(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var files = endpoints.ServiceProvider.GetRequiredService<IWebHostEnvironment>().WebRootFileProvider;
        // Anonymous for the authorization middleware: ServePage checks the page's own rule (redirect or 403 page instead of a 401 body).
        var group = endpoints.MapGroup("").AllowAnonymous().ExcludeFromDescription().WithMetadata(new PageEndpoint());
        if (files.GetFileInfo("index.html").Exists)
        {
            group.MapGet("/", (HttpContext context) => ServePage(context, files, ""));
            group.MapGet("/index.html", (HttpContext context) => ServePage(context, files, ""));
        }

        foreach (var page in Pages(files))
        {
            // Also matches "/{page}" itself, which is sent to "/{page}/" so that the page's relative links resolve.
            group.MapGet($"/{page}/{{**path:nonfile}}", (HttpContext context) => context.Request.Path.Value?.EndsWith('/') == false && context.Request.Path.Value.Equals($"/{page}", StringComparison.OrdinalIgnoreCase)
                ? TypedResults.Redirect($"/{page}/{context.Request.QueryString}")
                : ServePage(context, files, page));
            group.MapGet($"/{page}/index.html", (HttpContext context) => ServePage(context, files, page));
        }

        return endpoints;
    }

    /// <summary>The page folders in the web root.</summary>
    internal static IReadOnlyList<string> Pages(IFileProvider files)
        => [.. files.GetDirectoryContents("")
            .Where(entry => entry.IsDirectory && !entry.Name.Equals("assets", StringComparison.Ordinal) && files.GetFileInfo($"{entry.Name}/index.html").Exists)
            .Select(entry => entry.Name)
            .Order(StringComparer.Ordinal)];

    /// <summary>Whether the user may open the page: null when allowed, else the status to answer (401 or 403).</summary>
    internal static int? Refusal(System.Security.Claims.ClaimsPrincipal user, string page)
    {
        if (PublicPages.Contains(page))
        {
            return null;
        }

        if (user.Identity?.IsAuthenticated != true)
        {
            return StatusCodes.Status401Unauthorized;
        }

        return PageRoles.TryGetValue(page, out var roles) && !roles.Any(user.IsInRole) ? StatusCodes.Status403Forbidden : null;
    }

    private static IResult ServePage(HttpContext context, IFileProvider files, string page)
    {
        context.Response.Headers.CacheControl = "no-cache";
        switch (Refusal(context.User, page))
        {
            case StatusCodes.Status401Unauthorized:
                var back = context.Request.Path + context.Request.QueryString;
                return TypedResults.Redirect(LoginPath + "?returnUrl=" + Uri.EscapeDataString(back));
            case StatusCodes.Status403Forbidden:
                return TypedResults.Content(ForbiddenHtml(context.User.Identity?.Name ?? "?"), "text/html; charset=utf-8", statusCode: StatusCodes.Status403Forbidden);
        }

        var file = files.GetFileInfo(page.Length == 0 ? "index.html" : $"{page}/index.html");
        return file.Exists && file.PhysicalPath is { } path
            ? TypedResults.PhysicalFile(path, "text/html; charset=utf-8")
            : TypedResults.NotFound();
    }

    /// <summary>Marks the endpoints that serve pages (they check access themselves, see <see cref="Refusal"/>).</summary>
    internal sealed class PageEndpoint;

    private static string ForbiddenHtml(string user)
    {
        var name = HtmlEncoder.Default.Encode(user);
        return $"""
            <!doctype html>
            <html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>无权访问 Forbidden</title></head>
            <body style="font-family: 'Noto Sans CJK SC', sans-serif; margin: 2rem">
            <h1>无权访问 (Forbidden)</h1>
            <p id="forbidden">用户 {name} 没有访问此页面所需的角色。 (User {name} lacks the role this page needs.)</p>
            <p><a href="/">返回首页 (Home)</a></p>
            </body></html>
            """;
    }
}
