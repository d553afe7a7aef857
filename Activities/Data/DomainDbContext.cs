using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace ComplaintWorkflows.Activities.Data;

/// <summary>
/// The complaint domain's tables (complaints, organisation, calendar, classification rules, archive ...),
/// in the same database as the engine but with their own migrations history table. Each feature adds its
/// entities through an <see cref="IEntityTypeConfiguration{TEntity}"/> in its own folder; they are picked up
/// here, so features do not edit this class. Tables are prefixed <c>cw_</c>.
/// </summary>
public abstract class DomainDbContext(DbContextOptions options) : DbContext(options)
{
    public const string MigrationsHistoryTable = "__domain_migrations";

    /// <summary>Encrypts the personal-data columns (<see cref="EncryptedAttribute"/>) and hashes their lookups; a context without one only builds the model.</summary>
    internal PersonalDataProtector Protector { get; } = options.FindExtension<PersonalDataExtension>()?.Protector ?? PersonalDataProtector.ModelOnly;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(DomainDbContext).Assembly);
        PersonalDataColumns.Apply(modelBuilder, Protector);
    }

    /// <summary>Instants are stored as Unix milliseconds (UTC) so SQLite and PostgreSQL compare and order them alike.</summary>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UnixMillisecondsConverter>();
    }
}

/// <summary>Stores a <see cref="DateTimeOffset"/> as Unix milliseconds; read back in UTC.</summary>
public sealed class UnixMillisecondsConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTimeOffset, long>(
    v => v.ToUnixTimeMilliseconds(),
    v => DateTimeOffset.FromUnixTimeMilliseconds(v));

/// <summary>The domain tables on SQLite (migrations in Data/Migrations/Sqlite).</summary>
public sealed class SqliteDomainDbContext(DbContextOptions<SqliteDomainDbContext> options) : DomainDbContext(options);

/// <summary>The domain tables on PostgreSQL (migrations in Data/Migrations/Postgres).</summary>
public sealed class PostgresDomainDbContext(DbContextOptions<PostgresDomainDbContext> options) : DomainDbContext(options);

/// <summary>Creates <see cref="DomainDbContext"/> factories for the configured database.</summary>
public static class DomainDatabase
{
    /// <summary>Contexts on a SQLite file (WAL, busy timeout); write transactions queue at the gate when one is given (the engine's, for the same file).</summary>
    /// <remarks>Personal data is encrypted with <paramref name="protector"/>; without one, with keys that live as long as the process (tests).</remarks>
    public static IDbContextFactory<DomainDbContext> Sqlite(string path, ComplaintWorkflows.Engine.Persistence.SqliteWriteGate? gate = null, PersonalDataProtector? protector = null)
    {
        var connection = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();
        var options = new DbContextOptionsBuilder<SqliteDomainDbContext>()
            .UseSqlite(connection, o => o.MigrationsHistoryTable(DomainDbContext.MigrationsHistoryTable))
            .AddInterceptors(gate is null ? [new ComplaintWorkflows.Engine.Persistence.SqlitePragmas()] : [new ComplaintWorkflows.Engine.Persistence.SqlitePragmas(), gate])
            .UsePersonalDataProtector(protector ?? PersonalDataProtector.ProcessEphemeral)
            .Options;
        return new Contexts<SqliteDomainDbContext>(new PooledDbContextFactory<SqliteDomainDbContext>(options), openConnection: true);
    }

    /// <summary>Contexts on a PostgreSQL database; personal data encrypted as for <see cref="Sqlite"/>.</summary>
    public static IDbContextFactory<DomainDbContext> Postgres(string connectionString, PersonalDataProtector? protector = null)
    {
        var options = new DbContextOptionsBuilder<PostgresDomainDbContext>()
            .UseNpgsql(connectionString, o => o.MigrationsHistoryTable(DomainDbContext.MigrationsHistoryTable))
            .UsePersonalDataProtector(protector ?? PersonalDataProtector.ProcessEphemeral)
            .Options;
        return new Contexts<PostgresDomainDbContext>(new PooledDbContextFactory<PostgresDomainDbContext>(options), openConnection: false);
    }

