using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace ComplaintWorkflows.Benchmarks;

/// <summary>
/// The bytes another .NET process allocates, from the runtime's allocation-tick events (one about every
/// 100 KB allocated, with the amount since the last one) over an EventPipe session. Each tick keeps its time
/// stamp, so a window's bytes are counted exactly by when they were allocated, not by when the events arrive.
/// </summary>
internal sealed class HostAllocations : IDisposable
{
    private readonly EventPipeSession _session;
    private readonly Thread _reader;
    private readonly Lock _gate = new();
    private readonly List<(DateTime At, long Bytes)> _ticks = [];

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
            var providers = new[] { new EventPipeProvider(ClrTraceEventParser.ProviderName, EventLevel.Verbose, (long)ClrTraceEventParser.Keywords.GC) };
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
            source.Clr.GCAllocationTick += tick =>
            {
                lock (_gate)
                {
                    _ticks.Add((tick.TimeStamp.ToUniversalTime(), tick.AllocationAmount64));
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
