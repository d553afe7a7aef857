using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace ComplaintWorkflows.Engine.Persistence;

/// <summary>
/// Inserts the rows a step writes (instance, tasks, waits, jobs, journal, outbox) as one command on the
/// context's connection and transaction. These rows are only ever inserted in a step, never read back or
/// changed in the same context, so they need none of what <c>SaveChanges</c> does for them (change tracking,
/// command batching and ordering, reading back generated values). Tables, columns and value conversions come
/// from the EF model, so the statements follow the same mapping and migrations as the rest of the store.
/// </summary>
internal sealed class RowInserter
{
    private readonly ConcurrentDictionary<(IModel Model, Type Type), Table> _tables = new();

    /// <summary>Inserts the rows in order; a constraint violation surfaces as the provider's <see cref="DbException"/>.</summary>
    public async Task InsertAsync(WorkflowDbContext db, IReadOnlyList<object> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var connection = db.Database.GetDbConnection();
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            var sql = new StringBuilder();
            var n = 0;
            foreach (var row in rows)
            {
                var table = _tables.GetOrAdd((db.Model, row.GetType()), static key => Table.Of(key.Model, key.Type));
                sql.Append(table.Prefix);
                for (var i = 0; i < table.Columns.Length; i++)
                {
                    var name = "@p" + n.ToString(CultureInfo.InvariantCulture);
                    n++;
                    sql.Append(i == 0 ? "" : ", ").Append(name);
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = name;
                    parameter.Value = table.Columns[i](row) ?? DBNull.Value;
                    command.Parameters.Add(parameter);
                }

                sql.Append(");\n");
            }

            command.CommandText = sql.ToString();
            if (connection.State != System.Data.ConnectionState.Open)
            {
                await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            }

            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One row type's <c>INSERT INTO table (columns) VALUES (</c> and the provider value of each column.</summary>
    private sealed record Table(string Prefix, Func<object, object?>[] Columns)
    {
        public static Table Of(IModel model, Type type)
        {
            var entity = model.FindEntityType(type) ?? throw new InvalidOperationException($"{type.Name} is not mapped by the workflow store's model.");
            var tableName = entity.GetTableName()!;
            var table = StoreObjectIdentifier.Table(tableName, entity.GetSchema());
            var properties = entity.GetProperties().ToList();
            var columns = properties.Select(p => Quote(p.GetColumnName(table)!));
            var prefix = $"INSERT INTO {Quote(tableName)} ({string.Join(", ", columns)}) VALUES (";
            return new Table(prefix, [.. properties.Select(ValueOf)]);
        }

        private static Func<object, object?> ValueOf(IProperty property)
        {
            var getter = property.GetGetter();
            var converter = property.GetTypeMapping().Converter;
            return converter is null
                ? getter.GetClrValueUsingContainingEntity
                : row => getter.GetClrValueUsingContainingEntity(row) is { } value ? converter.ConvertToProvider(value) : null;
        }

        private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
