using ComplaintWorkflows.Activities.Messaging;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.WorkflowHost.Messaging;

/// <summary>
/// Delivers notifications in the background: when this host stores one, and every
/// <see cref="NotificationOptions.PollInterval"/> (what other hosts stored, retries that fell due). Several hosts can run
/// it on one database: each notification is taken by one of them at a time.
/// </summary>
internal sealed partial class NotificationWorker(NotificationDispatcher dispatcher, NotificationSignal signal, IOptions<NotificationOptions> options, TimeProvider time, ILogger<NotificationWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.DeliveryEnabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await dispatcher.DeliverDueAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
            }

            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var delay = Task.Delay(options.Value.PollInterval, time, wait.Token);
            var woken = signal.WaitAsync(wait.Token);
            try
            {
                await Task.WhenAny(delay, woken).ConfigureAwait(false);
            }
            finally
            {
                await wait.CancelAsync().ConfigureAwait(false);
                await Task.WhenAll(delay, woken).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            }

            // Deliver on the thread pool, not inside whatever moved the clock (see PollingTimers).
            await Task.Yield();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivering notifications failed; trying again at the next poll")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
