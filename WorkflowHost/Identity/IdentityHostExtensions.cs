using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.WorkflowHost.Identity;

/// <summary>
/// Sign-in and roles: ASP.NET Core Identity on EF Core (in the engine's database), three ways to authenticate
/// chosen per request by a policy scheme (Basic header, Bearer token header, else the sign-in cookie), and
/// authorization that needs a signed-in user everywhere but where an endpoint says <c>AllowAnonymous()</c>.
/// </summary>
public static class IdentityHostExtensions
{
    /// <summary>The default scheme: forwards to Basic, token or cookie by what the request carries.</summary>
    public const string PolicyScheme = "ComplaintWorkflows";

    /// <summary>The sign-in cookie's name.</summary>
    public const string CookieName = "cw.auth";

    public static IServiceCollection AddComplaintWorkflowsIdentity(this IServiceCollection services)
    {
        services.AddOptions<IdentityHostOptions>().BindConfiguration(IdentityHostOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => AuthDatabase.For(sp.GetRequiredService<IOptions<WorkflowsOptions>>().Value));
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<AuthDbContext>>().CreateDbContext());
        services.AddSingleton<ApiTokenService>();
        services.AddSingleton<SignInLockout>();

        // Before anything reads the key ring: the tables exist once this has started.
        services.AddHostedService<IdentityStartup>();
        services.AddHostedService<DemoUsers>();
        services.AddDataProtection().SetApplicationName("ComplaintWorkflows").PersistKeysToDbContext<AuthDbContext>();

        services.AddIdentityCore<ApplicationUser>()
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AuthDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddErrorDescriber<ChineseIdentityErrorDescriber>()
            .AddClaimsPrincipalFactory<UserClaimsFactory>();
        services.AddOptions<IdentityOptions>().Configure<IOptions<IdentityHostOptions>>((o, settings) =>
        {
            var s = settings.Value;
            o.Password.RequiredLength = s.PasswordMinLength;
            o.Password.RequiredUniqueChars = s.PasswordMinUniqueChars;
            o.Password.RequireDigit = false;
            o.Password.RequireLowercase = false;
            o.Password.RequireUppercase = false;
            o.Password.RequireNonAlphanumeric = false;
            o.Lockout.AllowedForNewUsers = true;
            o.Lockout.MaxFailedAccessAttempts = s.MaxFailedAccessAttempts;
            o.Lockout.DefaultLockoutTimeSpan = s.LockoutDuration;
            o.User.RequireUniqueEmail = false;
        });
        services.AddOptions<SecurityStampValidatorOptions>().Configure<IOptions<IdentityHostOptions>>((o, settings) => o.ValidationInterval = settings.Value.SecurityStampValidationInterval);

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = PolicyScheme;
                o.DefaultSignInScheme = IdentityConstants.ApplicationScheme;
                o.DefaultSignOutScheme = IdentityConstants.ApplicationScheme;
            })
            .AddPolicyScheme(PolicyScheme, "Basic, token or cookie", o => o.ForwardDefaultSelector = SelectScheme)
            .AddScheme<AuthenticationSchemeOptions, BasicAuthenticationHandler>(BasicAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies();
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme).Configure<IOptions<IdentityHostOptions>>((o, settings) =>
        {
            o.Cookie.Name = CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = settings.Value.CookieLifetime;
            o.SlidingExpiration = true;

            // An API answers 401/403, never a redirect to a login page.
            o.Events.OnRedirectToLogin = c => AuthenticationResponses.UnauthorizedAsync(c.HttpContext, null);
            o.Events.OnRedirectToAccessDenied = c => AuthenticationResponses.ForbiddenAsync(c.HttpContext);
        });
        services.AddAuthorization(Policies.Configure);
        return services;
    }

    /// <summary>Authentication then authorization; after routing and CORS (so a 401 still carries the CORS headers).</summary>
    public static WebApplication UseComplaintWorkflowsAuthentication(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseAuthentication();
        app.Use(PasswordChangeGate.InvokeAsync);
        app.UseAuthorization();
        return app;
    }

    public static IEndpointRouteBuilder MapIdentityEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapAuthApi();
        endpoints.MapUserAdminApi();
        return endpoints;
    }

    private static string SelectScheme(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return BasicAuthenticationHandler.SchemeName;
        }

        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return ApiTokenAuthenticationHandler.SchemeName;
        }

        // Anything else (no header, Camunda Modeler's literal "undefined") falls to the cookie, whose challenge answers 401.
        return IdentityConstants.ApplicationScheme;
    }
}
