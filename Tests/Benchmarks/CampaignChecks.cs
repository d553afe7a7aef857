using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using ComplaintWorkflows.SmsEmulator;
using ComplaintWorkflows.TestSupport;
using Npgsql;

namespace ComplaintWorkflows.Benchmarks;

/// <summary>What the checks found: lost and duplicated complaints, and whether every other check passed.</summary>
internal sealed record CampaignResult(int Lost, int Duplicated, bool Passed);

/// <summary>
/// The fault campaign's checks after quiescence, from the database (PostgreSQL), the SMS emulator's records and maildev's:
/// every complaint that got a 2xx is stored once, with its process, and archived; no job ran twice with effect (no
/// execution node completed twice in an instance's journal, no complaint archived, closed or surveyed twice); no SMS
/// <c>OutId</c> and no email <c>Message-ID</c> was sent twice; every timer that fell due fired; no instance is active
/// without a task, a subscription, a job, an external task, an incident or an active child; the archive's hash chain verifies.
/// </summary>
internal sealed class CampaignChecks(string connectionString, HttpClient admin, SmsProviderEmulator emulator, CampaignIntake intake, TextWriter output)
{
    /// <summary>A timer this much past its due time has not fired (the safety net looks every 10 s in the campaign).</summary>
    private static readonly TimeSpan TimerGrace = TimeSpan.FromSeconds(60);

    private bool _passed = true;

    /// <summary>Waits until every accepted complaint is archived and no job or pending notification is left, or the time is up.</summary>
    public async Task<bool> WaitForQuiescenceAsync(TimeSpan limit, Action<string> say, CancellationToken cancellationToken)
    {
        var deadline = TimeProvider.System.GetUtcNow() + limit;
        var lastSaid = DateTimeOffset.MinValue;
        while (!cancellationToken.IsCancellationRequested)
        {
            var (open, jobs, pending) = await OpenWorkAsync(cancellationToken);
            if (open == 0 && jobs == 0 && pending == 0)
            {
                return true;
            }

            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                say($"not quiet after {limit}: {open} accepted complaints not archived, {jobs} jobs, {pending} notifications not sent");
                await DescribeOpenWorkAsync(say, cancellationToken);
                return false;
            }

            if (TimeProvider.System.GetUtcNow() - lastSaid > TimeSpan.FromSeconds(30))
            {
                lastSaid = TimeProvider.System.GetUtcNow();
                say($"waiting for quiescence: {open} complaints not archived yet, {jobs} jobs, {pending} notifications to send");
            }

            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        }

