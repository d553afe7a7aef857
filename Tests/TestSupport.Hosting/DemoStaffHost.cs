using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ComplaintWorkflows.TestSupport;
using ComplaintWorkflows.WorkflowHost.Identity;
using Microsoft.AspNetCore.Hosting;

namespace ComplaintWorkflows.WorkflowHost.Tests;

/// <summary>
/// The demo organisation and complaints (see <see cref="HostFactory"/>), signed in for real: HTTP Basic with the demo
/// staff accounts (password <see cref="DemoPassword"/>), the administrator and two consumers who file a complaint each.
/// </summary>
public abstract class DemoStaffHost : HostFactory
{
    public const string DemoPassword = "demo-password-for-tests";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private Dictionary<string, string>? _ids;

    /// <summary>A client signed in (Basic) as a demo staff member, the administrator or consumer1/consumer2; anonymous for null.</summary>
    public HttpClient As(string? user)
    {
        var client = CreateAnonymousClient();
        if (user is not null)
        {
            client.DefaultRequestHeaders.Authorization = TestCredentials.Basic(user, Password(user));
        }

        return client;
    }

    public static string Password(string user) => user == AdminUserName ? AdminPassword : user.StartsWith("consumer", StringComparison.Ordinal) ? UserPassword : DemoPassword;

    /// <summary>Complaint ids: <c>wuma</c> (a demo complaint of 五马所), <c>ouhai</c> (瓯海区), <c>mine</c>/<c>theirs</c> (filed by consumer1/consumer2).</summary>
    public async Task<IReadOnlyDictionary<string, string>> IdsAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_ids is null)
            {
                await CreateUserAsync("consumer1", null, RoleNames.Consumer);
                await CreateUserAsync("consumer2", null, RoleNames.Consumer);
                using var admin = CreateClient();
                var page = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/complaints?pageSize=50", UriKind.Relative));
                var items = page.GetProperty("items").EnumerateArray().ToList();
                Assert.True(items.Count >= 5, page.ToString());
                Assert.True(items.Any(c => c.GetProperty("unitId").GetString() == "wz-lucheng-wuma"), page.ToString());
                _ids = new()
                {
                    ["wuma"] = items.First(c => c.GetProperty("unitId").GetString() == "wz-lucheng-wuma").GetProperty("id").GetString()!,
                    ["ouhai"] = items.First(c => c.GetProperty("unitId").GetString() is { } unit && unit.StartsWith("wz-ouhai", StringComparison.Ordinal)).GetProperty("id").GetString()!,
                    ["mine"] = await FileAsAsync("consumer1", "13911110001"),
                    ["theirs"] = await FileAsAsync("consumer2", "13911110002"),
                };
            }

            return _ids;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// One row of an authorization matrix: sends <paramref name="method"/> <paramref name="path"/> as <paramref name="user"/>
    /// (anonymous for null), <c>{wuma}</c>, <c>{mine}</c>… in the path replaced by the complaint ids (<see cref="IdsAsync"/>),
    /// with the body <paramref name="content"/> gives for the path (none for null), and asserts the answer's status,
    /// naming the user, the request and the body answered when it differs.
    /// </summary>
    public async Task AssertAnswersAsync(string? user, string method, string path, HttpStatusCode expected, Func<string, HttpContent?> content)
    {
        ArgumentNullException.ThrowIfNull(content);
        foreach (var (name, id) in await IdsAsync())
        {
            path = path.Replace("{" + name + "}", id, StringComparison.Ordinal);
        }

        using var client = As(user);
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative)) { Content = content(path) };
        using var response = await client.SendAsync(request);

        Assert.True(expected == response.StatusCode, $"{user ?? "anonymous"} {method} {path}: expected {(int)expected}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Files the complaint of <paramref name="consumer"/> (consumer1 or consumer2) and answers its id.</summary>
    protected abstract Task<string> FileAsAsync(string consumer, string phone);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Workflows:Identity:DemoPassword", DemoPassword);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _gate.Dispose();
    }
}
