using Npgsql;

namespace ComplaintWorkflows.TestSupport;

/// <summary>
/// Throwaway databases on the PostgreSQL server the tests are given (./test.sh starts one on loopback and sets
/// <see cref="Variable"/>): each test or fixture gets an empty database of its own, so nothing is shared or cleaned up.
/// </summary>
public static class TestPostgres
{
    /// <summary>The connection string of the test server (its maintenance database).</summary>
    public const string Variable = "COMPLAINTWORKFLOWS_TEST_POSTGRES";

    /// <summary>The server's connection string; without one the PostgreSQL tests fail, saying how to get it.</summary>
    public static string Server => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } server
        ? server
        : throw new InvalidOperationException($"The PostgreSQL tests need a server: run ./test.sh (which starts one), or set {Variable} to a connection string.");

    /// <summary>Creates an empty UTF-8 database named <paramref name="prefix"/>_&lt;guid&gt; and answers its connection string.</summary>
    public static string NewDatabase(string prefix = "cw")
    {
        var server = Server;
        var name = DatabaseName(prefix);
        using (var connection = new NpgsqlConnection(server))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = CreateStatement(name);
            command.ExecuteNonQuery();
        }

        return ConnectionString(server, name);
    }

    /// <inheritdoc cref="NewDatabase"/>
    public static async Task<string> NewDatabaseAsync(string prefix = "cw", CancellationToken cancellationToken = default)
    {
        var server = Server;
        var name = DatabaseName(prefix);
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = CreateStatement(name);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return ConnectionString(server, name);
    }

    /// <summary>The connection string of a database on the test server (e.g. to open a second host on the same database).</summary>
    public static string ConnectionString(string server, string database) => new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;

    private static string DatabaseName(string prefix) => $"{prefix}_{Guid.NewGuid():N}";

    private static string CreateStatement(string name) => $"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'";
}
