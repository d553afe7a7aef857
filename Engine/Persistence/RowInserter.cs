using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
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
/// <remarks>
/// On SQLite each row is written by a statement kept prepared on its connection (one per table and set of columns),
/// so a connection that stays open (the group commit's writer) compiles each statement once rather than at every
/// step: SQLite compiles each statement of a command again at each execution of a new command, and that was most of
/// the database's own time in writing a step. A connection that is closed and opened again prepares them again.
/// Other databases get the rows as one command of several statements (one round trip).
/// </remarks>
public sealed class RowInserter
{
    private readonly ConcurrentDictionary<(IModel Model, Type Type), Table> _tables = new();

    /// <summary>The statements prepared on each SQLite connection, by their SQL (a connection is used by one caller at a time).</summary>
    private readonly ConditionalWeakTable<SqliteConnection, Dictionary<string, SqliteCommand>> _prepared = [];

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

        var (connection, onTransaction) = await ConnectionAsync(db, transaction, cancellationToken).ConfigureAwait(false);
        if (connection is SqliteConnection sqlite)
        {
            foreach (var row in rows)
            {
                var table = TableOf(db, row.GetType());
                var skipped = table.SkippedColumns(row);
                var prepared = Prepared(sqlite, onTransaction, table.InsertSql(skipped));
                AddValues(prepared, table, row, skipped);
                await prepared.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        var command = Command(connection, onTransaction);
        await using (command.ConfigureAwait(false))
        {
            var sql = new StringBuilder();
            foreach (var row in rows)
            {
                var table = TableOf(db, row.GetType());
                var skipped = table.SkippedColumns(row);
                sql.Append(table.InsertStatement(skipped, command.Parameters.Count)).Append('\n');
                AddValues(command, table, row, skipped);
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
        var properties = new PropertyEntry[table.Columns.Length];
        var modified = 0UL;
        for (var i = 0; i < table.Columns.Length; i++)
        {
            properties[i] = entry.Property(table.Columns[i].Property);
            modified |= properties[i].IsModified ? 1UL << i : 0;
        }

        var (connection, onTransaction) = await ConnectionAsync(db, transaction, cancellationToken).ConfigureAwait(false);
        var sql = table.UpdateSql(modified);
        var command = connection is SqliteConnection sqlite ? Prepared(sqlite, onTransaction, sql) : Command(connection, onTransaction, sql);
        try
        {
            // The parameters in the order of the statement: the changed columns, then the key and concurrency tokens.
            for (var i = 0; i < table.Columns.Length; i++)
            {
                if ((modified & (1UL << i)) != 0)
                {
                    AddParameter(command, table.Columns[i], properties[i].CurrentValue);
                }
            }

            for (var i = 0; i < table.Columns.Length; i++)
            {
                if (table.Columns[i].Identifies)
                {
                    AddParameter(command, table.Columns[i], properties[i].OriginalValue);
                }
            }

            var updated = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            if (updated != 1)
            {
                throw new DbUpdateConcurrencyException(
                    $"{entity.GetType().Name} {string.Join(", ", entry.Metadata.FindPrimaryKey()!.Properties.Select(p => entry.Property(p).OriginalValue))} was changed or deleted since it was read; read it again and retry.");
            }
        }
        finally
        {
            if (connection is not SqliteConnection)
            {
                await command.DisposeAsync().ConfigureAwait(false);
            }
        }

        entry.State = EntityState.Unchanged;
        return true;
    }

    private Table TableOf(DbContext db, Type type) => _tables.GetOrAdd((db.Model, type), static key => Table.Of(key.Model, key.Type));

    /// <summary>The connection and transaction to write on: <paramref name="transaction"/>'s, else the context's (opened when closed).</summary>
    private static async Task<(DbConnection Connection, DbTransaction? Transaction)> ConnectionAsync(DbContext db, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        if (transaction is not null)
        {
            var on = transaction.Connection ?? throw new InvalidOperationException("The transaction has ended.");
            if (db.Database.GetDbConnection().GetType() != on.GetType())
            {
                throw new InvalidOperationException($"{db.GetType().Name} is on {db.Database.ProviderName}, but the transaction is on a {on.GetType().Name}: the rows can only be written on a connection of the context's own provider.");
            }

            return (on, transaction);
        }

        if (db.Database.GetDbConnection().State != System.Data.ConnectionState.Open)
        {
            await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }

        return (db.Database.GetDbConnection(), db.Database.CurrentTransaction?.GetDbTransaction());
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql = "")
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    /// <summary>The connection's command for <paramref name="sql"/>, prepared at its first use, on the transaction and without parameters.</summary>
    private SqliteCommand Prepared(SqliteConnection connection, DbTransaction? transaction, string sql)
    {
        var statements = _prepared.GetValue(connection, static _ => new Dictionary<string, SqliteCommand>(StringComparer.Ordinal));
        if (!statements.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            statements.Add(sql, command);
        }

        command.Transaction = (SqliteTransaction?)transaction;
        command.Parameters.Clear();
        return command;
    }

    /// <summary>The row's values of the columns not skipped, as the next parameters, in column order.</summary>
    private static void AddValues(DbCommand command, Table table, object row, ulong skipped)
    {
        for (var i = 0; i < table.Columns.Length; i++)
        {
            if ((skipped & (1UL << i)) == 0)
            {
                var column = table.Columns[i];
                AddParameter(command, column, column.Value(row));
            }
        }
    }

    private static string Parameter(int index) => "@p" + index.ToString(CultureInfo.InvariantCulture);

    private static void AddParameter(DbCommand command, Column column, object? value)
        => command.Parameters.Add(column.Mapping.CreateParameter(command, Parameter(command.Parameters.Count), value, column.Property.IsNullable));

    private sealed record Column(IProperty Property, string Name, RelationalTypeMapping Mapping, Func<object, object?> Value, bool StoreGenerated, object? ClrDefault)
    {
        /// <summary>A key or concurrency token: what an update's <c>WHERE</c> matches.</summary>
        public bool Identifies { get; } = Property.IsPrimaryKey() || Property.IsConcurrencyToken;
    }

    /// <summary>One entity type's quoted table name and columns.</summary>
    private sealed record Table(string Name, Column[] Columns)
    {
        private readonly ConcurrentDictionary<ulong, string> _inserts = new();
        private readonly ConcurrentDictionary<ulong, string> _updates = new();

        /// <summary>The store-generated columns a row leaves to the database (at their CLR default), one bit per column.</summary>
        public ulong SkippedColumns(object row)
        {
            var skipped = 0UL;
            for (var i = 0; i < Columns.Length; i++)
            {
                var column = Columns[i];
                if (column.StoreGenerated && column.Value(row) is var value && (value is null || value.Equals(column.ClrDefault)))
                {
                    skipped |= 1UL << i;
                }
            }

            return skipped;
        }

        /// <summary>The <c>INSERT</c> of the columns not skipped, with parameters @p0, @p1, ... in column order (kept per set of columns).</summary>
        public string InsertSql(ulong skipped) => _inserts.GetOrAdd(skipped, static (mask, table) => table.InsertStatement(mask, 0), this);

        /// <summary>The <c>INSERT</c> of the columns not skipped, its parameters numbered from <paramref name="firstParameter"/> in column order.</summary>
        public string InsertStatement(ulong skipped, int firstParameter)
        {
            var included = Columns.Where((_, i) => (skipped & (1UL << i)) == 0).ToList();
            return $"INSERT INTO {Name} ({string.Join(", ", included.Select(c => c.Name))}) VALUES ({string.Join(", ", included.Select((_, i) => Parameter(firstParameter + i)))});";
        }

        /// <summary>The <c>UPDATE</c> of the modified columns where the key and concurrency tokens match, parameters in that order.</summary>
        public string UpdateSql(ulong modified) => _updates.GetOrAdd(modified, static (mask, table) =>
        {
            var set = table.Columns.Where((_, i) => (mask & (1UL << i)) != 0).Select(c => c.Name).ToList();
            var where = table.Columns.Where(c => c.Identifies).Select(c => c.Name).ToList();
            return $"UPDATE {table.Name} SET {string.Join(", ", set.Select((c, i) => $"{c} = {Parameter(i)}"))} WHERE {string.Join(" AND ", where.Select((c, i) => $"{c} = {Parameter(set.Count + i)}"))};";
        }, this);

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
            Column[] all = [.. columns];
            return all.Length <= 64 ? new Table(name, all) : throw new InvalidOperationException($"{type.Name} has {all.Length} columns; rows of at most 64 are written without SaveChanges.");
        }

        private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
