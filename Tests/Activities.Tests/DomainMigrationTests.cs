using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Activities.Tests;

public sealed class DomainMigrationTests
{
    [Fact]
    public void SqliteMigrations_CoverTheDomainModel()
    {
        using var db = new SqliteDomainDbContext(new DbContextOptionsBuilder<SqliteDomainDbContext>().UseSqlite("Data Source=:memory:").Options);

        Assert.False(db.Database.HasPendingModelChanges(), "The domain model changed: add a migration with `dotnet ef migrations add <Name> --project Activities --context SqliteDomainDbContext --output-dir Data/Migrations/Sqlite --namespace ComplaintWorkflows.Activities.Data.Migrations.Sqlite`.");
        Assert.NotEmpty(db.Database.GetMigrations());
    }

    [Fact]
    public void PostgresMigrations_CoverTheDomainModel()
    {
        using var db = new PostgresDomainDbContext(new DbContextOptionsBuilder<PostgresDomainDbContext>().UseNpgsql("Host=localhost;Database=unused").Options);

        Assert.False(db.Database.HasPendingModelChanges(), "The domain model changed: add a migration with `dotnet ef migrations add <Name> --project Activities --context PostgresDomainDbContext --output-dir Data/Migrations/Postgres --namespace ComplaintWorkflows.Activities.Data.Migrations.Postgres`.");
        Assert.NotEmpty(db.Database.GetMigrations());
    }

    [Fact]
    public async Task Migrate_CreatesTheDomainTablesBesideTheEngines_AndIsRepeatable()
    {
        var file = TestFiles.NewSqliteFile("domain");
        try
        {
            var contexts = DomainDatabase.Sqlite(file);
            await DomainDatabase.MigrateAsync(contexts);
            await DomainDatabase.MigrateAsync(contexts);

            await using var db = await contexts.CreateDbContextAsync();
            Assert.Equal(0, await db.Set<ComplaintWorkflows.Activities.Complaints.Complaint>().CountAsync());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }
}
