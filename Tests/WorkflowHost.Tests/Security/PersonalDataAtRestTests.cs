using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ComplaintWorkflows.SmsEmulator;
using ComplaintWorkflows.TestSupport;
using ComplaintWorkflows.WorkflowHost.Tests.Complaints;
using ComplaintWorkflows.WorkflowHost.Tests.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ComplaintWorkflows.WorkflowHost.Tests.Security;

/// <summary>
/// A complaint goes its whole way (filed twice, prefilled, tracked, closed, surveyed by SMS with the reply matched by
/// phone, receipts pushed, archived) and then the database is read as an attacker with a copy of it would: the SQLite
/// file's bytes, or every PostgreSQL table as text. The consumer's phone number, name and address are nowhere in clear,
/// while everything that looks them up still worked.
/// </summary>
public sealed class PersonalDataAtRestTests
{
    private const string Phone = "13977712345";
    private const string Name = "欧阳明月";
    private const string Address = "温州市瓯海区娄桥街道古岸头村88号";

    [Fact]
    public async Task AfterAComplaintScenario_TheSqliteFile_HoldsNoPhoneNumberNameOrAddressInClear()
    {
        var sms = new SmsHost();
        await sms.InitializeAsync();
        try
        {
            await RunScenarioAsync(sms);

            // The files as a copy taken now would have them: the database and its write-ahead log.
            var folder = sms.Host.DataFolder;
            var files = Directory.GetFiles(folder, "complaintworkflows.db*");
            Assert.Contains(files, f => f.EndsWith(".db", StringComparison.Ordinal));
            var bytes = files.SelectMany(ReadShared).ToArray();
            AssertNothingInClear(bytes, "the SQLite file " + string.Join(", ", files.Select(Path.GetFileName)));
        }
        finally
        {
            await sms.DisposeAsync();
        }
    }

