using System.Globalization;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ComplaintWorkflows.WorkflowHost;

/// <summary>
/// Hosts sharing one PostgreSQL database run their start-up one at a time. From before the first start-up step
/// (schema migrations, roles and the first administrator, demo users and organisation, seeds, the deployment of the
/// shipped processes, Quartz's tables) until every hosted service has started, a host holds a session-level advisory
/// lock of that database on a connection of its own; another host starting meanwhile waits for it
/// (<see cref="WorkflowsOptions.StartupLockTimeout"/>). Without it two hosts starting together on an empty database
/// both saw no administrator and both created one, and the loser stopped at start (duplicate <c>UserNameIndex</c>).
/// A host that dies while holding the lock loses its connection, and with it the lock. SQLite: one host per file, no lock.
/// </summary>
internal sealed partial class StartupLock(IOptions<WorkflowsOptions> options, ILogger<StartupLock> logger) : IHostedLifecycleService, IAsyncDisposable
{
    /// <summary>The advisory lock's key (the ASCII of "CWSTART"), the same on every host of the product.</summary>
    internal const long Key = 0x43_5753_5441_5254;

    private NpgsqlConnection? _connection;

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.Database != DatabaseProvider.Postgres)
        {
            return;
        }

        // Not pooled: closing the connection ends the session, and so releases the lock whatever happened.
        var connectionString = new NpgsqlConnectionStringBuilder(settings.ConnectionString) { Pooling = false, ApplicationName = "ComplaintWorkflows start-up lock" };
        var connection = await OpenAsync(connectionString, cancellationToken).ConfigureAwait(false);
        try
        {
            if (!await TryLockAsync(connection, cancellationToken).ConfigureAwait(false))
            {
                LogWaiting(logger, settings.StartupLockTimeout);
                await using var wait = new NpgsqlCommand(string.Create(CultureInfo.InvariantCulture,
                    $"SET lock_timeout = {(long)settings.StartupLockTimeout.TotalMilliseconds}; SELECT pg_advisory_lock({Key}); RESET lock_timeout;"), connection);
                wait.CommandTimeout = 0;
                try
                {
                    await wait.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
                {
                    throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                        $"另一台主机的启动超过 {settings.StartupLockTimeout} 仍未结束 (another host's start-up on this database held the start-up lock longer than Workflows:StartupLockTimeout, {settings.StartupLockTimeout})."), e);
                }
            }

            _connection = connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StartedAsync(CancellationToken cancellationToken) => await ReleaseAsync().ConfigureAwait(false);

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync() => await ReleaseAsync().ConfigureAwait(false);

    private async Task ReleaseAsync()
    {
        if (Interlocked.Exchange(ref _connection, null) is { } connection)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<bool> TryLockAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT pg_try_advisory_lock({Key})", connection);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// Opens the connection; a database that does not exist yet is created first (as the migrations would, on the
    /// server's <c>postgres</c> database; of two hosts creating it at once, one does and the other finds it there).
    /// </summary>
    private static async Task<NpgsqlConnection> OpenAsync(NpgsqlConnectionStringBuilder connectionString, CancellationToken cancellationToken)
    {
        try
        {
            var connection = new NpgsqlConnection(connectionString.ConnectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName && !string.IsNullOrEmpty(connectionString.Database))
        {
            var server = new NpgsqlConnectionStringBuilder(connectionString.ConnectionString) { Database = "postgres" };
            await using (var maintenance = new NpgsqlConnection(server.ConnectionString))
            {
                await maintenance.OpenAsync(cancellationToken).ConfigureAwait(false);
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{connectionString.Database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", maintenance);
                try
                {
                    await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (PostgresException exists) when (exists.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
                {
                }
            }

            var connection = new NpgsqlConnection(connectionString.ConnectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Another host is starting on this database; waiting up to {Timeout} for its start-up to end")]
    private static partial void LogWaiting(ILogger logger, TimeSpan timeout);
}

/// <summary>Registration of <see cref="StartupLock"/>.</summary>
internal static class StartupLockExtensions
{
    /// <summary>Registers the start-up lock; it takes its lock before any hosted service starts, wherever it is registered.</summary>
    public static IServiceCollection AddStartupLock(this IServiceCollection services)
    {
        services.AddSingleton<StartupLock>();
        services.AddHostedService(sp => sp.GetRequiredService<StartupLock>());
        return services;
    }
}
