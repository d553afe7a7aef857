using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Messaging;
using ComplaintWorkflows.Activities.Organisation;
using ComplaintWorkflows.Activities.Surveys;
using ComplaintWorkflows.Engine.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Benchmarks;

/// <summary>
/// <c>seed</c>: fills a database with a year of complaints at a national centre's scale. The host creates the database
/// (migrations, the demo organisation, the processes and its five demo complaints, which pass through the real
/// processes to five different stages) and files one more complaint over HTTP; it is then stopped, and the complaints
/// are written in bulk in transactions of <c>--batch</c> complaints: each one's <c>cw_complaint</c> row, timeline, notifications and
/// survey answer, and its process instance, open task and journal, cloned from the real rows of the demo complaint
/// at the same stage with its ids, names and texts replaced. Rows go through <see cref="RowInserter"/> with the
/// contexts' EF model and the host's personal-data key ring, so personal data is encrypted and hashed exactly as
/// intake does it. What differs from the real path is in docs/development.md (Benchmarks, seed).
/// </summary>
internal static class SeedBenchmark
{
    public const string Password = "Seed-Benchmark-2026";

    /// <summary>Sign-in for the host on the seeded database: the demo staff and the administrator get <see cref="Password"/>.</summary>
    public static Dictionary<string, string> HostEnvironment(string database, string? connectionString)
    {
        var environment = new Dictionary<string, string>
        {
            ["Workflows__Identity__DemoPassword"] = Password,
            ["Workflows__Identity__InitialAdminPassword"] = Password,
        };
        if (database == "postgres")
        {
            environment["Workflows__Database"] = "Postgres";
            environment["Workflows__ConnectionString"] = connectionString!;
        }

        return environment;
    }

