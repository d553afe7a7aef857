using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ComplaintWorkflows.TestSupport;

/// <summary>
/// Runs fuzz cases: each case gets a <see cref="Random"/> of its own, derived from the run's seed, the target's name and
/// the case's number, so a failing case is reproduced by running again with the seed it prints
/// (<c>COMPLAINTWORKFLOWS_FUZZ_SEED=&lt;seed&gt;</c>). A case fails when it throws, or takes longer than
/// <see cref="CaseLimit"/> (it is then abandoned). The whole run's time is printed, not asserted: how fast the routes answer
/// is the benchmarks' business, and a loaded CI machine must not fail a run whose every case answered.
/// </summary>
public static class Fuzz
{
    /// <summary>The environment variable that fixes the seed (else a new one each run, printed when a case fails).</summary>
    public const string SeedVariable = "COMPLAINTWORKFLOWS_FUZZ_SEED";

    /// <summary>The environment variable that multiplies every target's number of cases (e.g. 10 for a long run at night).</summary>
    public const string ScaleVariable = "COMPLAINTWORKFLOWS_FUZZ_SCALE";

    /// <summary>The environment variable that runs one case only (by its number, with the seed it failed with), to debug it.</summary>
    public const string CaseVariable = "COMPLAINTWORKFLOWS_FUZZ_CASE";

    /// <summary>The longest one case may take (a hang is a failure).</summary>
    public static TimeSpan CaseLimit { get; } = Environment.GetEnvironmentVariable("COMPLAINTWORKFLOWS_FUZZ_CASE_LIMIT_SECONDS") is { Length: > 0 } limit ? TimeSpan.FromSeconds(double.Parse(limit, CultureInfo.InvariantCulture)) : TimeSpan.FromSeconds(2);

    private static readonly Lazy<int> SeedValue = new(() => Environment.GetEnvironmentVariable(SeedVariable) is { Length: > 0 } given
        ? int.Parse(given, CultureInfo.InvariantCulture)
        : Random.Shared.Next());

    /// <summary>This run's seed.</summary>
    public static int Seed => SeedValue.Value;

    private static int Scale => Environment.GetEnvironmentVariable(ScaleVariable) is { Length: > 0 } scale ? Math.Max(1, int.Parse(scale, CultureInfo.InvariantCulture)) : 1;

    /// <summary>Runs <paramref name="cases"/> synchronous cases (each on the thread pool, so a hang is caught); answers the number run.</summary>
    public static Task<int> RunAsync(string target, int cases, Action<FuzzCase> check)
        => RunAsync(target, cases, c => Task.Run(() => check(c)));

    /// <summary>Runs <paramref name="cases"/> cases of <paramref name="target"/>; throws <see cref="FuzzFailureException"/> naming the seed and each failed case (with its note).</summary>
    public static async Task<int> RunAsync(string target, int cases, Func<FuzzCase, Task> check)
    {
        ArgumentNullException.ThrowIfNull(check);
        cases *= Scale;
        var failures = new List<string>();
        var total = Stopwatch.StartNew();
        var slowest = TimeSpan.Zero;
        var run = 0;
        var only = Environment.GetEnvironmentVariable(CaseVariable) is { Length: > 0 } one ? int.Parse(one, CultureInfo.InvariantCulture) : (int?)null;
        for (var i = only ?? 0; i < (only + 1 ?? cases) && failures.Count < 5; i++, run++)
        {
            var @case = new FuzzCase(new Random(CaseSeed(target, i)), i);
            var watch = Stopwatch.StartNew();
            try
            {
                await check(@case).WaitAsync(CaseLimit).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                failures.Add($"case {i} ({@case.Note}): no answer within {CaseLimit.TotalSeconds:0.#} s (a hang; {CaseVariable}={i} runs it alone)");
            }
            catch (Exception e)
            {
                failures.Add($"case {i} ({@case.Note}): {e}");
            }

            slowest = watch.Elapsed > slowest ? watch.Elapsed : slowest;
            if (only is not null)
            {
                Console.WriteLine($"fuzz {target} case {i} ({@case.Note}): {watch.Elapsed.TotalMilliseconds:0} ms");
            }
        }

        if (failures.Count > 0)
        {
            throw new FuzzFailureException(
                $"Fuzzing {target}: {failures.Count} failure(s) in {run} case(s), seed {Seed} (run again with {SeedVariable}={Seed}):\n" + string.Join("\n\n", failures));
        }

        Console.WriteLine($"fuzz {target}: {run} cases in {total.Elapsed.TotalSeconds:0.0} s, slowest {slowest.TotalMilliseconds:0} ms, seed {Seed}");
        return run;
    }

    /// <summary>A case's seed: the same for the same run seed, target and number, on every machine (no string hash randomisation).</summary>
    public static int CaseSeed(string target, int index)
    {
        ArgumentNullException.ThrowIfNull(target);
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes($"{Seed}/{target}/{index}"))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)hash;
    }
}

