using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ComplaintWorkflows.TestSupport;
using ComplaintWorkflows.WorkflowHost.Identity;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace ComplaintWorkflows.WorkflowHost.Tests;

/// <summary>
/// The host over a real SQLite file in a folder of its own. <see cref="WebApplicationFactory{T}.CreateClient()"/>
/// gives a client signed in as the first administrator (a personal access token); <see cref="CreateAnonymousClient"/>
/// one without credentials and <see cref="CreateUserClientAsync"/> one for a new user with the roles a test needs.
/// </summary>
public class HostFactory : WebApplicationFactory<Program>
{
    public const string AdminUserName = "admin";
    public const string AdminPassword = "admin-password-for-tests";
    public const string UserPassword = "user-password-for-tests";

    private readonly SemaphoreSlim _adminTokenLock = new(1, 1);
    private string? _adminToken;

    public string DataFolder { get; } = TestFiles.NewFolder("host");

    protected virtual string PollInterval => "00:00:00.200";

    /// <summary>A client without credentials.</summary>
    public HttpClient CreateAnonymousClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = null;
        return client;
    }

    /// <summary>Creates a user (password <see cref="UserPassword"/>) and answers a client with a token of theirs.</summary>
    public async Task<HttpClient> CreateUserClientAsync(string userName, string? unitId, params string[] roles)
    {
        var user = await CreateUserAsync(userName, unitId, roles);
        var client = CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenForAsync(user.Id));
        return client;
    }

    /// <summary>Creates a user with password <see cref="UserPassword"/>, the roles and the unit.</summary>
    public async Task<ApplicationUser> CreateUserAsync(string userName, string? unitId, params string[] roles)
    {
        using var scope = Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = new ApplicationUser { UserName = userName, DisplayName = userName, UnitId = unitId };
        Check(await users.CreateAsync(user, UserPassword));
        Check(await users.AddToRolesAsync(user, roles));
        return user;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSetting("Workflows:DataFolder", DataFolder);
        builder.UseSetting("Workflows:PollInterval", PollInterval);
        builder.UseSetting("Workflows:Identity:InitialAdminPassword", AdminPassword);

        // Test hosts: every request comes from one (unknown) address, and the administrator signs in with a known password.
        // The limits and the first-sign-in password change are shown by Security/RateLimitTests and Identity/FirstSignInTests.
        builder.UseSetting("Workflows:RateLimits:Enabled", "false");
        builder.UseSetting("Workflows:Identity:InitialAdminMustChangePassword", "false");
        builder.ConfigureTestServices(services => services.AddQuickPasswordHashing());
    }

    protected override void ConfigureClient(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Task.Run(AdminTokenAsync).GetAwaiter().GetResult());
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _adminTokenLock.Dispose();
        TestFiles.DeleteFolder(DataFolder);
    }

    private async Task<string> AdminTokenAsync()
    {
        await _adminTokenLock.WaitAsync();
        try
        {
            if (_adminToken is null)
            {
                using var scope = Services.CreateScope();
                var admin = await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByNameAsync(AdminUserName);
                _adminToken = await TokenForAsync(admin!.Id);
            }

            return _adminToken;
        }
        finally
        {
            _adminTokenLock.Release();
        }
    }

    private async Task<string> TokenForAsync(string userId)
        => (await Services.GetRequiredService<ApiTokenService>().CreateAsync(userId, "tests", 30)).Token;

    private static void Check(IdentityResult result)
        => Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
}