    [Fact]
    public async Task AfterAComplaintScenario_ThePostgresTables_HoldNoPhoneNumberNameOrAddressInClear()
    {
        var connectionString = await TestPostgres.NewDatabaseAsync("atrest");
        var sms = new SmsHost { Overrides = new() { ["Workflows:Database"] = "Postgres", ["Workflows:ConnectionString"] = connectionString } };
        await sms.InitializeAsync();
        try
        {
            await RunScenarioAsync(sms);
        }
        finally
        {
            await sms.DisposeAsync();
        }

        // Every row of every table, as PostgreSQL prints it (bytea as hex, so the hex of the UTF-8 is looked for too).
        var dump = new StringBuilder();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add($"\"{reader.GetString(0)}\".\"{reader.GetString(1)}\"");
            }
        }

        Assert.Contains(tables, t => t.Contains("cw_complaint", StringComparison.Ordinal));
        foreach (var table in tables)
        {
            await using var select = new NpgsqlCommand($"SELECT t::text FROM {table} t", connection);
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                dump.Append(table).Append(": ").Append(reader.GetString(0)).Append('\n');
            }
        }

        var text = dump.ToString();
        Assert.Contains("CfDJ8", text, StringComparison.Ordinal);
        foreach (var (what, value) in Secrets)
        {
            var at = text.IndexOf(value, StringComparison.Ordinal);
            Assert.True(at < 0, $"The consumer's {what} is in clear in PostgreSQL: ...{Around(text, at)}...");
            var hex = Convert.ToHexStringLower(Encoding.UTF8.GetBytes(value));
            Assert.DoesNotContain(hex, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static readonly (string What, string Value)[] Secrets = [("phone number", Phone), ("name", Name), ("address", Address), ("address (part)", "古岸头村88号")];

    /// <summary>The scenario, asserting at each step that the lookups by phone (and the reads in clear) still work.</summary>
    private static async Task RunScenarioAsync(SmsHost sms)
    {
        var host = sms.Host;
        await NotificationDeliveryTests.SetSmsCodesAsync(host);
        var scenario = new ComplaintScenario(host);
        const string Facts = "购买的电热水器安装三天后漏水，商家拒绝退换。";
        var id = await scenario.FileAsync(Facts, consumer: "consumer:c9", phone: Phone, name: Name, address: Address);

        // The same submission again is recognised as the same complaint (the duplicate check).
        Assert.Equal(id, await scenario.FileAsync(Facts, consumer: "consumer:c9", phone: Phone, name: Name, address: Address, expected: HttpStatusCode.OK));
        await host.DeliverAsync();

        var trackingNumber = (await scenario.FileOfAsync(id)).GetProperty("complaint").GetProperty("trackingNumber").GetString()!;
        using (var desk = host.As("zx-desk-a"))
        {
            var prefill = await desk.GetFromJsonAsync<JsonElement>(new Uri($"/api/consumers/prefill?phone=+86 139-7771-2345", UriKind.Relative));
            Assert.Equal((Name, Phone, Address, trackingNumber), (prefill.GetProperty("consumerName").GetString(), prefill.GetProperty("consumerPhone").GetString(), prefill.GetProperty("consumerAddress").GetString(), prefill.GetProperty("lastTrackingNumber").GetString()));
        }

        using (var anonymous = host.Anonymous())
        {
            using var tracked = await anonymous.GetAsync(new Uri($"/api/public/track?trackingNumber={trackingNumber}&phone={Phone}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, tracked.StatusCode);
            using var wrong = await anonymous.GetAsync(new Uri($"/api/public/track?trackingNumber={trackingNumber}&phone=13977712346", UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);
        }

        using (var consumer = host.As("consumer:c9"))
        {
            var own = await consumer.GetFromJsonAsync<JsonElement>(new Uri("/api/complaints", UriKind.Relative));
            Assert.Contains(own.GetProperty("items").EnumerateArray(), c => c.GetProperty("id").GetString() == id);
        }

        await scenario.ConfirmDispatchAsync(id);
        await scenario.AcceptAsync(id);
        await scenario.CompleteAsync(id, "mediate", new { outcome = "mediated", mediationSucceeded = true, progressNote = "商家同意退货" });
        await scenario.CloseRecordAsync(id);
        await host.DeliverAsync();
        await scenario.CompleteAsync(id, "deskReview", new { decision = "approve" });
        await host.DeliverAsync();
        await host.DeliverAsync();
        Assert.Contains(sms.Emulator.Accepted, a => a.PhoneNumber == Phone);

        // The consumer answers the survey by SMS: the reply is matched to the complaint by the phone number.
        using var platform = host.Anonymous();
        await SmsCallbacks.PushAsync(platform, SmsHost.SmsUpPath, SmsCallbacks.SmsUp(new EmulatedReply(Phone, "4 还可以", host.Time.GetUtcNow(), 930001L)));
        await SmsCallbacks.PushAsync(platform, SmsHost.SmsReportPath, SmsCallbacks.SmsReport(sms.Emulator.Accepted));
        await host.DeliverAsync();
        var file = await scenario.FileOfAsync(id);
        Assert.Equal(4, file.GetProperty("complaint").GetProperty("satisfactionScore").GetInt32());
        Assert.Equal("Archived", file.GetProperty("complaint").GetProperty("status").GetString());
        Assert.Equal(Name, file.GetProperty("complaint").GetProperty("consumerName").GetString());

        var receipts = await host.Services.GetRequiredService<ComplaintWorkflows.Activities.Messaging.Sms.SmsReceipts>().ForOutIdsAsync([.. sms.Emulator.Accepted.Select(a => a.OutId!)]);
        Assert.Equal(sms.Emulator.Accepted.Count, receipts.Count);
    }

    private static void AssertNothingInClear(byte[] bytes, string where)
    {
        Assert.True(IndexOf(bytes, Encoding.ASCII.GetBytes("CfDJ8")) >= 0, $"No encrypted value in {where}: the scenario stored nothing?");
        foreach (var (what, value) in Secrets)
        {
            foreach (var encoding in new[] { Encoding.UTF8, Encoding.Unicode })
            {
                var at = IndexOf(bytes, encoding.GetBytes(value));
                Assert.True(at < 0, $"The consumer's {what} is in clear ({encoding.WebName}) in {where}, at byte {at}: ...{(at < 0 ? "" : Encoding.UTF8.GetString(bytes, Math.Max(0, at - 120), Math.Min(300, bytes.Length - Math.Max(0, at - 120))))}...");
            }
        }
    }

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);

    private static string Around(string text, int at) => at < 0 ? "" : text[Math.Max(0, at - 200)..Math.Min(text.Length, at + 100)];
}