/// <summary>One fuzz case: its random source, its number, and what it tried (printed when it fails).</summary>
public sealed class FuzzCase(Random random, int index)
{
    public Random Random { get; } = random;

    public int Index { get; } = index;

    /// <summary>What the case sends (set it before sending: a hang is reported with it).</summary>
    public string? Note { get; set; }
}

/// <summary>Fuzz cases that crashed or hung; the message names the seed to run them again with.</summary>
public sealed class FuzzFailureException(string message) : Exception(message);

/// <summary>Mutations of text: cut, repeated, spliced with hostile characters, grown huge.</summary>
public static class Mutate
{
    /// <summary>Characters that break careless code: controls, NUL, lone surrogates, bidirectional overrides, zero-width, BOM, full-width digits, CJK, emoji, markup.</summary>
    private static readonly string[] Hostile =
    [
        "\0", "\u0001", "\u001f", "\u007f", "\r\n", "\t", "\ud800", "\udfff", "\u202e", "\u200b", "\ufeff", "\uffff", "５", "１２", "満意", "非常满意", "😀", "👍🏽",
        "<", ">", "&", "\"", "'", "\\", "%", "%00", "${", "}", "{{", "'; DROP TABLE cw_complaint; --", "<script>alert(1)</script>", "../../", "\u0085", "\u2028",
        "-1", "0", "99999999999999999999", "1e400", "NaN", "null", "true", "[]", "{}",
    ];

    /// <summary>One hostile fragment.</summary>
    public static string Fragment(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return random.Next(4) switch
        {
            0 => RandomText(random, random.Next(1, 12)),
            _ => Hostile[random.Next(Hostile.Length)],
        };
    }

    /// <summary>A fragment without lone surrogates (for XML and JSON writers, which cannot encode them).</summary>
    public static string WellFormedFragment(Random random) => WellFormed(Fragment(random));

    /// <summary>The text with lone surrogates replaced by U+FFFD.</summary>
    public static string WellFormed(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(chars[i]))
            {
                chars[i] = '\ufffd';
            }
        }

        return new string(chars);
    }

    /// <summary>Random characters from the whole BMP and beyond (lone surrogates included).</summary>
    public static string RandomText(Random random, int length)
    {
        ArgumentNullException.ThrowIfNull(random);
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            text.Append(random.Next(5) switch
            {
                0 => (char)random.Next(0x20, 0x7f),
                1 => (char)random.Next(0x4e00, 0x9fff),
                2 => (char)random.Next(0, 0x20),
                3 => (char)random.Next(0xd800, 0xe000),
                _ => (char)random.Next(0, 0x10000),
            });
        }

        return text.ToString();
    }

    /// <summary>The text with one to four mutations: cut, a slice repeated or removed, hostile fragments inserted, or grown to up to <paramref name="maxLength"/>.</summary>
    public static string Text(Random random, string text, int maxLength = 200_000)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(text);
        var s = text;
        for (var n = random.Next(1, 5); n > 0; n--)
        {
            var at = s.Length == 0 ? 0 : random.Next(s.Length + 1);
            var length = s.Length - at == 0 ? 0 : random.Next(Math.Min(s.Length - at, 200) + 1);
            s = random.Next(7) switch
            {
                0 => s[..at],
                1 => s[..at] + s[at..(at + length)] + s[at..],
                2 => s[..at] + s[(at + length)..],
                3 => s[..at] + Fragment(random) + s[at..],
                4 when s.Length > 0 => s[..at] + new string(s[Math.Min(at, s.Length - 1)], random.Next(1, 5000)) + s[at..],
                5 => s[..at] + string.Concat(Enumerable.Repeat(length > 0 ? s[at..(at + length)] : Fragment(random), random.Next(2, 2000))) + s[at..],
                _ => s[..at] + RandomText(random, random.Next(1, 40)) + s[(at + length)..],
            };
            if (s.Length > maxLength)
            {
                s = s[..maxLength];
            }
        }

        return s;
    }

    /// <summary>Bytes that are not valid UTF-8 where the text was (for "wrong encoding" cases).</summary>
    public static byte[] Bytes(Random random, string text)
    {
        ArgumentNullException.ThrowIfNull(random);
        var bytes = random.Next(4) switch
        {
            0 => Encoding.Unicode.GetBytes(text),
            1 => Encoding.Latin1.GetBytes(text),
            2 => [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)],
            _ => Encoding.UTF8.GetBytes(text),
        };
        for (var n = random.Next(0, 4); n > 0 && bytes.Length > 0; n--)
        {
            bytes[random.Next(bytes.Length)] = (byte)random.Next(0x80, 0x100);
        }

        return bytes;
    }
}
