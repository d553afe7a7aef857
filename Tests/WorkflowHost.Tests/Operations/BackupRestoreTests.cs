using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.TestSupport;
using ComplaintWorkflows.WorkflowHost.Complaints;
using ComplaintWorkflows.WorkflowHost.Operations;
using ComplaintWorkflows.WorkflowHost.Tests.Complaints;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.WorkflowHost.Tests.Operations;

/// <summary>
/// A backup taken while complaints keep coming in, restored into an empty data folder (SQLite) or database
/// (PostgreSQL) with its key ring: a host started on it reads the consumers' encrypted data and finishes every complaint
/// that was waiting. Restoring over existing data is refused.
/// </summary>
public abstract class BackupRestoreTestsBase
{
    protected abstract IDictionary<string, string?> NewDatabase(string folder);

    [Fact]
    public async Task ABackupUnderLoad_RestoredIntoAnEmptyPlace_StartsAHostThatFinishesTheWaitingComplaints()
    {
        var archive = Path.Combine(TestFiles.NewFolder("backup"), "backup.zip");
        var before = new List<string>();
        using (var host = new ComplaintHost { Settings = NewDatabase("source") })
        {
            var scenario = new ComplaintScenario(host);
            for (var i = 0; i < 3; i++)
            {
                before.Add(await scenario.FileAsync($"第{i}台空调安装后不制冷，商家拒绝上门。", phone: $"1370000000{i}", name: $"钱{i}"));
            }

            // Intake goes on while the backup is taken.
            using var stop = new CancellationTokenSource();
            var intake = Task.Run(async () =>
            {
                var n = 0;
                while (!stop.IsCancellationRequested)
                {
                    await scenario.FileAsync($"第{n}件外套洗后褪色，商家不认。", phone: $"1360000{n:0000}", name: "孙七", respondent: $"鹿城区服装店{n++}");
                }

                return n;
            });
            var workflows = host.Services.GetRequiredService<IOptions<WorkflowsOptions>>().Value;
            var keys = ComplaintHostExtensions.PersonalDataKeyRingFolder(workflows, host.Services.GetRequiredService<IOptions<PersonalDataOptions>>().Value);
            await Task.Delay(200);
            var manifest = await BackupCommand.BackupAsync(archive, workflows, keys, new BackupOptions(), TimeProvider.System);
            await stop.CancelAsync();
            Assert.True(await intake > 0, "complaints were filed while the backup ran");
            Assert.Equal(workflows.Database, manifest.Database);
            Assert.NotEmpty(manifest.KeyRingFiles);
        }

        var target = NewDatabase("restored");
        var targetOptions = Options(target);
        var restoredKeys = Path.Combine(targetOptions.DataFolder, "personal-data-keys");
        await BackupCommand.RestoreAsync(archive, targetOptions, restoredKeys, new BackupOptions());

        // Into a place that holds data now: refused, saying why.
        var refused = await Assert.ThrowsAsync<BackupException>(() => BackupCommand.RestoreAsync(archive, targetOptions, restoredKeys, new BackupOptions()));
        Assert.Contains("拒绝覆盖", refused.Message, StringComparison.Ordinal);

        using var restored = new ComplaintHost { Settings = target };
        var restoredScenario = new ComplaintScenario(restored);
        var contexts = restored.Services.GetRequiredService<IDbContextFactory<DomainDbContext>>();
        List<(string Id, string Name)> waiting;
        await using (var db = await contexts.CreateDbContextAsync())
        {
            waiting = [.. (await db.Set<Complaint>().AsNoTracking().ToListAsync()).Select(c => (c.Id, c.ConsumerName))];
        }

        Assert.Superset(before.ToHashSet(), waiting.Select(w => w.Id).ToHashSet());
        Assert.Contains(waiting, w => w.Name == "钱0");
        foreach (var (id, _) in waiting)
        {
            await restoredScenario.CloseAsync(id);
            Assert.Equal("Closed", await restoredScenario.StatusAsync(id));
        }
    }

    private static WorkflowsOptions Options(IDictionary<string, string?> settings) => new()
    {
        DataFolder = settings["Workflows:DataFolder"]!,
        Database = settings.TryGetValue("Workflows:Database", out var database) && database == "Postgres" ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite,
        ConnectionString = settings.TryGetValue("Workflows:ConnectionString", out var connection) ? connection : null,
    };
}

public sealed class BackupRestoreSqliteTests : BackupRestoreTestsBase
{
    protected override IDictionary<string, string?> NewDatabase(string folder) => new Dictionary<string, string?> { ["Workflows:DataFolder"] = TestFiles.NewFolder(folder) };
}

public sealed class BackupRestorePostgresTests : BackupRestoreTestsBase
{
    protected override IDictionary<string, string?> NewDatabase(string folder) => new Dictionary<string, string?>
    {
        ["Workflows:DataFolder"] = TestFiles.NewFolder(folder),
        ["Workflows:Database"] = "Postgres",
        ["Workflows:ConnectionString"] = TestPostgres.NewDatabase("backup"),
    };
}
