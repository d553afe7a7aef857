using System.ComponentModel.DataAnnotations;
using System.Globalization;
using ComplaintWorkflows.Activities.Surveys;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace ComplaintWorkflows.Activities.Data;

/// <summary>The <c>Workflows:PersonalData</c> section: where the keys of the personal data at rest are.</summary>
public sealed class PersonalDataOptions
{
    public const string Section = "Workflows:PersonalData";

    /// <summary>
    /// The Data Protection key ring (and the lookup-hash key) that encrypt consumers' personal data in the database;
    /// empty: <c>personal-data-keys</c> in the data folder. Every host on one database must use the same one.
    /// </summary>
    public string? KeyRingFolder { get; set; }

    /// <summary>Rows encrypted per transaction by the start-up step that encrypts rows still in clear.</summary>
    [Range(1, 100_000)]
    public int MigrationBatchSize { get; set; } = 500;
}

/// <summary>
/// What runs at start after the domain migrations: checks that this host's key ring is the one the database was written
/// with, and encrypts the personal data of rows written in clear (before encryption, or by an older version).
/// </summary>
public static class PersonalDataMigration
{
    /// <summary>The <see cref="SharedSecret"/> holding the key ring's fingerprint (a hash of a constant: it reveals nothing of the key).</summary>
    public const string KeyCheckName = "personal-data-key-check";

    private const string KeyCheckText = "ComplaintWorkflows personal-data key check";

    /// <summary>
    /// Records the key ring's fingerprint in a new database; in one that has one, refuses a different key ring (a host
    /// with its own keys would write rows the others cannot read and miss every lookup by phone).
    /// </summary>
    /// <exception cref="InvalidOperationException">The database was written with another key ring.</exception>
    public static async Task CheckKeyRingAsync(IDbContextFactory<DomainDbContext> contexts, PersonalDataProtector protector, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contexts);
        ArgumentNullException.ThrowIfNull(protector);
        var fingerprint = protector.Hash(KeyCheckText);
        for (var attempt = 0; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            var stored = await db.Set<SharedSecret>().AsNoTracking().FirstOrDefaultAsync(s => s.Name == KeyCheckName, cancellationToken).ConfigureAwait(false);
            if (stored is not null)
            {
                if (stored.Value != fingerprint)
                {
                    throw new InvalidOperationException(
                        $"The personal data in this database was encrypted with another key ring than the one at {protector.Source}. "
                        + "Every host on one database must use the same key ring: set Workflows:PersonalData:KeyRingFolder to the shared folder "
                        + "(or copy the folder of the host that created the database).");
                }

                return;
            }

            db.Add(new SharedSecret { Name = KeyCheckName, Value = fingerprint });
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (DbUpdateException) when (attempt == 0)
            {
                // Another host recorded its fingerprint first: compare with it.
            }
        }
    }

    /// <summary>Encrypts every personal-data column still in clear, <paramref name="batchSize"/> rows per transaction; answers the rows changed.</summary>
    public static async Task<int> EncryptClearRowsAsync(IDbContextFactory<DomainDbContext> contexts, int batchSize = 500, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contexts);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        IModel model;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            model = db.Model;
        }

        var total = 0;
        foreach (var group in PersonalDataColumns.Encrypted(model).GroupBy(e => e.Entity))
        {
            var entity = model.FindEntityType(group.Key)!;
            var key = entity.FindPrimaryKey()!.Properties.Single();
            var lookups = entity.GetProperties()
                .Where(p => p.PropertyInfo?.GetCustomAttributes(typeof(LookupHashOfAttribute), false).Length > 0)
                .Select(p => p.Name).ToList();
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            var clear = string.Join(" OR ", group.Select(e => Quote(entity.FindProperty(e.Property)!.GetColumnName(table)!))
                .Select(c => $"({c} IS NOT NULL AND {c} NOT LIKE '{PersonalDataProtector.ProtectedPrefix}%')"));
            var sql = $"SELECT {Quote(key.GetColumnName(table)!)} FROM {Quote(table.Name)} WHERE {clear} LIMIT {batchSize.ToString(CultureInfo.InvariantCulture)}";
            while (true)
            {
                await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
                var keys = await KeysAsync(db, sql, key.ClrType, cancellationToken).ConfigureAwait(false);
                if (keys.Count == 0)
                {
                    break;
                }

                foreach (var id in keys)
                {
                    if (await db.FindAsync(group.Key, [id], cancellationToken).ConfigureAwait(false) is { } row)
                    {
                        var entry = db.Entry(row);
                        foreach (var (_, property) in group)
                        {
                            entry.Property(property).IsModified = entry.Property(property).CurrentValue is not null;
                        }

                        foreach (var lookup in lookups)
                        {
                            entry.Property(lookup).IsModified = entry.Property(lookup).CurrentValue is not null;
                        }
                    }
                }

                total += await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                if (keys.Count < batchSize)
                {
                    break;
                }
            }
        }

        return total;
    }

    private static async Task<List<object>> KeysAsync(DomainDbContext db, string sql, Type keyType, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var keys = new List<object>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            keys.Add(Convert.ChangeType(reader.GetValue(0), keyType, CultureInfo.InvariantCulture));
        }

        return keys;
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
