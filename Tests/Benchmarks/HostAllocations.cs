using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace ComplaintWorkflows.Benchmarks;

/// <summary>
/// The bytes another .NET process allocates, from the runtime's <c>alloc-rate</c> event counter (the bytes allocated
/// in each interval of <see cref="Interval"/>) over an EventPipe session. Counters cost the host a few events a second;
/// the GC's allocation-tick events would cost a stack walk every 100 KB allocated, several per complaint, and slow the
/// host being measured. Each report keeps its time stamp (the end of its interval), so a window's bytes are those of
/// the intervals ending in it: exact to within one interval at either end.
/// </summary>
internal sealed class HostAllocations : IDisposable
{
    private readonly EventPipeSession _session;
    private readonly Thread _reader;
    private readonly Lock _gate = new();
    private readonly List<(DateTime At, long Bytes)> _ticks = [];

    /// <summary>How often the host reports what it allocated.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private HostAllocations(EventPipeSession session)
    {
        _session = session;
        _reader = new Thread(Read) { IsBackground = true, Name = "host allocation events" };
        _reader.Start();
    }

    /// <summary>Starts listening to the process, or answers null (with the reason written) if it cannot be traced.</summary>
    public static HostAllocations? TryStart(int processId, TextWriter output)
    {
        try
        {
            var arguments = new Dictionary<string, string> { ["EventCounterIntervalSec"] = Interval.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            var providers = new[] { new EventPipeProvider("System.Runtime", EventLevel.Informational, (long)EventKeywords.None, arguments) };
            var session = new DiagnosticsClient(processId).StartEventPipeSession(providers, requestRundown: false, circularBufferMB: 64);
            return new HostAllocations(session);
        }
        catch (Exception ex) when (ex is DiagnosticsClientException or IOException or UnauthorizedAccessException or TimeoutException)
        {
            output.WriteLine($"host allocations are not measured: {ex.Message}");
            return null;
        }
    }

    /// <summary>The bytes allocated between two instants (UTC).</summary>
    public long Between(DateTime fromUtc, DateTime toUtc)
    {
        lock (_gate)
        {
            return _ticks.Where(t => t.At >= fromUtc && t.At < toUtc).Sum(t => t.Bytes);
        }
    }

    /// <summary>Waits until the events up to an instant have come in (they arrive in buffers, up to a second or so late).</summary>
    public async Task SettleAsync(DateTime untilUtc)
    {
        for (var i = 0; i < 50; i++)
        {
            lock (_gate)
            {
                if (_ticks.Count > 0 && _ticks[^1].At >= untilUtc)
                {
                    return;
                }
            }

            await Task.Delay(100);
        }
    }

    private void Read()
    {
        try
        {
            using var source = new EventPipeEventSource(_session.EventStream);
            source.Dynamic.All += report =>
            {
                if (report.EventName != "EventCounters" || report.PayloadValue(0) is not IDictionary<string, object> outer)
                {
                    return;
                }

                var payload = outer.TryGetValue("Payload", out var inner) && inner is IDictionary<string, object> fields ? fields : outer;
                if (!payload.TryGetValue("Name", out var name) || name as string != "alloc-rate" || !payload.TryGetValue("Increment", out var increment))
                {
                    return;
                }

                lock (_gate)
                {
                    _ticks.Add((report.TimeStamp.ToUniversalTime(), (long)Convert.ToDouble(increment, System.Globalization.CultureInfo.InvariantCulture)));
                }
            };
            source.Process();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or EndOfStreamException)
        {
            // The host went away or the session was stopped.
        }
    }

    public void Dispose()
    {
        try
        {
            _session.Stop();
        }
        catch (Exception ex) when (ex is IOException or ServerNotAvailableException or TimeoutException)
        {
        }

        _reader.Join(TimeSpan.FromSeconds(5));
        _session.Dispose();
    }
}
