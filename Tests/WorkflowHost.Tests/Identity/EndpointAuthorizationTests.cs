using System.Net;
using System.Text.Json;
using ComplaintWorkflows.WorkflowHost.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace ComplaintWorkflows.WorkflowHost.Tests.Identity;

/// <summary>
/// Every route of the host, read from its endpoint data source (so routes added later are covered without
/// touching this file): without credentials 401, unless allow-listed here; administrator routes refuse others.
/// </summary>
public sealed class EndpointAuthorizationTests(HostFactory factory) : IClassFixture<HostFactory>
{
    /// <summary>The only routes open without sign-in.</summary>
    private static readonly string[] Anonymous =
    [
        "GET /engine-rest/version",
        "GET /health",
        "GET /health/ready",
        "GET /openapi/{documentName}.json",
        "POST /api/auth/login",
        "POST /api/complaints",
        "GET /api/public/track",
        "GET /api/public/attachment-limits",
        "POST /api/public/complaints/{trackingNumber}/attachments",
        "GET /api/public/survey",
        "POST /api/public/survey",
        "GET /api/public/cases",
        "GET /cases",

        // The consumer's decision on an ODR settlement proposal (by tracking number and phone, as tracking) and the published disclosure.
        "GET /api/public/odr/proposal",
        "POST /api/public/odr/decision",
        "GET /api/public/disclosures/",
        "GET /api/public/disclosures/{month}",

        // Voice intake: the status, the recording (rate-limited per address) and the provider's download by a signed, expiring link.
        "GET /api/public/speech/",
        "POST /api/public/speech/recordings",
        "GET /api/public/speech/recordings/{id}",

        // The SMS provider's callbacks: protected by the secret in the path (404 otherwise), not by sign-in.
        "POST /api/sms/aliyun/{secret}/sms-up",
        "POST /api/sms/aliyun/{secret}/sms-report",
        "POST /api/sms/tencent/{secret}/reply",
    ];

    /// <summary>Routes that need the administrator role (at least these; more may follow).</summary>
    private static readonly string[] AdministratorOnly =
    [
        "POST /api/process-definitions",
        "POST /api/migrations",
        "POST /api/process-instances/{id}/incidents/{nodeId:int}/resolve",
        "PUT /api/jobs/{id}/retries",
        "POST /api/process-definitions/{key}/start",
        "GET /api/process-instances/{id}",
        "GET /api/process-instances/{id}/variables",
        "GET /api/process-instances/{id}/journal",
        "GET /api/tasks",
        "POST /api/tasks/{id}/complete",
        "GET /api/incidents",
        "GET /api/jobs",
        "POST /engine-rest/deployment/create",
        "DELETE /engine-rest/deployment/{id}",
        "PUT /engine-rest/job/{id}/retries",
        "GET /engine-rest/task",
        "POST /engine-rest/task/{id}/complete",
        "POST /engine-rest/task/{id}/claim",
        "POST /engine-rest/process-definition/key/{key}/start",
        "POST /engine-rest/message",
        "POST /engine-rest/signal",
        "GET /engine-rest/process-instance",
        "GET /api/admin/users",
        "POST /api/admin/users",
    ];

    [Fact]
    public async Task EveryRoute_WithoutCredentials_Is401_ExceptTheAllowListedOnes()
    {
        using var client = factory.CreateAnonymousClient();
        var routes = Routes();
        var failures = new List<string>();

        foreach (var (route, endpoint) in routes.Where(r => r.Endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null))
        {
            using var request = new HttpRequestMessage(new HttpMethod(route.Split(' ')[0]), new Uri(Url(endpoint.RoutePattern), UriKind.Relative));
            using var response = await client.SendAsync(request);
            var camunda = route.Contains(" /engine-rest", StringComparison.Ordinal);
            if (response.StatusCode != HttpStatusCode.Unauthorized)
            {
                failures.Add($"{route}: {(int)response.StatusCode}");
            }
            else if (camunda != response.Headers.WwwAuthenticate.Any(h => h.Scheme == "Basic"))
            {
                failures.Add($"{route}: Basic challenge {(camunda ? "missing" : "must not be sent outside /engine-rest")}");
            }
        }

        Assert.True(routes.Count > 60, $"only {routes.Count} routes found");
        Assert.True(failures.Count == 0, "Open without credentials: " + string.Join("; ", failures));
        // The web pages' HTML is served to anyone by the routing, and WebPages checks the page's role itself (Tests/Web.Tests).
        var anonymous = routes.Where(r => r.Endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null && r.Endpoint.Metadata.GetMetadata<ComplaintWorkflows.WorkflowHost.Web.WebPages.PageEndpoint>() is null).Select(r => r.Route).Order(StringComparer.Ordinal);
        Assert.Equal(Anonymous.Order(StringComparer.Ordinal), anonymous);
    }

    [Fact]
    public async Task AdministratorRoutes_AreRefused403_ToAHandler_WithTheBodyOfTheirApi()
    {
        using var handler = await factory.CreateUserClientAsync("routes-handler", "wz-lucheng", RoleNames.Handler);
        var admin = Routes().Where(r => r.Endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == Policies.Administrator)).ToList();
        var failures = new List<string>();

        foreach (var (route, endpoint) in admin)
        {
            using var request = new HttpRequestMessage(new HttpMethod(route.Split(' ')[0]), new Uri(Url(endpoint.RoutePattern), UriKind.Relative));
            using var response = await handler.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var type = response.StatusCode == HttpStatusCode.Forbidden ? JsonDocument.Parse(body).RootElement.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String ? code.GetString() : JsonDocument.Parse(body).RootElement.GetProperty("type").GetString() : null;
            var expected = route.Contains(" /engine-rest", StringComparison.Ordinal) ? "AuthorizationException" : "forbidden";
            if (response.StatusCode != HttpStatusCode.Forbidden || type != expected)
            {
                failures.Add($"{route}: {(int)response.StatusCode} {body}");
            }
        }

        Assert.Empty(AdministratorOnly.Except(admin.Select(r => r.Route)));
        Assert.True(failures.Count == 0, string.Join("; ", failures));
    }

    [Fact]
    public async Task OpenApiDocumentAndHealth_AreOpen_AndTheDocumentListsSignIn()
    {
        using var client = factory.CreateAnonymousClient();

        var document = await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        using var health = await client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Contains("/api/auth/login", document, StringComparison.Ordinal);
        Assert.Contains("/api/admin/users", document, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        // How to authenticate is declared, so API browsers and generated clients offer it.
        using var json = System.Text.Json.JsonDocument.Parse(document);
        var schemes = json.RootElement.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("basic", schemes.GetProperty("basic").GetProperty("scheme").GetString());
        Assert.Equal("bearer", schemes.GetProperty("token").GetProperty("scheme").GetString());
        Assert.Equal("cw.auth", schemes.GetProperty("cookie").GetProperty("name").GetString());
        Assert.Equal(3, json.RootElement.GetProperty("security").GetArrayLength());
    }

    private List<(string Route, RouteEndpoint Endpoint)> Routes() => RouteCatalogue.Routes(factory);

    private static string Url(RoutePattern pattern) => RouteCatalogue.Url(pattern);
}
