using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Hosting;

namespace ComplaintWorkflows.WorkflowHost.Tests.CamundaRest;

/// <summary>A host with one API token and one Basic user configured: authentication on.</summary>
public sealed class SecuredHostFactory : RestHostFactory
{
    public const string Token = "s3cret-token";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Workflows:Rest:Tokens:0:User", "modeler");
        builder.UseSetting("Workflows:Rest:Tokens:0:Token", Token);
        builder.UseSetting("Workflows:Rest:Basic:0:User", "demo");
        builder.UseSetting("Workflows:Rest:Basic:0:Password", "demo-pass");
    }
}

public sealed class AuthenticationTests(SecuredHostFactory factory) : IClassFixture<SecuredHostFactory>
{
    [Theory]
    [InlineData(null)]
    [InlineData("undefined")]
    [InlineData("Bearer wrong")]
    [InlineData("Basic ZGVtbzp3cm9uZw==")] // demo:wrong
    public async Task WithoutValidCredentials_Is401WithBasicChallengeAndNoBody(string? authorization)
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Rest.Url("/deployment?maxResults=0"));
        request.Headers.Add("Origin", "null");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic realm=\"default\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single()); // so Modeler (file://) can see the 401 and ask for credentials
    }

    [Fact]
    public async Task BearerToken_AndBasicUser_AreAccepted()
    {
        using var client = factory.CreateClient();
        using var bearer = new HttpRequestMessage(HttpMethod.Get, Rest.Url("/deployment?maxResults=0"));
        bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", SecuredHostFactory.Token);
        using var basic = new HttpRequestMessage(HttpMethod.Get, Rest.Url("/task/count"));
        basic.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("demo:demo-pass")));

        using var byBearer = await client.SendAsync(bearer);
        using var byBasic = await client.SendAsync(basic);

        Assert.Equal(HttpStatusCode.OK, byBearer.StatusCode);
        Assert.Equal("[]", await byBearer.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, byBasic.StatusCode);
    }

    [Fact]
    public async Task Version_IsOpen()
    {
        using var client = factory.CreateClient();

        var version = await Rest.GetAsync(client, "/version");

        Assert.Equal("7.24.0", version.GetProperty("version").GetString());
    }

    [Fact]
    public async Task CorsPreflight_IsAnsweredWithoutCredentials()
    {
        using var client = factory.CreateClient();
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
}

public sealed class OpenAccessTests(RestHostFactory factory) : IClassFixture<RestHostFactory>
{
    [Fact]
    public async Task WithoutConfiguredCredentials_AuthorizationUndefinedIsIgnored()
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Rest.Url("/deployment?maxResults=0"));
        request.Headers.TryAddWithoutValidation("Authorization", "undefined");
        request.Headers.Add("Origin", "null");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("[]", await response.Content.ReadAsStringAsync());
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }
}
