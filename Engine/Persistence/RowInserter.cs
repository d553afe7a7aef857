using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace ComplaintWorkflows.Engine.Persistence;

/// <summary>
/// Writes rows on a context's connection and transaction without <c>SaveChanges</c>: inserts as one command, and the
/// changed columns of one tracked entity as one <c>UPDATE</c> checked by its concurrency tokens. For the rows written
/// on every step or every complaint, which need none of what <c>SaveChanges</c> does for them (command batching and
/// ordering, reading back generated values, fixing up a graph), and whose SQL would otherwise be generated again each
/// time. Tables, columns and value conversions come from the EF model, so the statements follow the same mapping and
/// migrations as the rest of the code. A constraint violation surfaces as the provider's <see cref="DbException"/>.
/// </summary>
public sealed class RowInserter
{
    private readonly ConcurrentDictionary<(IModel Model, Type Type), Table> _tables = new();

    /// <summary>Inserts the rows in order. A store-generated column left at its CLR default (an identity key) is left to the database.</summary>
    public Task InsertAsync(DbContext db, IReadOnlyList<object> rows, CancellationToken cancellationToken = default)
        => InsertAsync(db, null, rows, cancellationToken);

    /// <summary>
    /// Inserts the rows in order on <paramref name="transaction"/> (another context's, on the same database), else on
    /// the context's own connection and transaction; the context gives the mapping.
    /// </summary>
    public async Task InsertAsync(DbContext db, DbTransaction? transaction, IReadOnlyList<object> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }

        var command = await CreateCommandAsync(db, transaction, cancellationToken).ConfigureAwait(false);
        await using (command.ConfigureAwait(false))
        {
            var sql = new StringBuilder();
            foreach (var row in rows)
            {
                var table = TableOf(db, row.GetType());
                var columns = new StringBuilder();
                var values = new StringBuilder();
                foreach (var column in table.Columns)
                {
                    var value = column.Value(row);
                    if (column.StoreGenerated && (value is null || value.Equals(column.ClrDefault)))
                    {
                        continue;
                    }

                    columns.Append(columns.Length == 0 ? "" : ", ").Append(column.Name);
                    values.Append(values.Length == 0 ? "" : ", ").Append(AddParameter(command, column, value));
                }

                sql.Append("INSERT INTO ").Append(table.Name).Append(" (").Append(columns).Append(") VALUES (").Append(values).Append(");\n");
            }

            command.CommandText = sql.ToString();
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes the changed columns of a tracked entity, where its key and concurrency tokens still have the values it
    /// was read with; then the entity counts as saved. Answers false when nothing had changed.
    /// </summary>
    /// <exception cref="DbUpdateConcurrencyException">The row was changed or deleted since it was read.</exception>
    public Task<bool> UpdateAsync(DbContext db, object entity, CancellationToken cancellationToken = default)
        => UpdateAsync(db, null, entity, cancellationToken);

    /// <summary>As <see cref="UpdateAsync(DbContext, object, CancellationToken)"/>, on <paramref name="transaction"/> when given.</summary>
    /// <exception cref="DbUpdateConcurrencyException">The row was changed or deleted since it was read.</exception>
    public async Task<bool> UpdateAsync(DbContext db, DbTransaction? transaction, object entity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(entity);
        var entry = db.Entry(entity);
        if (entry.State != EntityState.Modified)
        {
            return entry.State == EntityState.Unchanged ? false : throw new InvalidOperationException($"{entity.GetType().Name} is {entry.State}, not a tracked entity read from the database.");
        }

        var table = TableOf(db, entity.GetType());
        var command = await CreateCommandAsync(db, transaction, cancellationToken).ConfigureAwait(false);
        await using (command.ConfigureAwait(false))
        {
            var set = new StringBuilder();
            var where = new StringBuilder();
            foreach (var column in table.Columns)
            {
                var property = entry.Property(column.Property);
                if (property.IsModified)
                {
                    set.Append(set.Length == 0 ? "" : ", ").Append(column.Name).Append(" = ").Append(AddParameter(command, column, property.CurrentValue));
                }

                if (column.Property.IsPrimaryKey() || column.Property.IsConcurrencyToken)
                {
                    where.Append(where.Length == 0 ? "" : " AND ").Append(column.Name).Append(" = ").Append(AddParameter(command, column, property.OriginalValue));
                }
            }

            command.CommandText = $"UPDATE {table.Name} SET {set} WHERE {where};";
            var updated = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            if (updated != 1)
            {
                throw new DbUpdateConcurrencyException(
                    $"{entity.GetType().Name} {string.Join(", ", entry.Metadata.FindPrimaryKey()!.Properties.Select(p => entry.Property(p).OriginalValue))} was changed or deleted since it was read; read it again and retry.");
            }
        }

        entry.State = EntityState.Unchanged;
        return true;
    }

    private Table TableOf(DbContext db, Type type) => _tables.GetOrAdd((db.Model, type), static key => Table.Of(key.Model, key.Type));

    private static async Task<DbCommand> CreateCommandAsync(DbContext db, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        if (transaction is not null)
        {
            var on = transaction.Connection ?? throw new InvalidOperationException("The transaction has ended.");
            if (db.Database.GetDbConnection().GetType() != on.GetType())
            {
                throw new InvalidOperationException($"{db.GetType().Name} is on {db.Database.ProviderName}, but the transaction is on a {on.GetType().Name}: the rows can only be written on a connection of the context's own provider.");
            }

            var onTransaction = on.CreateCommand();
            onTransaction.Transaction = transaction;
            return onTransaction;
        }

        if (db.Database.GetDbConnection().State != System.Data.ConnectionState.Open)
        {
            await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }

        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        return command;
    }

    private static string AddParameter(DbCommand command, Column column, object? value)
    {
        var name = "@p" + command.Parameters.Count.ToString(CultureInfo.InvariantCulture);
        command.Parameters.Add(column.Mapping.CreateParameter(command, name, value, column.Property.IsNullable));
        return name;
    }

    private sealed record Column(IProperty Property, string Name, RelationalTypeMapping Mapping, Func<object, object?> Value, bool StoreGenerated, object? ClrDefault);

    /// <summary>One entity type's quoted table name and columns.</summary>
    private sealed record Table(string Name, Column[] Columns)
    {
        public static Table Of(IModel model, Type type)
        {
            var entity = model.FindEntityType(type) ?? throw new InvalidOperationException($"{type.Name} is not mapped by the context's model.");
            var tableName = entity.GetTableName() ?? throw new InvalidOperationException($"{type.Name} is not mapped to a table.");
            var table = StoreObjectIdentifier.Table(tableName, entity.GetSchema());
            var columns = entity.GetProperties().Select(p =>
            {
                if (p.IsShadowProperty())
                {
                    throw new InvalidOperationException($"{type.Name}.{p.Name} is a shadow property: rows of {type.Name} are written with SaveChanges.");
                }

                var getter = p.GetGetter();
                var clrDefault = p.ClrType.IsValueType ? Activator.CreateInstance(p.ClrType) : null;
                return new Column(p, Quote(p.GetColumnName(table)!), p.GetRelationalTypeMapping(), getter.GetClrValueUsingContainingEntity,
                    p.ValueGenerated != ValueGenerated.Never, clrDefault);
            });
            var name = entity.GetSchema() is { } schema ? Quote(schema) + "." + Quote(tableName) : Quote(tableName);
            return new Table(name, [.. columns]);
        }

        private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
