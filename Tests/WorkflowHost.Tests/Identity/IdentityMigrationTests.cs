using ComplaintWorkflows.WorkflowHost.Identity;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.WorkflowHost.Tests.Identity;

public sealed class IdentityMigrationTests
{
    [Fact]
    public void SqliteMigrations_CoverTheIdentityModel()
    {
        using var db = new SqliteAuthDbContext(new DbContextOptionsBuilder<SqliteAuthDbContext>().UseSqlite("Data Source=:memory:").Options);

        Assert.False(db.Database.HasPendingModelChanges(), "The identity model changed: add a migration with `dotnet ef migrations add <Name> --project WorkflowHost --context SqliteAuthDbContext --output-dir Identity/Migrations/Sqlite --namespace ComplaintWorkflows.WorkflowHost.Identity.Migrations.Sqlite`.");
        Assert.NotEmpty(db.Database.GetMigrations());
    }

    [Fact]
    public void PostgresMigrations_CoverTheIdentityModel()
    {
        using var db = new PostgresAuthDbContext(new DbContextOptionsBuilder<PostgresAuthDbContext>().UseNpgsql("Host=localhost;Database=unused").Options);

        Assert.False(db.Database.HasPendingModelChanges(), "The identity model changed: add a migration with `dotnet ef migrations add <Name> --project WorkflowHost --context PostgresAuthDbContext --output-dir Identity/Migrations/Postgres --namespace ComplaintWorkflows.WorkflowHost.Identity.Migrations.Postgres`.");
        Assert.NotEmpty(db.Database.GetMigrations());
    }

    [Fact]
    public async Task Migrate_CreatesTheIdentityTablesInANewSqliteFile_AndIsRepeatable()
    {
        var file = Path.Combine(Path.GetTempPath(), $"cw-identity-{Guid.NewGuid():N}.db");
        try
        {
            var contexts = AuthDatabase.Sqlite(file);
            await AuthDatabase.MigrateAsync(contexts);
            await AuthDatabase.MigrateAsync(contexts);

            await using var db = await contexts.CreateDbContextAsync();
            Assert.Equal(0, await db.Users.CountAsync());
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }
}
