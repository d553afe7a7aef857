using ComplaintWorkflows.Activities.Complaints;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplaintWorkflows.Activities.Organisation;

/// <summary>
/// How many open complaints (status not Refused, Closed, Terminated, Surveyed or Archived) a handler has: the
/// workload dispatch balances. Kept by database triggers on <c>cw_complaint</c> in the transaction that changes
/// a complaint's handler or status, whoever writes it, so that reading a handler's load is one row rather than
/// a count over all their complaints.
/// </summary>
public sealed class HandlerLoad
{
    public required string UserName { get; set; }

    public int OpenComplaints { get; set; }
}

internal sealed class HandlerLoadConfiguration : IEntityTypeConfiguration<HandlerLoad>
{
    public void Configure(EntityTypeBuilder<HandlerLoad> builder)
    {
        builder.ToTable("cw_handler_load");
        builder.HasKey(l => l.UserName);
        builder.Property(l => l.UserName).HasMaxLength(128);
    }
}

/// <summary>The triggers that keep <see cref="HandlerLoad"/> (created by the migrations and by the in-memory test database).</summary>
public static class HandlerLoadTriggers
{
    /// <summary>The statuses in which a complaint no longer counts towards its handler's load.</summary>
    public static readonly IReadOnlyList<ComplaintStatus> Finished =
        [ComplaintStatus.Refused, ComplaintStatus.Closed, ComplaintStatus.Terminated, ComplaintStatus.Surveyed, ComplaintStatus.Archived];

    private static string FinishedList => string.Join(", ", Finished.Select(s => $"'{s}'"));

    /// <summary>SQLite: counts the initial load, then one trigger per way a complaint starts or stops counting.</summary>
    public static string SqliteCreate => $"""
        INSERT INTO cw_handler_load ("UserName", "OpenComplaints")
            SELECT "HandlerUserName", COUNT(*) FROM cw_complaint
            WHERE "HandlerUserName" IS NOT NULL AND "Status" NOT IN ({FinishedList}) GROUP BY "HandlerUserName";
        CREATE TRIGGER cw_handler_load_insert AFTER INSERT ON cw_complaint
            WHEN NEW."HandlerUserName" IS NOT NULL AND NEW."Status" NOT IN ({FinishedList})
        BEGIN
            INSERT INTO cw_handler_load ("UserName", "OpenComplaints") VALUES (NEW."HandlerUserName", 1)
                ON CONFLICT ("UserName") DO UPDATE SET "OpenComplaints" = "OpenComplaints" + 1;
        END;
        CREATE TRIGGER cw_handler_load_update_old AFTER UPDATE OF "Status", "HandlerUserName" ON cw_complaint
            WHEN OLD."HandlerUserName" IS NOT NULL AND OLD."Status" NOT IN ({FinishedList})
                AND (NEW."HandlerUserName" IS NOT OLD."HandlerUserName" OR NEW."Status" IN ({FinishedList}))
        BEGIN
            UPDATE cw_handler_load SET "OpenComplaints" = "OpenComplaints" - 1 WHERE "UserName" = OLD."HandlerUserName";
        END;
        CREATE TRIGGER cw_handler_load_update_new AFTER UPDATE OF "Status", "HandlerUserName" ON cw_complaint
            WHEN NEW."HandlerUserName" IS NOT NULL AND NEW."Status" NOT IN ({FinishedList})
                AND (NEW."HandlerUserName" IS NOT OLD."HandlerUserName" OR OLD."Status" IN ({FinishedList}))
        BEGIN
            INSERT INTO cw_handler_load ("UserName", "OpenComplaints") VALUES (NEW."HandlerUserName", 1)
                ON CONFLICT ("UserName") DO UPDATE SET "OpenComplaints" = "OpenComplaints" + 1;
        END;
        CREATE TRIGGER cw_handler_load_delete AFTER DELETE ON cw_complaint
            WHEN OLD."HandlerUserName" IS NOT NULL AND OLD."Status" NOT IN ({FinishedList})
        BEGIN
            UPDATE cw_handler_load SET "OpenComplaints" = "OpenComplaints" - 1 WHERE "UserName" = OLD."HandlerUserName";
        END;
        """;

    public const string SqliteDrop = """
        DROP TRIGGER IF EXISTS cw_handler_load_insert;
        DROP TRIGGER IF EXISTS cw_handler_load_update_old;
        DROP TRIGGER IF EXISTS cw_handler_load_update_new;
        DROP TRIGGER IF EXISTS cw_handler_load_delete;
        """;

    /// <summary>PostgreSQL: counts the initial load, then one row trigger for inserts, deletes and changes of handler or status.</summary>
    public static string PostgresCreate => $"""
        INSERT INTO cw_handler_load ("UserName", "OpenComplaints")
            SELECT "HandlerUserName", COUNT(*) FROM cw_complaint
            WHERE "HandlerUserName" IS NOT NULL AND "Status" NOT IN ({FinishedList}) GROUP BY "HandlerUserName";
        CREATE FUNCTION cw_handler_load_track() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP <> 'INSERT' THEN
                IF OLD."HandlerUserName" IS NOT NULL AND OLD."Status" NOT IN ({FinishedList})
                    AND (TG_OP = 'DELETE' OR NEW."HandlerUserName" IS DISTINCT FROM OLD."HandlerUserName" OR NEW."Status" IN ({FinishedList})) THEN
                    UPDATE cw_handler_load SET "OpenComplaints" = "OpenComplaints" - 1 WHERE "UserName" = OLD."HandlerUserName";
                END IF;
            END IF;
            IF TG_OP <> 'DELETE' THEN
                IF NEW."HandlerUserName" IS NOT NULL AND NEW."Status" NOT IN ({FinishedList})
                    AND (TG_OP = 'INSERT' OR NEW."HandlerUserName" IS DISTINCT FROM OLD."HandlerUserName" OR OLD."Status" IN ({FinishedList})) THEN
                    INSERT INTO cw_handler_load ("UserName", "OpenComplaints") VALUES (NEW."HandlerUserName", 1)
                        ON CONFLICT ("UserName") DO UPDATE SET "OpenComplaints" = cw_handler_load."OpenComplaints" + 1;
                END IF;
            END IF;
            RETURN NULL;
        END
        $$;
        CREATE TRIGGER cw_handler_load_track AFTER INSERT OR DELETE OR UPDATE OF "Status", "HandlerUserName" ON cw_complaint
            FOR EACH ROW EXECUTE FUNCTION cw_handler_load_track();
        """;

    public const string PostgresDrop = """
        DROP TRIGGER IF EXISTS cw_handler_load_track ON cw_complaint;
        DROP FUNCTION IF EXISTS cw_handler_load_track();
        """;
}
