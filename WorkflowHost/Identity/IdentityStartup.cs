using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.WorkflowHost.Identity;

/// <summary>
/// Before the host serves: brings the identity tables up to date, adds missing roles and, while no user has the
/// administrator role, makes the first administrator. Its password is the configured
/// <see cref="IdentityHostOptions.InitialAdminPassword"/> or a random one printed once to standard output (never
/// logged) when the host has started listening, with the address to sign in at.
/// </summary>
internal sealed partial class IdentityStartup(
    IDbContextFactory<AuthDbContext> contexts,
    IServiceScopeFactory scopes,
    IOptions<IdentityHostOptions> options,
    IHostApplicationLifetime lifetime,
    IServer server,
    Operations.SchemaMigrationAudit migrations,
    ILogger<IdentityStartup> logger) : IHostedService
{
    /// <summary>Letters and digits that cannot be mistaken for one another when read off a screen.</summary>
    private const string PasswordAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        migrations.Applied("identity", await AuthDatabase.MigrateAsync(contexts, cancellationToken).ConfigureAwait(false));
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
            foreach (var role in RoleNames.All)
            {
                if (!await roles.RoleExistsAsync(role).ConfigureAwait(false))
                {
                    Check(await roles.CreateAsync(new IdentityRole(role)).ConfigureAwait(false), $"role {role}");
                }
            }

            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            if ((await users.GetUsersInRoleAsync(RoleNames.Administrator).ConfigureAwait(false)).Count > 0)
            {
                return;
            }

            var settings = options.Value;
            var configured = !string.IsNullOrEmpty(settings.InitialAdminPassword);
            var password = configured ? settings.InitialAdminPassword! : await RandomPasswordAsync(users, settings.GeneratedPasswordLength).ConfigureAwait(false);
            var admin = await users.FindByNameAsync(settings.InitialAdminUserName).ConfigureAwait(false);
            if (admin is null)
            {
                admin = new ApplicationUser { UserName = settings.InitialAdminUserName, DisplayName = "管理员 (Administrator)" };
                Check(await users.CreateAsync(admin, password).ConfigureAwait(false), $"user {settings.InitialAdminUserName}");
            }
            else
            {
                // The user exists but nobody is administrator any more: it becomes the administrator again, with a new password.
                Check(await users.RemovePasswordAsync(admin).ConfigureAwait(false), $"user {admin.UserName}");
                Check(await users.AddPasswordAsync(admin, password).ConfigureAwait(false), $"user {admin.UserName}");
                Check(await users.SetLockoutEndDateAsync(admin, null).ConfigureAwait(false), $"user {admin.UserName}");
            }

            Check(await users.AddToRoleAsync(admin, RoleNames.Administrator).ConfigureAwait(false), $"user {admin.UserName}");
            if (settings.InitialAdminMustChangePassword && !(await users.GetClaimsAsync(admin).ConfigureAwait(false)).Any(c => c.Type == PasswordChangeGate.Claim))
            {
                Check(await users.AddClaimAsync(admin, new System.Security.Claims.Claim(PasswordChangeGate.Claim, "true")).ConfigureAwait(false), $"user {admin.UserName}");
            }

            LogFirstAdministrator(logger, settings.InitialAdminUserName);
            var userName = settings.InitialAdminUserName;
            lifetime.ApplicationStarted.Register(() => Announce(userName, configured ? null : password));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>To standard output, not the log: the password must not end up in log files or collectors.</summary>
    private void Announce(string userName, string? password)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses;
        var url = addresses is { Count: > 0 } ? string.Join(" ", addresses) : "http://localhost:5080";
        var shown = password ?? "(Workflows:Identity:InitialAdminPassword)";
        Console.Out.WriteLine($"首位管理员 (first administrator): {userName} / {shown}  登录 (sign in): {url}  请登录后修改密码 (change the password after signing in).");
        Console.Out.Flush();
    }

    /// <summary>A random password the user manager's validators accept, of letters and digits that cannot be mistaken for one another.</summary>
    internal static async Task<string> RandomPasswordAsync(UserManager<ApplicationUser> users, int length)
    {
        var probe = new ApplicationUser { UserName = "probe" };
        while (true)
        {
            var password = RandomNumberGenerator.GetString(PasswordAlphabet, length);
            var valid = true;
            foreach (var validator in users.PasswordValidators)
            {
                valid &= (await validator.ValidateAsync(users, probe, password).ConfigureAwait(false)).Succeeded;
            }

            if (valid)
            {
                return password;
            }
        }
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"身份初始化失败 (Identity set-up failed) for {what}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No administrator existed: user {UserName} is the administrator now (its password is on standard output, or the configured one)")]
    private static partial void LogFirstAdministrator(ILogger logger, string userName);
}
