using System.Globalization;
using ComplaintWorkflows.Benchmarks;

// dotnet run -c Release --project Tests/Benchmarks -- engine <file.bpmn> [--seconds N] [--rounds N] [--threads N]
// dotnet run -c Release --project Tests/Benchmarks -- persisted <file.bpmn> [--db sqlite|postgres] [...]
// dotnet run -c Release --project Tests/Benchmarks -- designer [--nodes 300] [--rounds 5]
// dotnet run -c Release --project Tests/Benchmarks -- intake [--url http://host:port] [--seconds N] [--rounds N] [--threads N]
// dotnet run -c Release --project Tests/Benchmarks -- faults [--hosts 3] [--minutes 10] [--kill-every 20s] [--clients 6] [--survey-wait 30s] [--quiesce 5m]
// dotnet run -c Release --project Tests/Benchmarks -- soak [--hours 1 | --minutes N] [--sample 5m] [--rate 100] [--clients 16] [--workers N]
// dotnet run -c Release --project Tests/Benchmarks -- classifier [labeled.tsv] [--trainers a,b] [--rounds 3] [--complaints 2000]
// dotnet run -c Release --project Tests/Benchmarks -- waiting [--instances 1000000] [--db sqlite|postgres] [--samples 400] [--threads N]
// dotnet run -c Release --project Tests/Benchmarks -- personal-data [--complaints 20000] [--rounds 3]
// dotnet run -c Release --project Tests/Benchmarks -- complete [--rate 300] [--seconds 30] [--workers 4] [--db sqlite|postgres]
// dotnet run -c Release --project Tests/Benchmarks -- seed --complaints 1000000 [--db sqlite|postgres] [--folder F] [--database cw_seed] [--batch 1000]
// dotnet run -c Release --project Tests/Benchmarks -- queries [--db sqlite|postgres] [--folder F] [--database cw_seed] [--rounds 200]
// dotnet run -c Release --project Tests/Benchmarks -- metrics-scenario [--complaints 6] [--minutes 5] [--all]
if (args is ["seed" or "queries", ..])
{
    string Value(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault(fallback);
    var db = Value("--db", "sqlite");
    if (db is not ("sqlite" or "postgres"))
    {
        Console.Error.WriteLine($"--db {db}: expected sqlite or postgres");
        return 2;
    }

    var folder = Path.GetFullPath(Value("--folder", Path.Combine(Path.GetTempPath(), "cw-seed-" + db)));
    var database = Value("--database", "cw_seed");
    return args[0] == "seed"
        ? await SeedBenchmark.RunAsync(int.Parse(Value("--complaints", "100000"), CultureInfo.InvariantCulture), db, folder, database, int.Parse(Value("--batch", "1000"), CultureInfo.InvariantCulture), Console.Out)
        : await QueryBenchmark.RunAsync(db, folder, database, int.Parse(Value("--rounds", "200"), CultureInfo.InvariantCulture), Console.Out);
}

if (args is ["metrics-scenario", ..])
{
    string Value(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault(fallback);
    return await MetricsScenario.RunAsync(int.Parse(Value("--complaints", "6"), CultureInfo.InvariantCulture),
        TimeSpan.FromMinutes(double.Parse(Value("--minutes", "5"), CultureInfo.InvariantCulture)), args.Contains("--all"), Console.Out);
}

if (args is ["classifier", ..])
{
    var rest = args.Skip(1).ToList();
    var file = rest.Count > 0 && !rest[0].StartsWith("--", StringComparison.Ordinal) ? rest[0] : "Tests/Activities.Tests/Classification/Data/complaints-labeled.tsv";
    string Text(string name, string fallback) => rest.SkipWhile(a => a != name).Skip(1).FirstOrDefault(fallback);
    var trainers = Text("--trainers", "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    return ClassifierBenchmark.Run(file, trainers, int.Parse(Text("--rounds", "3"), CultureInfo.InvariantCulture), int.Parse(Text("--complaints", "2000"), CultureInfo.InvariantCulture), Console.Out);
}

if (args is ["designer", ..])
{
    int Option(string name, int fallback) => args.SkipWhile(a => a != name).Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(fallback);
    return await DesignerBenchmark.RunAsync(Option("--nodes", 300), Option("--rounds", 5), Console.Out);
}

if (args is ["faults", ..])
{
    return await FaultCampaign.RunAsync(FaultOptions.Parse(args), Console.Out);
}

if (args is ["soak", ..])
{
    return await Soak.RunAsync(SoakOptions.Parse(args), Console.Out);
}

string OptionOf(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault(fallback);
if (args is ["waiting", ..])
{
    return await WaitingBenchmark.RunAsync(
        int.Parse(OptionOf("--instances", "1000000"), CultureInfo.InvariantCulture),
        OptionOf("--db", "sqlite") is var db && db is "sqlite" or "postgres" ? db : throw new ArgumentException("--db is sqlite or postgres"),
        int.Parse(OptionOf("--samples", "400"), CultureInfo.InvariantCulture),
        int.Parse(OptionOf("--threads", (Environment.ProcessorCount * 4).ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture),
        Console.Out);
}

if (args is ["personal-data", ..])
{
    return PersonalDataBenchmark.Run(int.Parse(OptionOf("--complaints", "20000"), CultureInfo.InvariantCulture), int.Parse(OptionOf("--rounds", "3"), CultureInfo.InvariantCulture), Console.Out);
}

if (args is ["complete", ..])
{
    return await CompleteBenchmark.RunAsync(
        double.Parse(OptionOf("--rate", "300"), CultureInfo.InvariantCulture),
        TimeSpan.FromSeconds(double.Parse(OptionOf("--seconds", "30"), CultureInfo.InvariantCulture)),
        int.Parse(OptionOf("--workers", "4"), CultureInfo.InvariantCulture),
        OptionOf("--db", "sqlite") is var completeDb && completeDb is "sqlite" or "postgres" ? completeDb : throw new ArgumentException("--db is sqlite or postgres"),
        Console.Out);
}

if (args is ["intake", ..])
{
    var intakeArgs = args.AsSpan(1);
    string? url = null;
    if (intakeArgs is ["--url", var given, ..])
    {
        url = given;
        intakeArgs = intakeArgs[2..];
    }

    var intakeOptions = BenchmarkOptions.Parse(intakeArgs);
    intakeOptions = args.Contains("--threads") ? intakeOptions : intakeOptions with { Threads = 16 };
    intakeOptions = args.Contains("--seconds") ? intakeOptions : intakeOptions with { Seconds = 10 };
    intakeOptions = args.Contains("--rounds") ? intakeOptions : intakeOptions with { Rounds = 3 };
    return await IntakeBenchmark.RunAsync(url, intakeOptions, Console.Out);
}

if (args.Length < 2 || args[0] is not ("engine" or "persisted"))
{
    Console.Error.WriteLine("usage: engine|persisted <file.bpmn> [--db sqlite|postgres] [--seconds 3] [--rounds 5] [--threads <cores>] | intake [--url <host>]");
    return 2;
}

var options = BenchmarkOptions.Parse(args.AsSpan(2));
var xml = await File.ReadAllTextAsync(args[1]);
if (args[0] == "engine")
{
    // The same shape on WorkflowCore 3.22 (in memory) in the same process and run, for the ratio.
    var rate = await EngineBenchmark.RunAsync(xml, options, StoreUnderTest.InMemory(), Console.Out);
    var workflowCore = await WorkflowCoreBenchmark.RunAsync(options, Console.Out);
    Console.WriteLine(File.ReadAllText("/proc/loadavg").Trim());
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"engine: {rate:F0} instances/s; workflowcore: {workflowCore:F0} instances/s; ratio {rate / workflowCore:F1}"));
    return 0;
}

// Committing waits on the disk, so the persisted run keeps more instances in flight than there are cores.
options = args.Contains("--threads") ? options : options with { Threads = Environment.ProcessorCount * 4 };
await using var store = options.Database == "postgres" ? await StoreUnderTest.PostgresAsync(Console.Out) : StoreUnderTest.Sqlite();
var persisted = await EngineBenchmark.RunAsync(xml, options, store, Console.Out);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"persisted: {persisted:F0} instances/s"));
return 0;
