using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;

namespace ComplaintWorkflows.WorkflowHost.Tests.Security;

/// <summary>
/// The host on Kestrel on a free loopback port, with the default rate limits: requests come over real sockets from
/// loopback, which the host trusts as its reverse proxy, so a test names the client's address with
/// <c>X-Forwarded-For</c> as nginx would (<see cref="From"/>).
/// </summary>
public sealed class KestrelHostFactory : HostFactory
{
    public KestrelHostFactory() => UseKestrel(0);

    /// <summary>A request as nginx forwards it from the client at <paramref name="address"/>.</summary>
    public static HttpRequestMessage From(string address, HttpMethod method, string url, object? json = null)
    {
        var request = new HttpRequestMessage(method, new Uri(url, UriKind.Relative));
        request.Headers.Add("X-Forwarded-For", address);
        if (json is not null)
        {
            request.Content = JsonContent.Create(json);
        }

        return request;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Workflows:RateLimits:Enabled", "true");
    }
}
