using System.Diagnostics;
using System.Globalization;
using ComplaintWorkflows.Activities.Data;

namespace ComplaintWorkflows.Benchmarks;

/// <summary>
/// <c>personal-data [--complaints 20000] [--rounds 3]</c>: the CPU time of encrypting personal data at rest (SECURITY.md), in
/// process, on a key ring in a fresh folder as a host has: per encryption, decryption and lookup hash of a complaint's
/// values (name, phone, address), and per complaint for what its record is written with (three encryptions and the
/// phone's lookup hash, plus the hash the duplicate check compares with), median of the rounds.
/// </summary>
internal static class PersonalDataBenchmark
{
    public static int Run(int complaints, int rounds, TextWriter output)
    {
        var folder = Directory.CreateTempSubdirectory("complaintworkflows-keys-").FullName;
        try
        {
            var protector = PersonalDataProtector.FromKeyRing(folder);
            var values = Enumerable.Range(0, complaints).Select(n => (
                Name: "测试用户" + (n % 100),
                Phone: string.Create(CultureInfo.InvariantCulture, $"139{n % 100:D2}{n % 1_000_000:D6}"),
                Address: "浙江省温州市鹿城区五马街道" + n + "号")).ToArray();
            var stored = values.Select(v => protector.Protect(v.Phone)).ToArray();
            var protect = Cpu(rounds, () =>
            {
                foreach (var v in values)
                {
                    _ = protector.Protect(v.Phone);
                }
            }) / complaints;
            var unprotect = Cpu(rounds, () =>
            {
                foreach (var s in stored)
                {
                    _ = protector.Unprotect(s);
                }
            }) / complaints;
            var hash = Cpu(rounds, () =>
            {
                foreach (var v in values)
                {
                    _ = protector.Hash(v.Phone);
                }
            }) / complaints;
            var complaint = Cpu(rounds, () =>
            {
                foreach (var v in values)
                {
                    _ = protector.Protect(v.Name);
                    _ = protector.Protect(v.Phone);
                    _ = protector.Protect(v.Address);
                    _ = protector.Hash(v.Phone);
                    _ = protector.Hash(v.Phone);
                }
            }) / complaints;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"encrypt {protect * 1000:F1} µs, decrypt {unprotect * 1000:F1} µs, lookup hash {hash * 1000:F1} µs CPU each ({complaints} values, median of {rounds} rounds)"));
            output.WriteLine(File.ReadAllText("/proc/loadavg").Trim());
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"personal-data: {complaint:F4} ms CPU per complaint (3 encryptions, 2 lookup hashes)"));
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static double Cpu(int rounds, Action work)
    {
        work();
        var figures = new List<double>();
        using var process = Process.GetCurrentProcess();
        for (var round = 0; round < rounds; round++)
        {
            process.Refresh();
            var before = process.TotalProcessorTime;
            work();
            process.Refresh();
            figures.Add((process.TotalProcessorTime - before).TotalMilliseconds);
        }

        figures.Sort();
        return figures[figures.Count / 2];
    }
}
