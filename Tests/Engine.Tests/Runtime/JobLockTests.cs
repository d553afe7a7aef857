using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Runtime;
using static ComplaintWorkflows.Engine.Tests.Runtime.Bpmn;

namespace ComplaintWorkflows.Engine.Tests.Runtime;

/// <summary>A running job keeps its lock by renewing it; a worker that stops renewing loses the job once the lock runs out (a takeover, counted).</summary>
public abstract class JobLockTests(StoreKind store)
{
    private static readonly TimeSpan Lock = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task JobRunningLongerThanItsLock_IsNotTakenByASecondWorker_UntilTheFirstStopsRenewing()
    {
        var options = new WorkflowEngineOptions { JobLockDuration = Lock };
        using var meters = new TestMeterFactory();
        var metrics = new EngineMetrics(meters);
        using var readings = new MeterReadings(metrics.Meter);
        var h = new EngineHarness(store: store, options: options, metrics: metrics);
        var hold = new HoldActivity();
        h.Activities.Register(new ActivityDescriptor("hold", "Hold", "Test", "Waits until released.", [], []), hold);
        h.Deploy($$"""
            <bpmn:startEvent id="s" />
            <bpmn:serviceTask id="send" camunda:asyncBefore="true" camunda:delegateExpression="${hold}" />
            <bpmn:userTask id="done" />
            {{Chain("s", "send", "done")}}
            """);
        var instance = await h.StartAsync();
        var second = h.OtherEngine(options: options);
        using var firstAlive = new CancellationTokenSource();
        var first = Task.Run(() => h.Engine.RunDueJobsAsync("first", firstAlive.Token));
        await hold.Entered.WaitAsync(TimeSpan.FromSeconds(10));

        for (var beat = 0; beat < 4; beat++)
        {
            h.Clock.Advance(Lock / 3);
            var expected = h.Clock.GetUtcNow() + Lock;
            await WaitForJobAsync(h, job => job.LockExpiresAt == expected);
        }

        Assert.True(h.Clock.GetUtcNow() > EngineHarness.Start + Lock);
        Assert.Equal(0, await second.RunDueJobsAsync("second").WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("first", (await h.Engine.GetJobsAsync(instance.Id)).Single().LockOwner);
        Assert.Equal(0, readings.Sum("cw.engine.job.lock.takeovers"));

        await firstAlive.CancelAsync(); // the first worker dies: no more renewals
        h.Clock.Advance(Lock + TimeSpan.FromSeconds(1));
        var taken = Task.Run(() => second.RunDueJobsAsync("second"));
        await WaitForJobAsync(h, job => job.LockOwner == "second");

        hold.Release();
        Assert.Equal(1, await taken.WaitAsync(TimeSpan.FromSeconds(10)));
        var died = await Record.ExceptionAsync(() => first.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(died is null or OperationCanceledException, $"the first worker ended with {died}");
        Assert.Equal(["done"], await h.ActiveElementsAsync(instance.Id));
        Assert.Empty(await h.Engine.GetJobsAsync(instance.Id));

        // The second worker took one job whose lock the first let expire: one takeover, counted once.
        Assert.Equal(1, readings.Sum("cw.engine.job.lock.takeovers"));
    }

    [Fact]
    public void DefaultJobLock_IsOneMinute_RenewedEveryThirdWhenNotConfigured()
    {
        var options = new WorkflowEngineOptions();

        Assert.Equal(TimeSpan.FromMinutes(1), options.JobLockDuration);
        Assert.Null(options.JobLockRenewalInterval);
    }

    private static async Task WaitForJobAsync(EngineHarness h, Func<JobInfo, bool> condition)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!(await h.Engine.GetJobsAsync()).Any(condition))
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), "the job's lock did not change as expected within 10 s");
            await Task.Delay(10);
        }
    }

    /// <summary>Blocks every run until released; tells when the first run began.</summary>
    private sealed class HoldActivity : IActivity
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Entered => _entered.Task;

        public void Release() => _released.TrySetResult();

        public async ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default)
        {
            _entered.TrySetResult();
            await _released.Task;
        }
    }
}

public sealed class JobLockTests_InMemory() : JobLockTests(StoreKind.InMemory);

public sealed class JobLockTests_Sqlite() : JobLockTests(StoreKind.Sqlite);

public sealed class JobLockTests_Postgres() : JobLockTests(StoreKind.Postgres);