        return false;
    }

    /// <summary>Where the open work is: complaints by status, notifications by status and error, open tasks by element.</summary>
    private async Task DescribeOpenWorkAsync(Action<string> say, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        foreach (var sql in new[]
        {
            """SELECT 'complaints ' || "Status", count(*) FROM cw_complaint GROUP BY "Status" """,
            """SELECT 'notifications ' || "Channel" || ' ' || "Status" || ' ' || coalesce("ErrorCode", ''), count(*) FROM cw_notification GROUP BY 1""",
            """SELECT 'open tasks ' || "ElementId", count(*) FROM wf_task GROUP BY "ElementId" """,
        })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                say($"  {reader.GetString(0)}: {reader.GetInt64(1)}");
            }
        }
    }

    private async Task<(int Open, long Jobs, long Pending)> OpenWorkAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            var archived = new HashSet<string>(StringComparer.Ordinal);
            await using (var command = new NpgsqlCommand("""SELECT "Id" FROM cw_complaint WHERE "Status" = 'Archived'""", connection))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    archived.Add(reader.GetString(0));
                }
            }

            var open = intake.Accepted.Values.Count(c => !archived.Contains(c.Id));
            var jobs = await ScalarAsync(connection, "SELECT count(*) FROM wf_job", cancellationToken);
            var pending = await ScalarAsync(connection, """SELECT count(*) FROM cw_notification WHERE "Status" IN ('Pending', 'NoProvider')""", cancellationToken);
            return (open, jobs, pending);
        }
        catch (NpgsqlException)
        {
            return (int.MaxValue, -1, -1);
        }
    }

    public async Task<CampaignResult> RunAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var (lost, duplicated) = await ComplaintsAsync(connection, cancellationToken);
        await JobsRanOnceAsync(connection, cancellationToken);
        await SentOnceAsync(cancellationToken);
        await TimersFiredAsync(connection, cancellationToken);
        await NothingStuckAsync(connection, cancellationToken);
        await ArchiveChainAsync(cancellationToken);
        return new CampaignResult(lost, duplicated, _passed);
    }

    /// <summary>Lost: acknowledged and missing, or without its process. Duplicated: one submission stored more than once.</summary>
    private async Task<(int Lost, int Duplicated)> ComplaintsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var stored = new Dictionary<string, List<(string Id, string? Process, string Status, bool Instance)>>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand("""
            SELECT c."Id", c."ProcessInstanceId", c."Facts", c."Status", i."Id" IS NOT NULL
            FROM cw_complaint c LEFT JOIN wf_instance i ON i."Id" = c."ProcessInstanceId"
            WHERE c."Facts" LIKE '%（F%'
            """, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var facts = reader.GetString(2);
                var marker = facts[(facts.LastIndexOf('（') + 1)..^1];
                var rows = stored.TryGetValue(marker, out var list) ? list : stored[marker] = [];
                rows.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(3), reader.GetBoolean(4)));
            }
        }

        var lost = intake.Accepted.Values.Where(a => !stored.TryGetValue(a.Marker, out var rows) || !rows.Any(r => r.Id == a.Id && r.Process is not null && r.Instance)).ToList();
        var duplicated = stored.Where(s => s.Value.Count > 1).ToList();
        foreach (var complaint in lost.Take(10))
        {
            output.WriteLine($"lost: {complaint.Marker} (complaint {complaint.Id})");
        }

        foreach (var (marker, rows) in duplicated.Take(10))
        {
            output.WriteLine($"duplicated: {marker} stored {rows.Count} times");
        }

        var notArchived = intake.Accepted.Values
            .Select(a => (a, Row: stored.GetValueOrDefault(a.Marker)?.FirstOrDefault(r => r.Id == a.Id)))
            .Where(x => x.Row is { } row && row.Status != "Archived").ToList();
        Report("every accepted complaint is stored once with its process", lost.Count == 0 && duplicated.Count == 0, $"{intake.Accepted.Count} accepted, {lost.Count} lost, {duplicated.Count} duplicated");
        Report("every accepted complaint reached the archive", notArchived.Count == 0,
            notArchived.Count == 0 ? $"{intake.Accepted.Count} archived" : $"{notArchived.Count} not archived: " + string.Join(", ", notArchived.Take(5).Select(x => $"{x.a.Id} {x.Row!.Value.Status}")));
        return (lost.Count, duplicated.Count);
    }

    /// <summary>A job that ran twice with effect completes its node twice (or writes its domain row twice).</summary>
    private async Task JobsRanOnceAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var completions = new Dictionary<(string Instance, long Node), int>();
        var sequences = new Dictionary<(string Instance, long Sequence), int>();
        await using (var command = new NpgsqlCommand("""SELECT "InstanceId", "Entries" FROM wf_journal""", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var instance = reader.GetString(0);
                using var entries = JsonDocument.Parse(reader.GetString(1));
                foreach (var entry in entries.RootElement.EnumerateArray())
                {
                    var sequence = (instance, entry[0].GetInt64());
                    sequences[sequence] = sequences.GetValueOrDefault(sequence) + 1;

                    // Kind 4 is ElementCompleted; node ids are unique within an instance.
                    if (entry[2].GetInt32() == 4)
                    {
                        var node = (instance, entry[3].GetInt64());
                        completions[node] = completions.GetValueOrDefault(node) + 1;
                    }
                }
            }
        }

        var twice = completions.Where(c => c.Value > 1).ToList();
        var overlapping = sequences.Count(s => s.Value > 1);
        Report("no execution node completed twice (journal)", twice.Count == 0 && overlapping == 0,
            $"{completions.Count} completions, {twice.Count} twice, {overlapping} journal sequence numbers written twice" + string.Concat(twice.Take(3).Select(t => $"; {t.Key.Instance} node {t.Key.Node} ×{t.Value}")));

        foreach (var (table, what) in new[] { ("cw_archive", "archived"), ("cw_closure_record", "given a closing record"), ("cw_survey_answer", "given a survey answer") })
        {
            var repeated = await ScalarAsync(connection, $"""SELECT count(*) FROM (SELECT "ComplaintId" FROM {table} GROUP BY "ComplaintId" HAVING count(*) > 1) d""", cancellationToken);
            Report($"no complaint {what} twice ({table})", repeated == 0, $"{repeated} complaints");
        }
    }

    /// <summary>No SMS OutId at the emulator and no Message-ID at maildev twice.</summary>
    private async Task SentOnceAsync(CancellationToken cancellationToken)
    {
        var sms = emulator.Accepted;
        var smsTwice = sms.Where(s => s.OutId is not null).GroupBy(s => s.OutId, StringComparer.Ordinal).Where(g => g.Count() > 1).ToList();
        Report("no SMS OutId sent twice (emulator)", smsTwice.Count == 0, $"{sms.Count} SMS sent, {smsTwice.Count} OutIds twice" + string.Concat(smsTwice.Take(3).Select(g => $"; {g.Key} ×{g.Count()}")));

        using var maildev = new HttpClient { BaseAddress = MailDev.Api };
        var all = await maildev.GetFromJsonAsync<JsonElement>(new Uri("email", UriKind.Relative), cancellationToken);
        var ours = all.EnumerateArray()
            .Where(m => m.GetProperty("to").EnumerateArray().Any(t => t.GetProperty("address").GetString()!.EndsWith("@" + intake.EmailDomain, StringComparison.OrdinalIgnoreCase)))
            .Select(MessageId).ToList();
        var emailTwice = ours.GroupBy(id => id, StringComparer.Ordinal).Where(g => g.Count() > 1).ToList();
        var expected = intake.Accepted.Values.Count(c => c.Email is not null);
        Report("no email Message-ID sent twice (maildev)", emailTwice.Count == 0 && (expected == 0 || ours.Count > 0),
            $"{ours.Count} emails to the campaign's {expected} email consumers, {emailTwice.Count} Message-IDs twice" + string.Concat(emailTwice.Take(3).Select(g => $"; {g.Key} ×{g.Count()}")));
    }

    private static string MessageId(JsonElement message)
    {
        if (message.TryGetProperty("messageId", out var id) && id.ValueKind == JsonValueKind.String)
        {
            return id.GetString()!;
        }

        return message.GetProperty("headers").TryGetProperty("message-id", out var header) ? header.GetString()! : message.GetProperty("id").GetString()!;
    }

    /// <summary>A timer still waiting well past its due time did not fire.</summary>
    private async Task TimersFiredAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var late = TimeProvider.System.GetUtcNow().Subtract(TimerGrace).ToUnixTimeMilliseconds();
        var reminders = await ScalarAsync(connection, """SELECT count(*) FROM cw_notification WHERE "Template" = 'survey.reminder'""", cancellationToken);
        var overdue = await ScalarAsync(connection, $"""SELECT count(*) FROM wf_subscription s JOIN wf_instance i ON i."Id" = s."InstanceId" WHERE i."Status" = 0 AND s."Kind" = 2 AND s."DueAt" < {late}""", cancellationToken);
        var overdueStart = await ScalarAsync(connection, $"""SELECT count(*) FROM wf_start_timer WHERE "DueAt" < {late}""", cancellationToken);
        Report("every timer that fell due fired", overdue == 0 && overdueStart == 0,
            $"{overdue} timer events and {overdueStart} timer starts more than {TimerGrace.TotalSeconds:F0} s past due; {reminders} survey reminders sent when the first wait's timer fired");
    }

    /// <summary>An active instance with nothing to wait for and no incident is stuck.</summary>
    private async Task NothingStuckAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var stuck = new List<string>();
        await using (var command = new NpgsqlCommand("""
            SELECT i."Id", i."DefinitionKey" FROM wf_instance i
            WHERE i."Status" = 0 AND NOT i."HasIncident"
              AND NOT EXISTS (SELECT 1 FROM wf_task t WHERE t."InstanceId" = i."Id")
              AND NOT EXISTS (SELECT 1 FROM wf_subscription s WHERE s."InstanceId" = i."Id")
              AND NOT EXISTS (SELECT 1 FROM wf_job j WHERE j."InstanceId" = i."Id")
              AND NOT EXISTS (SELECT 1 FROM wf_external_task e WHERE e."InstanceId" = i."Id")
              AND NOT EXISTS (SELECT 1 FROM wf_instance c WHERE c."ParentInstanceId" = i."Id" AND c."Status" = 0)
            """, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                stuck.Add($"{reader.GetString(1)} {reader.GetString(0)}");
            }
        }

        var incidents = await ScalarAsync(connection, """SELECT count(*) FROM wf_instance WHERE "Status" = 0 AND "HasIncident" """, cancellationToken);
        var active = await ScalarAsync(connection, """SELECT count(*) FROM wf_instance WHERE "Status" = 0""", cancellationToken);
        Report("no instance stuck without a wait, job or incident", stuck.Count == 0, $"{active} active instances, {stuck.Count} stuck, {incidents} with an incident" + string.Concat(stuck.Take(5).Select(s => "; " + s)));
    }

    private async Task ArchiveChainAsync(CancellationToken cancellationToken)
    {
        var verify = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/archive/verify", UriKind.Relative), cancellationToken);
        Report("the archive hash chain verifies", verify.GetProperty("intact").GetBoolean(), verify.ToString());
    }

    private void Report(string check, bool passed, string detail)
    {
        _passed &= passed;
        output.WriteLine($"check: {check}: {(passed ? "ok" : "FAILED")} ({detail})");
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }
}
