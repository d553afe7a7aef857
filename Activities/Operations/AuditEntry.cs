using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplaintWorkflows.Activities.Operations;

/// <summary>
/// One administrator's action (a deployment, an instance migration, a user or role change, a retention run, a consumer's
/// data exported or erased), kept in <c>cw_audit</c>. Never holds personal data in clear: a phone number is masked.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>Who did it: the signed-in user's name, or <c>system</c> for the scheduled retention run.</summary>
    public required string Actor { get; set; }

    /// <summary>What was done, a stable code (<see cref="AuditActions"/>).</summary>
    public required string Action { get; set; }

    /// <summary>What it was done to (a user name, a process key, a masked phone number), when there is one thing.</summary>
    public string? Target { get; set; }

    /// <summary>The HTTP status the action was answered with (2xx: done), or 0 for actions not made over HTTP.</summary>
    public int Status { get; set; }

    /// <summary>Details as JSON (the request's fields with passwords left out, a run's counts).</summary>
    public string? Details { get; set; }

    /// <summary>The host that recorded it (<c>Workflows:NodeName</c>).</summary>
    public string? Node { get; set; }
}

/// <summary>The action codes of the audit log.</summary>
public static class AuditActions
{
    public const string Deploy = "deploy";
    public const string DeleteDeployment = "deployment.delete";
    public const string Migrate = "migrate";
    public const string UserCreate = "user.create";
    public const string UserRoles = "user.roles";
    public const string UserPassword = "user.password";
    public const string UserLock = "user.lock";
    public const string UserUnlock = "user.unlock";
    public const string AddressUnlock = "address.unlock";
    public const string StaffAdd = "staff.add";
    public const string StaffUpdate = "staff.update";
    public const string RetentionRun = "retention.run";
    public const string ConsumerExport = "consumer.export";
    public const string ConsumerErase = "consumer.erase";

    /// <summary>A schema migration applied at start-up (actor <c>system</c>, target <c>schema/migration</c>).</summary>
    public const string SchemaMigrate = "schema.migrate";
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("cw_audit");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Actor).HasMaxLength(256);
        builder.Property(a => a.Action).HasMaxLength(64);
        builder.Property(a => a.Target).HasMaxLength(512);
        builder.Property(a => a.Node).HasMaxLength(64);
        builder.HasIndex(a => a.At);
        builder.HasIndex(a => new { a.Action, a.At });
        builder.HasIndex(a => new { a.Actor, a.At });
    }
}
