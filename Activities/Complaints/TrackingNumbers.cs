using System.Data.Common;
using System.Globalization;
using ComplaintWorkflows.Activities.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

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
        var name = prefix + day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var value = await IncrementAsync(db, name, cancellationToken).ConfigureAwait(false);
        return name + value.ToString("D6", CultureInfo.InvariantCulture);
    }

    /// <summary>Increments (creating at 1) and returns the counter; one statement, atomic on SQLite and PostgreSQL.</summary>
    public static async Task<long> IncrementAsync(DomainDbContext db, string name, CancellationToken cancellationToken = default)
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
            command.CommandText = "INSERT INTO cw_counter (\"Name\", \"Value\") VALUES (@name, 1) ON CONFLICT (\"Name\") DO UPDATE SET \"Value\" = cw_counter.\"Value\" + 1 RETURNING \"Value\"";
            AddParameter(command, "@name", name);
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
