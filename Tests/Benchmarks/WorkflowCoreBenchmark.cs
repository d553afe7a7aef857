using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace ComplaintWorkflows.Benchmarks;

/// <summary>
/// The ten-step shape of <c>ten-step.bpmn</c> on WorkflowCore 3.22 with its default in-memory persistence, queue and
/// locks, in this process: ten no-op steps, a decision on the instance's data (both ways lead on, as the exclusive
/// gateway's condition and default flow do) and a wait for an external event keyed by the instance. One instance/s is
/// one instance started and run to that wait. WorkflowCore runs instances on background consumers, so the driver keeps
/// a bounded number of started instances ahead of those that reached the wait and counts the instances that did.
/// </summary>
internal static class WorkflowCoreBenchmark
{
    public static async Task<double> RunAsync(BenchmarkOptions options, TextWriter log)
    {
        log.WriteLine($"workflowcore: {options.Rounds} rounds of {options.Seconds:F1} s, in-memory persistence, {Environment.ProcessorCount} consumers");
        await RoundAsync(options.WarmUpSeconds ?? 1, log, "warm-up").ConfigureAwait(false);
        var rates = new List<double>();
        for (var round = 1; round <= options.Rounds; round++)
        {
            rates.Add(await RoundAsync(options.Seconds, log, $"round {round}").ConfigureAwait(false));
        }

        rates.Sort();
        return rates[rates.Count / 2];
    }

    private static async Task<double> RoundAsync(double seconds, TextWriter log, string label)
    {
        // Enough started instances ahead of the consumers that they never wait for the driver.
        const int ahead = 256;
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddWorkflow();
        var reached = new WaitReached(ahead);
        services.AddSingleton(reached);
        services.AddTransient<NoopStep>();
        services.AddTransient<AwaitReviewStep>();
        await using var provider = services.BuildServiceProvider();
        var host = provider.GetRequiredService<IWorkflowHost>();
        host.RegisterWorkflow<TenStepWorkflow, TenStepData>();
        await host.StartAsync(CancellationToken.None).ConfigureAwait(false);
        GC.Collect();
        var stopwatch = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(seconds);
        long started = 0;
        while (stopwatch.Elapsed < deadline)
        {
            if (await reached.Slots.WaitAsync(TimeSpan.FromMilliseconds(100)).ConfigureAwait(false))
            {
                await host.StartWorkflow(TenStepWorkflow.Name, new TenStepData()).ConfigureAwait(false);
                started++;
            }
        }

        var count = reached.Count;
        var elapsed = stopwatch.Elapsed.TotalSeconds;
        await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        if (count == 0)
        {
            throw new InvalidOperationException($"WorkflowCore: {started} instances started, none reached the wait.");
        }

        var rate = count / elapsed;
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"workflowcore {label}: {count} instances at the wait in {elapsed:F2} s = {rate:F0}/s ({started} started)"));
        return rate;
    }

    /// <summary>Counts the instances that reached the wait and hands the driver a slot for each.</summary>
    private sealed class WaitReached(int ahead)
    {
        private long _count;

        public SemaphoreSlim Slots { get; } = new(ahead);

        public long Count => Interlocked.Read(ref _count);

        public void Reached()
        {
            Interlocked.Increment(ref _count);
            Slots.Release();
        }
    }

    private sealed class TenStepData
    {
        public bool Big { get; set; }
    }

    private sealed class TenStepWorkflow : IWorkflow<TenStepData>
    {
        public const string Name = "ten-step";

        public string Id => Name;

        public int Version => 1;

        public void Build(IWorkflowBuilder<TenStepData> builder)
        {
            var step = builder.StartWith<NoopStep>();
            for (var i = 2; i <= 10; i++)
            {
                step = step.Then<NoopStep>();
            }

            step.If(data => data.Big).Do(then => then.StartWith<NoopStep>())
                .Then<AwaitReviewStep>();
        }
    }

    private sealed class NoopStep : StepBody
    {
        public override ExecutionResult Run(IStepExecutionContext context) => ExecutionResult.Next();
    }

    /// <summary>What WorkflowCore's own <c>WaitFor</c> does (wait for the event "review" keyed by the instance), counted.</summary>
    private sealed class AwaitReviewStep(WaitReached reached) : StepBody
    {
        public override ExecutionResult Run(IStepExecutionContext context)
        {
            if (context.ExecutionPointer.EventPublished)
            {
                return ExecutionResult.Next();
            }

            reached.Reached();
            return ExecutionResult.WaitForEvent("review", context.Workflow.Id, TimeProvider.System.GetUtcNow().UtcDateTime);
        }
    }
}
