using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace ComplaintWorkflows.WorkflowHost.Identity;

/// <summary>
/// Users, roles and personal access tokens, in the engine's database: tables prefixed <c>auth_</c>, migrations
/// recorded in <c>__identity_migrations</c> (the engine and the domain keep their own histories).
/// </summary>
public abstract class AuthDbContext(DbContextOptions options) : IdentityDbContext<ApplicationUser, IdentityRole, string>(options), IDataProtectionKeyContext
{
    public const string MigrationsHistoryTable = "__identity_migrations";

    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    /// <summary>Failed sign-ins per client address (<see cref="SignInLockout"/>).</summary>
    public DbSet<AddressLockout> AddressLockouts => Set<AddressLockout>();

    /// <summary>The keys that protect sign-in cookies, shared by every host on the database.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>Pinned, so that the model never depends on options the host happens to set (migrations stay in step).</summary>
    protected override Version SchemaVersion => IdentitySchemaVersions.Version2;

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<ApplicationUser>(e =>
        {
            e.ToTable("auth_user");
            e.Property(u => u.DisplayName).HasMaxLength(100);
            e.Property(u => u.UnitId).HasMaxLength(64);
            e.Property(u => u.DepartmentId).HasMaxLength(64);
            e.Property(u => u.Locale).HasMaxLength(16);
        });
        builder.Entity<IdentityRole>().ToTable("auth_role");
        builder.Entity<IdentityUserRole<string>>().ToTable("auth_user_role");
        builder.Entity<IdentityUserClaim<string>>().ToTable("auth_user_claim");
        builder.Entity<IdentityUserLogin<string>>().ToTable("auth_user_login");
        builder.Entity<IdentityUserToken<string>>().ToTable("auth_user_token");
        builder.Entity<IdentityRoleClaim<string>>().ToTable("auth_role_claim");
        builder.Entity<DataProtectionKey>().ToTable("auth_data_protection_key");
        builder.Entity<ApiToken>(e =>
        {
            e.ToTable("auth_api_token");
            e.HasKey(t => t.Id);
            e.Property(t => t.Id).HasMaxLength(36);
            e.Property(t => t.UserId).HasMaxLength(450);
            e.Property(t => t.Name).HasMaxLength(100);
            e.Property(t => t.Hash).HasMaxLength(64);
            e.HasIndex(t => t.Hash).IsUnique();
            e.HasIndex(t => t.UserId);
            e.HasOne<ApplicationUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<AddressLockout>(e =>
        {
            e.ToTable("auth_address_lockout");
            e.HasKey(a => a.Address);
            e.Property(a => a.Address).HasMaxLength(64);
        });
        ComplaintWorkflows.WorkflowHost.Operations.OperationsModel.Configure(builder);
    }
}

/// <summary>The identity tables on SQLite, with SQLite's migrations (Identity/Migrations/Sqlite).</summary>
public sealed class SqliteAuthDbContext(DbContextOptions<SqliteAuthDbContext> options) : AuthDbContext(options);

/// <summary>The identity tables on PostgreSQL, with PostgreSQL's migrations (Identity/Migrations/Postgres).</summary>
public sealed class PostgresAuthDbContext(DbContextOptions<PostgresAuthDbContext> options) : AuthDbContext(options);

/// <summary>Contexts of the provider the host is configured for, handed out as <see cref="AuthDbContext"/>.</summary>
public static class AuthDatabase
{
    /// <summary>Contexts on the engine's SQLite file (pooled connections, the same connection settings as the engine and domain tables).</summary>
    public static IDbContextFactory<AuthDbContext> Sqlite(string path)
    {
        var connection = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();
        var options = new DbContextOptionsBuilder<SqliteAuthDbContext>()
            .UseSqlite(connection, o => o.MigrationsHistoryTable(AuthDbContext.MigrationsHistoryTable))
            .AddInterceptors(new ComplaintWorkflows.Engine.Persistence.SqlitePragmas())
            .Options;
        return new Contexts<SqliteAuthDbContext>(new PooledDbContextFactory<SqliteAuthDbContext>(options));
    }

    /// <summary>Contexts on the engine's PostgreSQL database.</summary>
    public static IDbContextFactory<AuthDbContext> Postgres(string connectionString)
    {
        var options = new DbContextOptionsBuilder<PostgresAuthDbContext>()
            .UseNpgsql(connectionString, o => o.MigrationsHistoryTable(AuthDbContext.MigrationsHistoryTable))
            .Options;
        return new Contexts<PostgresAuthDbContext>(new PooledDbContextFactory<PostgresAuthDbContext>(options));
    }

    public static IDbContextFactory<AuthDbContext> For(WorkflowsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Database == DatabaseProvider.Postgres
            ? Postgres(options.ConnectionString!)
            : Sqlite(WorkflowHostExtensions.SqliteFile(options));
    }

    /// <summary>Brings the identity tables up to date (creating them in a new database); returns the migrations it applied.</summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(IDbContextFactory<AuthDbContext> contexts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contexts);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken).ConfigureAwait(false)).ToList();
        await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        return pending;
    }

    private sealed class Contexts<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<AuthDbContext>
        where TContext : AuthDbContext
    {
        public AuthDbContext CreateDbContext() => inner.CreateDbContext();

        public async Task<AuthDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default)
            => await inner.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Lets <c>dotnet ef migrations add</c> build the SQLite context without a host.</summary>
internal sealed class SqliteAuthDesignTimeFactory : Microsoft.EntityFrameworkCore.Design.IDesignTimeDbContextFactory<SqliteAuthDbContext>
{
    public SqliteAuthDbContext CreateDbContext(string[] args)
        => new(new DbContextOptionsBuilder<SqliteAuthDbContext>().UseSqlite("Data Source=design-time.db", o => o.MigrationsHistoryTable(AuthDbContext.MigrationsHistoryTable)).Options);
}

/// <summary>Lets <c>dotnet ef migrations add</c> build the PostgreSQL context without a server.</summary>
internal sealed class PostgresAuthDesignTimeFactory : Microsoft.EntityFrameworkCore.Design.IDesignTimeDbContextFactory<PostgresAuthDbContext>
{
    public PostgresAuthDbContext CreateDbContext(string[] args)
        => new(new DbContextOptionsBuilder<PostgresAuthDbContext>().UseNpgsql("Host=localhost;Database=design-time", o => o.MigrationsHistoryTable(AuthDbContext.MigrationsHistoryTable)).Options);
}
