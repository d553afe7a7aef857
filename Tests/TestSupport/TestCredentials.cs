using System.Net.Http.Headers;
using System.Text;

namespace ComplaintWorkflows.TestSupport;

/// <summary>Credentials as clients send them.</summary>
public static class TestCredentials
{
    /// <summary>An <c>Authorization: Basic</c> header value.</summary>
    public static AuthenticationHeaderValue Basic(string userName, string password)
        => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{userName}:{password}")));
}