    /// <summary>
    /// Contexts on a private in-memory SQLite database whose schema is created from the model (no
    /// migrations): for tests of one feature. The database lives as long as the returned handle.
    /// </summary>
    public static InMemoryDomainDatabase InMemory() => new();

    /// <summary>Brings the domain schema up to date (creating it in a new database); returns the migrations it applied.</summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(IDbContextFactory<DomainDbContext> contexts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contexts);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken).ConfigureAwait(false)).ToList();
        await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        return pending;
    }

    /// <summary>
    /// Hands out contexts of a provider's concrete type as the shared base type. On SQLite each context opens its
    /// connection once for its lifetime (closed when it is disposed): opening a pooled SQLite connection registers
    /// EF's SQL functions on it again, which would otherwise happen at every query and save of the context.
    /// </summary>
    private sealed class Contexts<TContext>(IDbContextFactory<TContext> inner, bool openConnection) : IDbContextFactory<DomainDbContext>
        where TContext : DomainDbContext
    {
        public DomainDbContext CreateDbContext()
        {
            var db = inner.CreateDbContext();
            try
            {
                if (openConnection)
                {
                    db.Database.OpenConnection();
                }

                return db;
            }
            catch
            {
                db.Dispose();
                throw;
            }
        }

        public async Task<DomainDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default)
        {
            var db = await inner.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (openConnection)
                {
                    await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                }

                return db;
            }
            catch
            {
                await db.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }
}

/// <summary>An in-memory SQLite domain database kept open until disposed.</summary>
public sealed class InMemoryDomainDatabase : IDbContextFactory<DomainDbContext>, IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly DbContextOptions<SqliteDomainDbContext> _options;

    internal InMemoryDomainDatabase()
    {
        _connection = new SqliteConnection("Data Source=:memory:");
        _connection.Open();
        _options = new DbContextOptionsBuilder<SqliteDomainDbContext>().UseSqlite(_connection).UsePersonalDataProtector(PersonalDataProtector.ProcessEphemeral).Options;
        using var db = new SqliteDomainDbContext(_options);
        db.Database.EnsureCreated();

        // What the migrations add beyond the model.
        db.Database.ExecuteSqlRaw(Organisation.HandlerLoadTriggers.SqliteCreate);
        db.Database.ExecuteSqlRaw(Complaints.ComplaintTextSearch.SqliteCreate);
    }

    public DomainDbContext CreateDbContext() => new SqliteDomainDbContext(_options);

    public void Dispose() => _connection.Dispose();
}

/// <summary>Lets <c>dotnet ef migrations add</c> build the SQLite context without a host.</summary>
internal sealed class SqliteDomainDesignTimeFactory : Microsoft.EntityFrameworkCore.Design.IDesignTimeDbContextFactory<SqliteDomainDbContext>
{
    public SqliteDomainDbContext CreateDbContext(string[] args)
        => new(new DbContextOptionsBuilder<SqliteDomainDbContext>().UseSqlite("Data Source=design-time.db", o => o.MigrationsHistoryTable(DomainDbContext.MigrationsHistoryTable)).Options);
}

/// <summary>Lets <c>dotnet ef migrations add</c> build the PostgreSQL context without a server.</summary>
internal sealed class PostgresDomainDesignTimeFactory : Microsoft.EntityFrameworkCore.Design.IDesignTimeDbContextFactory<PostgresDomainDbContext>
{
    public PostgresDomainDbContext CreateDbContext(string[] args)
        => new(new DbContextOptionsBuilder<PostgresDomainDbContext>().UseNpgsql("Host=localhost;Database=design-time", o => o.MigrationsHistoryTable(DomainDbContext.MigrationsHistoryTable)).Options);
}