    /// <summary>The seeded PostgreSQL database: the test server's (COMPLAINTWORKFLOWS_TEST_POSTGRES) with another database name.</summary>
    public static string PostgresConnection(string databaseName)
    {
        var server = Environment.GetEnvironmentVariable("COMPLAINTWORKFLOWS_TEST_POSTGRES")
            ?? throw new InvalidOperationException("--db postgres needs COMPLAINTWORKFLOWS_TEST_POSTGRES (a connection string to a PostgreSQL 15 server; source /work/infra/env.sh or start Tests/infra/postgres.sh).");
        return new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = databaseName, CommandTimeout = 600 }.ToString();
    }

    public static async Task<int> RunAsync(int count, string database, string folder, string databaseName, int batch, TextWriter output)
    {
        var connection = database == "postgres" ? PostgresConnection(databaseName) : null;
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        if (connection is not null)
        {
            await RecreateDatabaseAsync(connection);
        }

        output.WriteLine($"seed: starting the host on {(connection is null ? folder : databaseName)} to create the database and its templates ...");
        var texts = new SeedTexts(Path.Combine(RepositoryRoot(), "Tests", "Activities.Tests", "Classification", "Data", "complaints-labeled.tsv"));
        using (var host = await HostProcess.StartAsync(output, HostEnvironment(database, connection), folder))
        {
            await FileTemplateAsync(host.Url);
        }

        var protector = PersonalDataProtector.FromKeyRing(Path.Combine(folder, "personal-data-keys"));
        var domain = connection is null
            ? DomainDatabase.Sqlite(Path.Combine(folder, "complaintworkflows.db"), protector: protector)
            : DomainDatabase.Postgres(connection, protector);
        var engineOptions = connection is null
            ? (Func<WorkflowDbContext>)(() => new SqliteWorkflowDbContext(new DbContextOptionsBuilder<SqliteWorkflowDbContext>().UseSqlite("Data Source=" + Path.Combine(folder, "complaintworkflows.db")).Options))
            : () => new PostgresWorkflowDbContext(new DbContextOptionsBuilder<PostgresWorkflowDbContext>().UseNpgsql(connection).Options);
        await using var engineDb = engineOptions();
        var templates = await Templates.LoadAsync(domain, engineDb);
        output.WriteLine($"seed: templates at {string.Join(", ", templates.Stages)}");
        var organisation = await SeedOrganisation.CreateAsync(domain, count);
        output.WriteLine($"seed: {organisation.Stations.Count} stations, {organisation.HandlerCount} handlers");

        var rows = new RowInserter();
        var random = new Random(12315);
        var now = TimeProvider.System.GetUtcNow();
        var writer = new SeedWriter(texts, templates, organisation, now);
        var watch = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        long written = 0;
        for (var done = 0; done < count;)
        {
            var size = Math.Min(batch, count - done);
            var set = writer.Next(random, done, size, count);
            await using (var db = await domain.CreateDbContextAsync())
            {
                await using var transaction = await db.Database.BeginTransactionAsync();
                foreach (var chunk in set.Domain.Chunk(200))
                {
                    await rows.InsertAsync(db, chunk);
                }

                foreach (var chunk in set.Engine.Chunk(200))
                {
                    await rows.InsertAsync(engineDb, Microsoft.EntityFrameworkCore.Storage.DbContextTransactionExtensions.GetDbTransaction(transaction), chunk);
                }

                await transaction.CommitAsync();
            }

            done += size;
            written += set.Domain.Count + set.Engine.Count;
            if (done % (batch * 25) == 0 || done == count)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"seed: {done} complaints, {written} rows, {written / watch.Elapsed.TotalSeconds:F0} rows/s, {done / watch.Elapsed.TotalSeconds:F0} complaints/s; load {Load()}"));
            }
        }

        var elapsed = watch.Elapsed;
        var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        await using (var db = await domain.CreateDbContextAsync())
        {
            // Statistics for the planner, as an operator would after a bulk load.
            await db.Database.ExecuteSqlRawAsync(connection is null ? "ANALYZE" : "VACUUM ANALYZE");
        }

        var bytes = connection is null ? SqliteSize(folder) : await PostgresSizeAsync(connection);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"seed: {count} complaints ({written} rows) in {elapsed.TotalSeconds:F0} s: {written / elapsed.TotalSeconds:F0} rows/s, {count / elapsed.TotalSeconds:F0} complaints/s, seeder CPU {cpuUsed.TotalSeconds:F0} s; database {bytes / 1024.0 / 1024:F0} MiB ({database}); load {Load()}"));
        return 0;
    }

    public static string Load() => File.ReadAllText("/proc/loadavg").Trim();

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ComplaintWorkflows.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }

    private static async Task RecreateDatabaseAsync(string connection)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connection);
        var name = builder.Database!;
        builder.Database = "postgres";
        await using var admin = new Npgsql.NpgsqlConnection(builder.ToString());
        await admin.OpenAsync();
        await using var command = admin.CreateCommand();
        command.CommandText = $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)";
        await command.ExecuteNonQueryAsync();
        command.CommandText = $"CREATE DATABASE \"{name}\"";
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>One complaint filed by a consumer on the web, so the intake stage has a template with its notification.</summary>
    private static async Task FileTemplateAsync(string url)
    {
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
        using var response = await http.PostAsJsonAsync("/api/complaints", new
        {
            consumerName = "模板用户",
            consumerPhone = "13900000001",
            consumerAddress = "浙江省温州市鹿城区车站大道1号",
            notifyBy = "Sms",
            respondentName = "鹿城区模板数码店",
            respondentAddress = "浙江省温州市鹿城区人民路1号",
            request = "要求退款",
            facts = "购买的手机使用一周后屏幕出现竖线，商家拒绝退换。",
        });
        response.EnsureSuccessStatusCode();

        // The registration SMS is written after the process's first step; give the notification worker a moment.
        await Task.Delay(TimeSpan.FromSeconds(3));
    }

    private static long SqliteSize(string folder)
        => Directory.GetFiles(folder, "complaintworkflows.db*").Sum(f => new FileInfo(f).Length);

    private static async Task<long> PostgresSizeAsync(string connection)
    {
        await using var db = new Npgsql.NpgsqlConnection(connection);
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT pg_database_size(current_database())";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The rows of one real complaint at one stage of its process: what every seeded complaint at that stage copies.</summary>
    internal sealed record Template(Complaint Complaint, InstanceRow Instance, IReadOnlyList<TaskRow> Tasks, IReadOnlyList<JournalRow> Journal, IReadOnlyList<Notification> Notifications);

    internal sealed class Templates
    {
        private readonly Dictionary<ComplaintStatus, Template> _byStatus;

        private Templates(Dictionary<ComplaintStatus, Template> byStatus) => _byStatus = byStatus;

        public IEnumerable<string> Stages => _byStatus.Select(t => $"{t.Key} ({(t.Value.Tasks.Count > 0 ? t.Value.Tasks[0].ElementId : "ended")})");

        /// <summary>The template at the stage, else the nearest earlier one the demo complaints reached.</summary>
        public Template For(ComplaintStatus status)
        {
            ComplaintStatus[] fallbacks = status switch
            {
                ComplaintStatus.Registered or ComplaintStatus.Classified or ComplaintStatus.Dispatched => [ComplaintStatus.Registered, ComplaintStatus.Classified],
                ComplaintStatus.Accepted or ComplaintStatus.Handling or ComplaintStatus.Suspended or ComplaintStatus.InReview => [ComplaintStatus.Handling, ComplaintStatus.Accepted],
                ComplaintStatus.Closed => [ComplaintStatus.Closed, ComplaintStatus.Surveyed, ComplaintStatus.Archived],
                ComplaintStatus.Refused => [ComplaintStatus.Refused, ComplaintStatus.Archived],
                _ => [ComplaintStatus.Archived, ComplaintStatus.Surveyed, ComplaintStatus.Refused],
            };
            foreach (var s in fallbacks.Prepend(status))
            {
                if (_byStatus.TryGetValue(s, out var template))
                {
                    return template;
                }
            }

            return _byStatus.Values.First();
        }

        public static async Task<Templates> LoadAsync(IDbContextFactory<DomainDbContext> domain, WorkflowDbContext engine)
        {
            await using var db = await domain.CreateDbContextAsync();
            var complaints = await db.Set<Complaint>().AsNoTracking().Where(c => c.ProcessInstanceId != null).ToListAsync();
            var byStatus = new Dictionary<ComplaintStatus, Template>();
            foreach (var complaint in complaints.OrderByDescending(c => c.RegisteredAt))
            {
                if (byStatus.ContainsKey(complaint.Status))
                {
                    continue;
                }

                var id = complaint.ProcessInstanceId!;
                var instance = await engine.Instances.AsNoTracking().SingleAsync(i => i.Id == id);
                var tasks = await engine.Tasks.AsNoTracking().Where(t => t.InstanceId == id).ToListAsync();
                var journal = await engine.Journal.AsNoTracking().Where(j => j.InstanceId == id).OrderBy(j => j.FirstSequence).ToListAsync();
                var notifications = await db.Set<Notification>().AsNoTracking().Where(n => n.ComplaintId == complaint.Id).ToListAsync();
                byStatus[complaint.Status] = new Template(complaint, instance, tasks, journal, notifications);
            }

            if (byStatus.Count == 0)
            {
                throw new InvalidOperationException("The host wrote no complaint with a process: no template to copy.");
            }

            return new Templates(byStatus);
        }
    }

    /// <summary>
    /// A template's text cut at the template's own values (ids, names, texts; raw and as JSON escapes them), so each
    /// clone's text is the pieces joined with its values in one pass instead of a search per value.
    /// </summary>
    internal sealed class TextTemplate
    {
        private readonly List<string> _literals = [];
        private readonly List<(int Slot, bool Escaped)> _holes = [];

        public TextTemplate(string text, IReadOnlyList<string?> values)
        {
            var candidates = values
                .SelectMany((v, slot) => string.IsNullOrEmpty(v) ? [] : new[] { (Text: v, Slot: slot, Escaped: false), (Text: JsonEncodedText.Encode(v).ToString(), Slot: slot, Escaped: true) })
                .DistinctBy(c => c.Text)
                .OrderByDescending(c => c.Text.Length)
                .ToList();
            var literal = 0;
            for (var i = 0; i < text.Length;)
            {
                var match = candidates.FirstOrDefault(c => string.CompareOrdinal(text, i, c.Text, 0, c.Text.Length) == 0);
                if (match.Text is null)
                {
                    i++;
                    continue;
                }

                _literals.Add(text[literal..i]);
                _holes.Add((match.Slot, match.Escaped));
                i += match.Text.Length;
                literal = i;
            }

            _literals.Add(text[literal..]);
        }

        public string Render(IReadOnlyList<string?> values)
        {
            var builder = new System.Text.StringBuilder(_literals.Sum(l => l.Length) + 256);
            for (var i = 0; i < _holes.Count; i++)
            {
                builder.Append(_literals[i]);
                var value = values[_holes[i].Slot] ?? "";
                builder.Append(_holes[i].Escaped ? JsonEncodedText.Encode(value).ToString() : value);
            }

            return builder.Append(_literals[^1]).ToString();
        }
    }
}
