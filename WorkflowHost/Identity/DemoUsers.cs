using ComplaintWorkflows.Activities.Organisation;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.WorkflowHost.Identity;

/// <summary>
/// With demo data on, a sign-in account for every staff member of the demo organisation (desk officers,
/// handlers, reviewers, leaders of each unit) so a newcomer can try every step. They share one password:
/// <see cref="IdentityHostOptions.DemoPassword"/>, or a random one printed once to standard output.
/// </summary>
internal sealed partial class DemoUsers(
    IServiceScopeFactory scopes,
    IOptions<WorkflowsOptions> workflows,
    IOptions<IdentityHostOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<DemoUsers> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!workflows.Value.SeedDemoData)
        {
            return;
        }

        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var configured = options.Value.DemoPassword;
            var password = string.IsNullOrEmpty(configured) ? await IdentityStartup.RandomPasswordAsync(users, options.Value.GeneratedPasswordLength).ConfigureAwait(false) : configured;
            var created = new List<string>();
            foreach (var demo in DemoOrganisation.Users)
            {
                if (await users.FindByNameAsync(demo.UserName).ConfigureAwait(false) is not null)
                {
                    continue;
                }

                var user = new ApplicationUser { UserName = demo.UserName, DisplayName = demo.DisplayName, UnitId = demo.UnitId, Locale = "zh-CN" };
                var result = await users.CreateAsync(user, password).ConfigureAwait(false);
                if (result.Succeeded)
                {
                    result = await users.AddToRolesAsync(user, demo.Roles.Where(RoleNames.IsKnown)).ConfigureAwait(false);
                }

                if (!result.Succeeded)
                {
                    throw new InvalidOperationException($"演示账号 {demo.UserName} 创建失败 (demo account could not be created): {string.Join(" ", result.Errors.Select(e => e.Description))}");
                }

                created.Add(demo.UserName);
            }

            if (created.Count > 0)
            {
                LogCreated(logger, created.Count);
                var shown = string.IsNullOrEmpty(configured) ? password : "(Workflows:Identity:DemoPassword)";
                var sample = string.Join(", ", created.Where(n => n is "zx-desk-a" or "wm-handler" or "wm-desk-a" or "lc-reviewer" or "wm-leader" or "lc-legal"));
                lifetime.ApplicationStarted.Register(() =>
                {
                    Console.Out.WriteLine($"演示账号 (demo staff, {created.Count}): {sample} ... 密码均为 (password): {shown}");
                    Console.Out.Flush();
                });
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Created {Count} demo staff accounts (their password is on standard output, or the configured one)")]
    private static partial void LogCreated(ILogger logger, int count);
}
