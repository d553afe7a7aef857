using System.Collections.Concurrent;
using System.Text.Json;
using ComplaintWorkflows.Activities.Operations;

namespace ComplaintWorkflows.WorkflowHost.Operations;

/// <summary>
/// The schema migrations this host applied at start-up, one audit entry each (<see cref="AuditActions.SchemaMigrate"/>,
/// actor <c>system</c>, target <c>schema/migration</c>). The identity schema is migrated before the domain schema holds
/// the audit table, so what is applied is noted here first and written once the table is there (after the domain's
/// migrations, and again after the engine's). A host starting on an up-to-date database writes nothing.
/// </summary>
public sealed class SchemaMigrationAudit(AuditLog audit)
{
    private readonly ConcurrentQueue<(string Schema, string Migration)> _applied = new();

    /// <summary>Notes the migrations just applied to one schema (<c>identity</c>, <c>domain</c>, <c>engine</c>).</summary>
    public void Applied(string schema, IEnumerable<string> migrations)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        foreach (var migration in migrations)
        {
            _applied.Enqueue((schema, migration));
        }
    }

    /// <summary>Writes an entry for each migration noted and not yet written.</summary>
    public async Task RecordAsync(CancellationToken cancellationToken = default)
    {
        while (_applied.TryDequeue(out var applied))
        {
            await audit.RecordAsync("system", AuditActions.SchemaMigrate, $"{applied.Schema}/{applied.Migration}", 0,
                JsonSerializer.Serialize(new { schema = applied.Schema, migration = applied.Migration }), cancellationToken).ConfigureAwait(false);
        }
    }
}
