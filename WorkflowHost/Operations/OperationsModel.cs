using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.WorkflowHost.Operations;

/// <summary>One row per host: when it started and when it last said it was alive (every <see cref="OperationsOptions.HeartbeatInterval"/>).</summary>
public sealed class HostHeartbeat
{
    public required string HostName { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset LastSeenAt { get; set; }

    public int ProcessId { get; set; }

    public string? Version { get; set; }
}

/// <summary>
/// One figure at the start of one sampling interval (<see cref="OperationsOptions.SampleInterval"/>). The key is (interval,
/// figure): the figures are the database's (the same on every host), so the first host to write an interval writes it and
/// the others' inserts are refused; no lock is needed and a host that stops leaves the sampling to the others.
/// </summary>
public sealed class MetricSample
{
    /// <summary>The interval's start, Unix milliseconds.</summary>
    public long At { get; set; }

    public required string Name { get; set; }

    public double Value { get; set; }

    public required string HostName { get; set; }
}

/// <summary>The operations tables in the host's (sign-in) context: <c>ops_host_heartbeat</c>, <c>ops_sample</c>.</summary>
internal static class OperationsModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<HostHeartbeat>(e =>
        {
            e.ToTable("ops_host_heartbeat");
            e.HasKey(h => h.HostName);
            e.Property(h => h.HostName).HasMaxLength(200);
            e.Property(h => h.Version).HasMaxLength(100);
        });
        builder.Entity<MetricSample>(e =>
        {
            e.ToTable("ops_sample");
            e.HasKey(s => new { s.At, s.Name });
            e.Property(s => s.Name).HasMaxLength(100);
            e.Property(s => s.HostName).HasMaxLength(200);
            e.HasIndex(s => s.Name);
        });
    }
}
