using ComplaintWorkflows.Activities.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.WorkflowHost;

/// <summary>
/// On SQLite, folds the write-ahead log back into the database file now and then. SQLite's own automatic
/// checkpoints never finish while readers are always busy, so under steady load the <c>-wal</c> file would
/// grow without end (hundreds of MB in the intake benchmark); a truncating checkpoint waits for a moment
/// without readers and empties it.
/// </summary>
internal sealed partial class SqliteMaintenance(IDbContextFactory<DomainDbContext> contexts, IOptions<WorkflowsOptions> options, TimeProvider time, ILogger<SqliteMaintenance> logger) : BackgroundService
{
    /// <summary>
    /// Runs a truncating checkpoint, tried again after a short pause while readers keep it from finishing
    /// (<see cref="WorkflowsOptions.SqliteCheckpointAttempts"/> times); answers whether it completed.
    /// </summary>
    public async Task<bool> CheckpointAsync(CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await TryCheckpointAsync(cancellationToken).ConfigureAwait(false))
            {
                return true;
            }

            if (attempt >= options.Value.SqliteCheckpointAttempts)
            {
                return false;
            }

            await Task.Delay(options.Value.SqliteCheckpointRetryDelay, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> TryCheckpointAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);

        // One row: busy (1 when it could not finish), frames in the log, frames checkpointed.
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && reader.GetInt32(0) == 0;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Database != DatabaseProvider.Sqlite)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.SqliteCheckpointInterval, time);
        while (await timer.WaitForNextPollAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                if (!await CheckpointAsync(stoppingToken).ConfigureAwait(false))
                {
                    LogBusy(logger);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The SQLite checkpoint could not finish (readers were busy); it is tried again at the next interval")]
    private static partial void LogBusy(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The SQLite checkpoint failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
