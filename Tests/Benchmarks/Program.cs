using System.Globalization;
using ComplaintWorkflows.Benchmarks;

// dotnet run -c Release --project Tests/Benchmarks -- engine <file.bpmn> [--seconds N] [--rounds N] [--threads N]
if (args.Length < 2 || args[0] != "engine")
{
    Console.Error.WriteLine("usage: engine <file.bpmn> [--seconds 3] [--rounds 5] [--threads <cores>]");
    return 2;
}

var options = BenchmarkOptions.Parse(args.AsSpan(2));
var xml = await File.ReadAllTextAsync(args[1]);
var result = await EngineBenchmark.RunAsync(xml, options, Console.Out);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"engine: {result:F0} instances/s"));
return 0;
