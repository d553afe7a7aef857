using System.Net.Http.Json;
using System.Text.Json;
using ComplaintWorkflows.Activities.Organisation;
using ComplaintWorkflows.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Npgsql;

namespace ComplaintWorkflows.WorkflowHost.Tests.Deployment;

/// <summary>
/// Two hosts started at the same moment on one new, empty PostgreSQL database (as compose or an orchestrator starts
/// replicas): both come up, with one first administrator, one account per demo staff member and one version of each
/// shipped process (they start one after the other behind the start-up lock, <c>StartupLock</c>).
/// </summary>
public sealed class SimultaneousStartTests
{
    [Fact]
    public async Task TwoHostsStartingTogetherOnAnEmptyDatabase_BothStart_WithOneAdministratorAndOneOfEachSeed()
    {
        var connectionString = await TestPostgres.NewDatabaseAsync("together");
        var keys = TestFiles.NewFolder("keys");
        using var first = new TogetherHost(connectionString, keys);
        using var second = new TogetherHost(connectionString, keys);

        using var go = new Barrier(2);
        var starts = new[] { first, second }.Select(host => Task.Run(() =>
        {
            go.SignalAndWait();
            _ = host.Services;
        }));
        await Task.WhenAll(starts);

        foreach (var host in new[] { first, second })
        {
            using var admin = host.CreateClient();
            var me = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/auth/me", UriKind.Relative));
            Assert.Equal(HostFactory.AdminUserName, me.GetProperty("userName").GetString());
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        Assert.Equal(1L, await ScalarAsync(connection, """
            SELECT count(*) FROM auth_user u JOIN auth_user_role ur ON ur."UserId" = u."Id" JOIN auth_role r ON r."Id" = ur."RoleId"
            WHERE r."Name" = 'administrator'
            """));
        var accounts = DemoOrganisation.Users.Select(u => u.UserName).Append(HostFactory.AdminUserName).Distinct(StringComparer.Ordinal).Count();
        Assert.Equal(accounts, await ScalarAsync(connection, "SELECT count(*) FROM auth_user"));
        Assert.Equal(0L, await ScalarAsync(connection, """SELECT count(*) FROM (SELECT "Name" FROM auth_role GROUP BY "Name" HAVING count(*) > 1) d"""));
        Assert.Equal(0L, await ScalarAsync(connection, """SELECT count(*) FROM wf_definition WHERE "Version" > 1"""));
        Assert.True(await ScalarAsync(connection, "SELECT count(*) FROM wf_definition") >= 7);
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A host on the shared database, with the demo organisation and its staff accounts, and Quartz clustered.</summary>
    private sealed class TogetherHost(string connectionString, string keyRingFolder) : HostFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Workflows:Database", "Postgres");
            builder.UseSetting("Workflows:ConnectionString", connectionString);
            builder.UseSetting("Workflows:PersonalData:KeyRingFolder", keyRingFolder);
            builder.UseSetting("Workflows:SeedDemoData", "true");
            builder.UseSetting("Workflows:SeedDemoComplaints", "false");
        }
    }
}
