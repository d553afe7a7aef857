using System.Diagnostics;
using ActivityContext = ComplaintWorkflows.Engine.Activities.ActivityContext;
using System.Globalization;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Runtime;

namespace ComplaintWorkflows.Benchmarks;

internal sealed record BenchmarkOptions(double Seconds, int Rounds, int Threads, string Database = "sqlite", double? WarmUpSeconds = null)
{
    public static BenchmarkOptions Parse(ReadOnlySpan<string> args)
    {
        var options = new BenchmarkOptions(3, 5, Environment.ProcessorCount);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options = args[i] switch
            {
                "--seconds" => options with { Seconds = double.Parse(args[i + 1], CultureInfo.InvariantCulture) },
                "--rounds" => options with { Rounds = int.Parse(args[i + 1], CultureInfo.InvariantCulture) },
                "--warm-up" => options with { WarmUpSeconds = double.Parse(args[i + 1], CultureInfo.InvariantCulture) },
                "--threads" => options with { Threads = int.Parse(args[i + 1], CultureInfo.InvariantCulture) },
                "--db" when args[i + 1] is "sqlite" or "postgres" => options with { Database = args[i + 1] },
                _ => throw new ArgumentException($"Unknown option {args[i]}"),
            };
        }

        return options;
    }
}

/// <summary>
/// Starts instances of one process on a fresh in-memory engine per round, each driven until it waits
/// (at the user task of ten-step.bpmn), from several threads, and reports the median rate.
/// </summary>
internal static class EngineBenchmark
{
    public static async Task<double> RunAsync(string xml, BenchmarkOptions options, StoreUnderTest store, TextWriter log)
    {
        log.WriteLine($"{options.Rounds} rounds of {options.Seconds:F1} s on {options.Threads} thread(s), store {store.Name}, .NET {Environment.Version}, {Environment.ProcessorCount} cores");
        // A fresh PostgreSQL cluster needs longer before it runs at its pace (its caches and the first
        // backends' catalogs warm up); the rounds then measure the steady state, as a running server has.
        var warmUp = options.WarmUpSeconds ?? (store.Name == "postgres" ? 10 : 1);
        await RoundAsync(xml, options with { Seconds = warmUp }, store, log, "warm-up").ConfigureAwait(false);
        var rates = new List<double>();
        for (var round = 1; round <= options.Rounds; round++)
        {
            rates.Add(await RoundAsync(xml, options, store, log, $"round {round}").ConfigureAwait(false));
        }

        rates.Sort();
        return rates[rates.Count / 2];
    }

    private static async Task<double> RoundAsync(string xml, BenchmarkOptions options, StoreUnderTest store, TextWriter log, string label)
    {
        var registry = new ActivityRegistry().Register(new ActivityDescriptor("noop", "No-op", "Benchmark", "Does nothing.", [], []), new NoopActivity());
        var engine = new WorkflowEngine(registry, store: await store.CreateAsync().ConfigureAwait(false));
        var definition = (await engine.DeployAsync(xml, "benchmark.bpmn").ConfigureAwait(false)).Definitions[0];
        var key = definition.Key;
        GC.Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var stopwatch = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(options.Seconds);
        var workers = Enumerable.Range(0, options.Threads).Select(_ => Task.Run(async () =>
        {
            long started = 0;
            while (stopwatch.Elapsed < deadline)
            {
                for (var i = 0; i < 100; i++)
                {
                    var instance = await engine.StartProcessAsync(key).ConfigureAwait(false);
                    if (instance.Status != InstanceStatus.Active || instance.Incidents.Count > 0)
                    {
                        throw new InvalidOperationException($"Instance {instance.Id} did not stop at the user task.");
                    }
                }

                started += 100;
            }

            return started;
        })).ToList();
        var total = (await Task.WhenAll(workers).ConfigureAwait(false)).Sum();
        stopwatch.Stop();
        var rate = total / stopwatch.Elapsed.TotalSeconds;
        var waiting = (await engine.GetTasksAsync().ConfigureAwait(false)).Count;
        if (waiting != total)
        {
            throw new InvalidOperationException($"{total} instances started but {waiting} wait at a user task.");
        }

        var allocated = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / (double)total;
        var stored = await store.BytesAsync().ConfigureAwait(false) is { } bytes ? string.Create(CultureInfo.InvariantCulture, $", {bytes / (double)total:F0} bytes stored per waiting instance") : "";
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}: {total} instances in {stopwatch.Elapsed.TotalSeconds:F2} s = {rate:F0}/s, {allocated / 1024:F1} KiB allocated per instance, {GC.GetTotalMemory(false) / 1048576.0:F0} MiB live{stored}"));
        return rate;
    }

    private sealed class NoopActivity : IActivity
    {
        public ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }
}
