using System.Data.Common;
using System.Globalization;
using ComplaintWorkflows.Activities.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Complaints;

/// <summary>A named counter (one row per prefix and day), incremented atomically in the database so hosts sharing it never hand out one number twice.</summary>
public sealed class Counter
{
    public required string Name { get; set; }

    public long Value { get; set; }
}

internal sealed class CounterConfiguration : IEntityTypeConfiguration<Counter>
{
    public void Configure(EntityTypeBuilder<Counter> builder)
    {
        builder.ToTable("cw_counter");
        builder.HasKey(c => c.Name);
        builder.Property(c => c.Name).HasMaxLength(64);
    }
}

/// <summary>Hands out tracking numbers such as <c>TS20261123000042</c>: prefix, local date, a per-day sequence.</summary>
public static class TrackingNumbers
{
    public static async Task<string> NextAsync(DomainDbContext db, string prefix, DateOnly day, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var name = CounterName(prefix, day);
        var value = await IncrementAsync(db, name, cancellationToken).ConfigureAwait(false);
        return Format(name, value);
    }

    /// <summary>The counter's name for a prefix and day, and a tracking number made of it and a sequence value.</summary>
    public static string CounterName(string prefix, DateOnly day) => prefix + day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static string Format(string counterName, long value) => counterName + value.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>Increments (creating at 1) and returns the counter; one statement, atomic on SQLite and PostgreSQL.</summary>
    public static Task<long> IncrementAsync(DomainDbContext db, string name, CancellationToken cancellationToken = default)
        => IncrementAsync(db, name, 1, cancellationToken);

    /// <summary>Adds <paramref name="by"/> to the counter (creating it at that value) and returns the new value.</summary>
    public static async Task<long> IncrementAsync(DomainDbContext db, string name, int by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await using var command = connection.CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            command.CommandText = "INSERT INTO cw_counter (\"Name\", \"Value\") VALUES (@name, @by) ON CONFLICT (\"Name\") DO UPDATE SET \"Value\" = cw_counter.\"Value\" + @by RETURNING \"Value\"";
            AddParameter(command, "@name", name);
            AddParameter(command, "@by", (long)by);
            var result = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return Convert.ToInt64(result, CultureInfo.InvariantCulture);
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync().ConfigureAwait(false);
            }
        }
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}

/// <summary>
/// Hands out complaint tracking numbers from blocks of <see cref="ComplaintOptions.TrackingNumberBlock"/> reserved in
/// the database counter, one write per block instead of one per complaint. Numbers stay unique across hosts sharing the
/// database (each reserves its own blocks); the rest of a block is skipped when the host stops or the day ends, and
/// with several hosts the numbers of a day are not handed out in time order. A block of one gives every number in order
/// without gaps, at one write per complaint.
/// </summary>
public sealed class TrackingNumberAllocator(IDbContextFactory<DomainDbContext> contexts, IOptions<ComplaintOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _reserving = new(1, 1);
    private readonly Lock _gate = new();

    /// <summary>Per counter (prefix and day): the next number of this host's block and the block's last.</summary>
    private readonly Dictionary<string, (long Next, long Last)> _blocks = new(StringComparer.Ordinal);

    public async Task<string> NextAsync(string prefix, DateOnly day, CancellationToken cancellationToken = default)
    {
        var name = TrackingNumbers.CounterName(prefix, day);
        if (TryTake(name) is { } number)
        {
            return number;
        }

        await _reserving.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another caller may have reserved a block meanwhile.
            if (TryTake(name) is { } reserved)
            {
                return reserved;
            }

            var size = Math.Max(1, options.Value.TrackingNumberBlock);
            await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var last = await TrackingNumbers.IncrementAsync(db, name, size, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                // Blocks of earlier days are of no more use.
                foreach (var old in _blocks.Keys.Where(k => k != name && k.StartsWith(prefix, StringComparison.Ordinal) && k.Length == name.Length).ToList())
                {
                    _blocks.Remove(old);
                }

                _blocks[name] = (last - size + 2, last);
            }

            return TrackingNumbers.Format(name, last - size + 1);
        }
        finally
        {
            _reserving.Release();
        }
    }

    public void Dispose() => _reserving.Dispose();

    private string? TryTake(string name)
    {
        lock (_gate)
        {
            if (_blocks.TryGetValue(name, out var block) && block.Next <= block.Last)
            {
                _blocks[name] = (block.Next + 1, block.Last);
                return TrackingNumbers.Format(name, block.Next);
            }

            return null;
        }
    }
}
