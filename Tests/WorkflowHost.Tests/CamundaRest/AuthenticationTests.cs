using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ComplaintWorkflows.TestSupport;

namespace ComplaintWorkflows.WorkflowHost.Tests.CamundaRest;

/// <summary>/engine-rest as Camunda Modeler meets it: a Basic challenge it can see from file://, Identity users and tokens.</summary>
public sealed class AuthenticationTests(RestHostFactory factory) : IClassFixture<RestHostFactory>
{
    [Theory]
    [InlineData(null)]
    [InlineData("undefined")]
    [InlineData("Bearer wrong")]
    [InlineData("Basic YWRtaW46d3Jvbmc=")] // admin:wrong
    [InlineData("Basic bm9ib2R5OnNlY3JldA==")] // nobody:secret
    public async Task WithoutValidCredentials_Is401WithBasicChallengeAndCamundaErrorBody(string? authorization)
    {
        using var client = factory.CreateAnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Rest.Url("/deployment?maxResults=0"));
        request.Headers.Add("Origin", "null");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await client.SendAsync(request);

        var error = await Rest.JsonAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Basic realm=\"ComplaintWorkflows\"", response.Headers.WwwAuthenticate.ToString());
        Rest.AssertError(error, "AuthenticationException", "Sign-in or valid credentials required");
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single()); // so Modeler (file://) can see the 401 and ask for credentials
    }

    [Fact]
    public async Task BasicUser_AndBearerToken_AreAccepted()
    {
        using var client = factory.CreateAnonymousClient();
        await factory.CreateUserAsync("rest-basic", null, "administrator");
        using var basic = new HttpRequestMessage(HttpMethod.Get, Rest.Url("/task/count"));
        basic.Headers.Authorization = TestCredentials.Basic("rest-basic", HostFactory.UserPassword);
        using var tokenClient = await factory.CreateUserClientAsync("rest-token", null, "administrator");

        using var byBasic = await client.SendAsync(basic);
        using var byToken = await tokenClient.GetAsync(Rest.Url("/deployment?maxResults=0"));

        Assert.Equal(HttpStatusCode.OK, byBasic.StatusCode);
        Assert.Equal(JsonValueKind.Number, (await Rest.JsonAsync(byBasic, HttpStatusCode.OK)).GetProperty("count").ValueKind);
        Assert.Equal("[]", await byToken.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task StaffOtherThanAdministrators_AreRefused_TheyWorkThroughTheInbox()
    {
        using var handler = await factory.CreateUserClientAsync("rest-staff", null, "handler");

        using var tasks = await handler.GetAsync(Rest.Url("/task"));
        using var complete = await handler.PostAsJsonAsync(Rest.Url("/task/any/complete"), new { variables = new { } });
        using var signal = await handler.PostAsJsonAsync(Rest.Url("/signal"), new { name = "anything" });

        foreach (var response in new[] { tasks, complete, signal })
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("AuthorizationException", (await Rest.JsonAsync(response, HttpStatusCode.Forbidden)).GetProperty("type").GetString());
        }
    }

    [Fact]
    public async Task Version_IsOpen()
    {
        using var client = factory.CreateAnonymousClient();

        var version = await Rest.GetAsync(client, "/version");

        Assert.Equal("7.24.0", version.GetProperty("version").GetString());
    }

    [Fact]
    public async Task CorsPreflight_IsAnsweredWithoutCredentials()
    {
        using var client = factory.CreateAnonymousClient();
        using var preflight = new HttpRequestMessage(HttpMethod.Options, Rest.Url("/deployment/create"));
        preflight.Headers.Add("Origin", "null");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,accept");

        using var response = await client.SendAsync(preflight);

        Assert.True(response.IsSuccessStatusCode, $"got {response.StatusCode}");
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("POST", string.Join(",", response.Headers.GetValues("Access-Control-Allow-Methods")), StringComparison.Ordinal);
        Assert.Contains("authorization", string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers")), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SignedInWithoutTheRole_DeployIs403_WithCamundaAuthorizationError_AndTheAdministratorDeploys()
    {
        using var handler = await factory.CreateUserClientAsync("rest-handler", null, "handler");
        using var admin = new HttpClient(factory.Server.CreateHandler()) { BaseAddress = factory.Server.BaseAddress };
        admin.DefaultRequestHeaders.Authorization = TestCredentials.Basic(HostFactory.AdminUserName, HostFactory.AdminPassword);
        var xml = Rest.ReviewProcess(Rest.NewKey("auth"));

        using var refused = await Rest.DeployAsModelerAsync(handler, xml);
        using var deployed = await Rest.DeployAsModelerAsync(admin, xml);

        Rest.AssertError(await Rest.JsonAsync(refused, HttpStatusCode.Forbidden), "AuthorizationException", "rest-handler");
        Assert.Single((await Rest.JsonAsync(deployed, HttpStatusCode.OK)).GetProperty("deployedProcessDefinitions").EnumerateObject());
    }
}
