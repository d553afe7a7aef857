using System.Data.Common;
using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Messaging.Sms;
using ComplaintWorkflows.Activities.Surveys;
using ComplaintWorkflows.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ComplaintWorkflows.Activities.Tests;

/// <summary>
/// Consumers' personal data at rest: rows written in clear by a version before encryption are encrypted by the start-up
/// step after the migration, their lookups by phone work again, and a host with another key ring is refused.
/// </summary>
public sealed class PersonalDataAtRestTests
{
    private const string Phone = "13955501234";
    private const string OtherPhone = "13955509876";
    private const string Name = "欧阳明月";
    private const string Address = "温州市瓯海区娄桥街道古岸头村88号";

    [Fact]
    public async Task RowsInClear_FromBeforeEncryption_AreEncryptedAtStart_AndFoundByPhone_OnSqlite()
    {
        var file = TestFiles.NewSqliteFile("clear-rows");
        try
        {
            var protector = PersonalDataProtector.FromKeyRing(TestFiles.NewFolder("keys"));
            await ClearRowsAreEncryptedAsync(DomainDatabase.Sqlite(file, protector: protector), protector, "20261203093251_InitialDomain");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }

    [Fact]
    public async Task RowsInClear_FromBeforeEncryption_AreEncryptedAtStart_AndFoundByPhone_OnPostgres()
    {
        var protector = PersonalDataProtector.FromKeyRing(TestFiles.NewFolder("keys"));
        await ClearRowsAreEncryptedAsync(DomainDatabase.Postgres(await TestPostgres.NewDatabaseAsync("clearrows"), protector), protector, "20261203093256_InitialDomain");
    }

    [Fact]
    public async Task HostsSharingTheKeyRingFolder_Agree_AndAHostWithAnotherKeyRing_IsRefusedSayingWhatToSet()
    {
        var folder = TestFiles.NewFolder("keys");
        var file = TestFiles.NewSqliteFile("key-check");
        try
        {
            var first = PersonalDataProtector.FromKeyRing(folder);
            var second = PersonalDataProtector.FromKeyRing(folder);
            Assert.Equal(first.Hash(Phone), second.Hash(Phone));
            Assert.Equal(Name, second.Unprotect(first.Protect(Name)));

            var contexts = DomainDatabase.Sqlite(file, protector: first);
            await DomainDatabase.MigrateAsync(contexts);
            await PersonalDataMigration.CheckKeyRingAsync(contexts, first);
            await PersonalDataMigration.CheckKeyRingAsync(DomainDatabase.Sqlite(file, protector: second), second);

            var stranger = PersonalDataProtector.FromKeyRing(TestFiles.NewFolder("other-keys"));
            Assert.NotEqual(first.Hash(Phone), stranger.Hash(Phone));
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => PersonalDataMigration.CheckKeyRingAsync(DomainDatabase.Sqlite(file, protector: stranger), stranger));
            Assert.Contains("Workflows:PersonalData:KeyRingFolder", refused.Message, StringComparison.Ordinal);
            var unreadable = Assert.Throws<System.Security.Cryptography.CryptographicException>(() => stranger.Unprotect(first.Protect(Name)));
            Assert.Contains("same key ring", unreadable.Message, StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }

    private static async Task ClearRowsAreEncryptedAsync(IDbContextFactory<DomainDbContext> contexts, PersonalDataProtector protector, string initial)
    {
        // A database of the version before encryption, with rows in clear.
        await using (var db = await contexts.CreateDbContextAsync())
        {
            await db.GetService<IMigrator>().MigrateAsync(initial);
            await db.Database.OpenConnectionAsync();
            var connection = db.Database.GetDbConnection();
            await InsertAsync(connection, "cw_complaint", new()
            {
                ["Id"] = "c-old", ["TrackingNumber"] = "TS20261101000001", ["Channel"] = "Web", ["Status"] = "Closed",
                ["ConsumerName"] = Name, ["ConsumerPhone"] = Phone, ["ConsumerAddress"] = Address, ["ClosedAt"] = 1,
                ["RespondentName"] = "某商店", ["RespondentAddress"] = "某地", ["Request"] = "退款", ["Facts"] = "事实",
            });
            await InsertAsync(connection, "cw_survey_invitation", new() { ["Id"] = "s-old", ["ComplaintId"] = "c-old", ["Channel"] = "Sms", ["Phone"] = Phone, ["Status"] = "Open" });

            // Two receipts of one batch (one biz id, two numbers): the unique index on the hashed number must not collide.
            await InsertAsync(connection, "cw_sms_receipt", new() { ["Provider"] = "Aliyun", ["BizId"] = "biz-1", ["PhoneNumber"] = Phone });
            await InsertAsync(connection, "cw_sms_receipt", new() { ["Provider"] = "Aliyun", ["BizId"] = "biz-1", ["PhoneNumber"] = OtherPhone });
        }

        await DomainDatabase.MigrateAsync(contexts);
        var encrypted = await PersonalDataMigration.EncryptClearRowsAsync(contexts, batchSize: 1);

        Assert.Equal(4, encrypted);
        Assert.Equal(0, await PersonalDataMigration.EncryptClearRowsAsync(contexts));
        await using (var db = await contexts.CreateDbContextAsync())
        {
            await db.Database.OpenConnectionAsync();
            var connection = db.Database.GetDbConnection();
            var stored = await ReadAsync(connection, "SELECT \"ConsumerName\", \"ConsumerPhone\", \"ConsumerAddress\", \"ConsumerPhoneKey\" FROM cw_complaint");
            Assert.All(stored[..3], v => Assert.StartsWith(PersonalDataProtector.ProtectedPrefix, v, StringComparison.Ordinal));
            Assert.Equal(protector.Hash(Phone), stored[3]);
            var invitation = await ReadAsync(connection, "SELECT \"Phone\", \"PhoneKey\" FROM cw_survey_invitation");
            Assert.StartsWith(PersonalDataProtector.ProtectedPrefix, invitation[0], StringComparison.Ordinal);
            Assert.Equal(protector.Hash(Phone), invitation[1]);
            var dump = string.Join("\n", await ReadAsync(connection, "SELECT \"PhoneNumber\" FROM cw_sms_receipt"), await ReadAsync(connection, "SELECT \"PhoneNumberKey\" FROM cw_sms_receipt"));
            Assert.DoesNotContain(Phone, dump, StringComparison.Ordinal);
            Assert.DoesNotContain(OtherPhone, dump, StringComparison.Ordinal);

            // The lookups by phone find the old rows again, and read them in clear.
            var complaint = await db.Set<Complaint>().AsNoTracking().SingleAsync(c => c.ConsumerPhoneKey == Phone);
            Assert.Equal((Name, Phone, Address), (complaint.ConsumerName, complaint.ConsumerPhone, complaint.ConsumerAddress));
            Assert.Equal("s-old", (await db.Set<SurveyInvitation>().AsNoTracking().SingleAsync(s => s.PhoneKey == Phone)).Id);
            Assert.Equal(OtherPhone, (await db.Set<SmsReceipt>().AsNoTracking().SingleAsync(r => r.BizId == "biz-1" && r.PhoneNumberKey == OtherPhone)).PhoneNumber);
        }
    }

    /// <summary>Inserts a row with the given values, every other NOT NULL column without a default set to its type's zero.</summary>
    private static async Task InsertAsync(DbConnection connection, string table, Dictionary<string, object> values)
    {
        var sqlite = connection is Microsoft.Data.Sqlite.SqliteConnection;
        var columns = new List<(string Name, string Type)>();
        await using (var schema = connection.CreateCommand())
        {
            schema.CommandText = sqlite
                ? $"SELECT name, type FROM pragma_table_info('{table}') WHERE \"notnull\" = 1 AND dflt_value IS NULL AND pk = 0"
                : $"SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '{table}' AND is_nullable = 'NO' AND column_default IS NULL AND is_identity = 'NO'";
            await using var reader = await schema.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                columns.Add((reader.GetString(0), reader.GetString(1).ToUpperInvariant()));
            }
        }

        var row = new Dictionary<string, object>(values);
        foreach (var (name, type) in columns)
        {
            row.TryAdd(name, type.Contains("INT", StringComparison.Ordinal) ? 0L
                : type.Contains("BOOL", StringComparison.Ordinal) ? false
                : type.Contains("DOUBLE", StringComparison.Ordinal) || type.Contains("REAL", StringComparison.Ordinal) ? 0.0
                : "");
        }

        await using var insert = connection.CreateCommand();
        insert.CommandText = $"INSERT INTO \"{table}\" ({string.Join(", ", row.Keys.Select(k => $"\"{k}\""))}) VALUES ({string.Join(", ", row.Keys.Select((_, i) => "@p" + i))})";
        foreach (var (value, i) in row.Values.Select((v, i) => (v, i)))
        {
            var parameter = insert.CreateParameter();
            parameter.ParameterName = "@p" + i;
            parameter.Value = value;
            insert.Parameters.Add(parameter);
        }

        await insert.ExecuteNonQueryAsync();
    }

    private static async Task<string[]> ReadAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                values.Add(reader.GetString(i));
            }
        }

        return [.. values];
    }
}
