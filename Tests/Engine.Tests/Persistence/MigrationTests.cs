using ComplaintWorkflows.Engine.Persistence;
using ComplaintWorkflows.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Engine.Tests.Persistence;

public class MigrationTests
{
    [Fact]
    public void SqliteMigrations_CoverTheModel()
    {
        using var db = new SqliteWorkflowDbContext(new DbContextOptionsBuilder<SqliteWorkflowDbContext>().UseSqlite("Data Source=:memory:").Options);

        Assert.False(db.Database.HasPendingModelChanges(), "The model changed: add a migration with `dotnet ef migrations add <Name> --project Engine --context SqliteWorkflowDbContext --output-dir Persistence/Migrations/Sqlite`.");
        Assert.NotEmpty(db.Database.GetMigrations());
    }

    [Fact]
    public void PostgresMigrations_CoverTheModel()
    {
        using var db = new PostgresWorkflowDbContext(new DbContextOptionsBuilder<PostgresWorkflowDbContext>().UseNpgsql("Host=localhost;Database=unused").Options);

        Assert.False(db.Database.HasPendingModelChanges(), "The model changed: add a migration with `dotnet ef migrations add <Name> --project Engine --context PostgresWorkflowDbContext --output-dir Persistence/Migrations/Postgres`.");
        Assert.NotEmpty(db.Database.GetMigrations());
    }

    [Fact]
    public async Task Migrate_CreatesTheSchemaInANewSqliteFile_AndIsRepeatable()
    {
        var file = TestFiles.NewSqliteFile("migrate");
        try
        {
            var store = EfWorkflowStore.Sqlite(file);
            await store.MigrateAsync();
            await store.MigrateAsync();

            Assert.Empty(await store.LoadDefinitionsAsync());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }
}
