using ComplaintWorkflows.Activities.Data;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Activities.Complaints;

/// <summary>
/// Staff's free-text search of complaints (the respondent's name and the facts, neither of them encrypted; the
/// consumer's name, number, address and e-mail are encrypted and never indexed). Words of
/// <see cref="MinIndexedLength"/> characters or more are looked up in a trigram index (SQLite: the FTS5 table
/// <c>cw_complaint_text</c> with the trigram tokenizer, kept by triggers; PostgreSQL: <c>pg_trgm</c> GIN indexes on
/// the two columns), shorter ones by a scan; both find what a case-sensitive substring search of the two columns finds.
/// </summary>
public static class ComplaintTextSearch
{
    /// <summary>A trigram index answers for words of three characters or more.</summary>
    public const int MinIndexedLength = 3;

    public const string SqliteTable = "cw_complaint_text";

    /// <summary>The FTS5 table, its triggers and its first filling (from the migration <c>ComplaintSearchIndexes</c>).</summary>
    public const string SqliteCreate = """
        CREATE VIRTUAL TABLE cw_complaint_text USING fts5("ComplaintId" UNINDEXED, "RespondentName", "Facts", tokenize = 'trigram case_sensitive 1');
        INSERT INTO cw_complaint_text ("ComplaintId", "RespondentName", "Facts") SELECT "Id", "RespondentName", "Facts" FROM cw_complaint;
        CREATE TRIGGER cw_complaint_text_insert AFTER INSERT ON cw_complaint
        BEGIN
            INSERT INTO cw_complaint_text ("ComplaintId", "RespondentName", "Facts") VALUES (new."Id", new."RespondentName", new."Facts");
        END;
        CREATE TRIGGER cw_complaint_text_update AFTER UPDATE OF "RespondentName", "Facts" ON cw_complaint
        BEGIN
            DELETE FROM cw_complaint_text WHERE "ComplaintId" = old."Id";
            INSERT INTO cw_complaint_text ("ComplaintId", "RespondentName", "Facts") VALUES (new."Id", new."RespondentName", new."Facts");
        END;
        CREATE TRIGGER cw_complaint_text_delete AFTER DELETE ON cw_complaint
        BEGIN
            DELETE FROM cw_complaint_text WHERE "ComplaintId" = old."Id";
        END;
        """;

    public const string SqliteDrop = """
        DROP TRIGGER IF EXISTS cw_complaint_text_insert;
        DROP TRIGGER IF EXISTS cw_complaint_text_update;
        DROP TRIGGER IF EXISTS cw_complaint_text_delete;
        DROP TABLE IF EXISTS cw_complaint_text;
        """;

    /// <summary>pg_trgm (a trusted extension: the database's owner may create it) and its GIN indexes.</summary>
    public const string PostgresCreate = """
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
        CREATE INDEX "IX_cw_complaint_RespondentName_trgm" ON cw_complaint USING gin ("RespondentName" gin_trgm_ops);
        CREATE INDEX "IX_cw_complaint_Facts_trgm" ON cw_complaint USING gin ("Facts" gin_trgm_ops);
        """;

    public const string PostgresDrop = """
        DROP INDEX IF EXISTS "IX_cw_complaint_RespondentName_trgm";
        DROP INDEX IF EXISTS "IX_cw_complaint_Facts_trgm";
        """;

    /// <summary>Complaints whose respondent's name or facts contain <paramref name="text"/> (case-sensitive, as written).</summary>
    public static IQueryable<Complaint> Containing(DomainDbContext db, IQueryable<Complaint> query, string text)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(text);
        var indexed = text.EnumerateRunes().Count() >= MinIndexedLength;
        if (indexed && db.Database.IsSqlite())
        {
            // An FTS5 string: the text as one phrase, its double quotes doubled, so no character is FTS syntax.
            var phrase = "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            var ids = db.Database.SqlQuery<string>($"SELECT \"ComplaintId\" AS \"Value\" FROM cw_complaint_text WHERE cw_complaint_text MATCH {phrase}");
            return query.Where(c => ids.Contains(c.Id));
        }

        if (indexed && db.Database.IsNpgsql())
        {
            // LIKE (not strpos, which Contains becomes) is what a trigram index answers.
            var pattern = "%" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
            return query.Where(c => EF.Functions.Like(c.RespondentName, pattern, "\\") || EF.Functions.Like(c.Facts, pattern, "\\"));
        }

        return query.Where(c => c.RespondentName.Contains(text) || c.Facts.Contains(text));
    }
}
