using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.WorkflowHost.Complaints;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ComplaintWorkflows.WorkflowHost.Operations;

/// <summary>What a backup archive says about itself (<c>manifest.json</c>).</summary>
internal sealed record BackupManifest(string Format, int Version, DatabaseProvider Database, DateTimeOffset CreatedAt, string DatabaseEntry, IReadOnlyList<string> KeyRingFiles);

/// <summary>
/// <c>backup &lt;file&gt;</c> and <c>restore &lt;file&gt;</c>: one zip archive with the whole database (the engine's, the
/// domain's, the sign-in and Quartz's tables: SQLite's online backup, consistent while the host runs; PostgreSQL's
/// <c>pg_dump</c> in custom format) and the personal-data key ring, without which the encrypted columns cannot be
/// read. Restore writes into the configured database and key-ring folder and refuses unless both are empty.
/// </summary>
internal static class BackupCommand
{
    public const string Format = "complaintworkflows-backup";
    private const string ManifestEntry = "manifest.json";
    private const string SqliteEntry = "database.sqlite";
    private const string PostgresEntry = "database.pgdump";
    private const string KeysFolder = "personal-data-keys/";

    private static readonly JsonSerializerOptions ManifestJson = new(JsonSerializerDefaults.Web) { WriteIndented = true, Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    /// <summary>Runs <c>backup</c> or <c>restore</c> with the host's settings (appsettings.json, environment, the remaining arguments).</summary>
    public static async Task<int> RunAsync(string command, string[] args, TextWriter output, TextWriter error)
    {
        if (args is not [var file, .. var settings] || file.StartsWith("--", StringComparison.Ordinal))
        {
            await error.WriteLineAsync($"用法 (usage): {command} <file> [--Workflows:Database=... 等设置]").ConfigureAwait(false);
            return 2;
        }

        var configuration = WebApplication.CreateBuilder(new WebApplicationOptions { Args = settings, ContentRootPath = AppContext.BaseDirectory }).Configuration;
        var workflows = configuration.GetSection(WorkflowsOptions.Section).Get<WorkflowsOptions>() ?? new WorkflowsOptions();
        var personal = configuration.GetSection(PersonalDataOptions.Section).Get<PersonalDataOptions>() ?? new PersonalDataOptions();
        var backup = configuration.GetSection(BackupOptions.Section).Get<BackupOptions>() ?? new BackupOptions();
        var keys = ComplaintHostExtensions.PersonalDataKeyRingFolder(workflows, personal);
        try
        {
            var watch = Stopwatch.StartNew();
            if (command == "backup")
            {
                var manifest = await BackupAsync(Path.GetFullPath(file), workflows, keys, backup, TimeProvider.System).ConfigureAwait(false);
                await output.WriteLineAsync($"已备份 (backed up) {manifest.Database} 数据库和 {manifest.KeyRingFiles.Count} 个密钥文件到 {Path.GetFullPath(file)} ({new FileInfo(file).Length} bytes, {watch.Elapsed.TotalSeconds:0.0} s)").ConfigureAwait(false);
            }
            else
            {
                var manifest = await RestoreAsync(Path.GetFullPath(file), workflows, keys, backup).ConfigureAwait(false);
                await output.WriteLineAsync($"已恢复 (restored) {manifest.CreatedAt:u} 的备份：{manifest.Database} 数据库和 {manifest.KeyRingFiles.Count} 个密钥文件 ({watch.Elapsed.TotalSeconds:0.0} s)").ConfigureAwait(false);
            }

            return 0;
        }
        catch (BackupException e)
        {
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return 1;
        }
    }

    public static async Task<BackupManifest> BackupAsync(string file, WorkflowsOptions workflows, string keyRingFolder, BackupOptions options, TimeProvider time, CancellationToken cancellationToken = default)
    {
        var work = Directory.CreateTempSubdirectory("cw-backup-");
        try
        {
            string entry;
            var dump = Path.Combine(work.FullName, "database");
            if (workflows.Database == DatabaseProvider.Postgres)
            {
                entry = PostgresEntry;
                var (connection, password) = LibpqConnection(workflows.ConnectionString!);
                await RunToolAsync(options, "pg_dump", ["--format=custom", "--no-owner", "--no-privileges", $"--file={dump}", $"--dbname={connection}"], password, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                entry = SqliteEntry;
                var source = WorkflowHostExtensions.SqliteFile(workflows);
                if (!File.Exists(source))
                {
                    throw new BackupException($"没有可备份的数据库 (no database to back up): {source} 不存在；请检查 Workflows:DataFolder。");
                }

                // SQLite's online backup: a consistent copy of the file as of one moment, while the host goes on writing (WAL).
                await using var from = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = source, Mode = SqliteOpenMode.ReadOnly, Pooling = false, DefaultTimeout = 30 }.ToString());
                await using var to = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = dump, Pooling = false }.ToString());
                await from.OpenAsync(cancellationToken).ConfigureAwait(false);
                await to.OpenAsync(cancellationToken).ConfigureAwait(false);
                from.BackupDatabase(to);
            }

            var keyFiles = Directory.Exists(keyRingFolder) ? Directory.GetFiles(keyRingFolder).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList() : [];
            if (keyFiles.Count == 0)
            {
                throw new BackupException($"个人信息密钥目录为空或不存在 (the personal-data key ring is missing): {keyRingFolder}；没有它，备份中的加密数据无法读取。请检查 Workflows:PersonalData:KeyRingFolder。");
            }

            var manifest = new BackupManifest(Format, 1, workflows.Database, time.GetUtcNow(), entry, keyFiles);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            var partial = file + ".partial";
            await using (var stream = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                if (!OperatingSystem.IsWindows())
                {
                    // The archive holds the keys: readable by its owner only.
                    File.SetUnixFileMode(partial, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }

                using var zip = new ZipArchive(stream, ZipArchiveMode.Create);
                await using (var writer = new StreamWriter(zip.CreateEntry(ManifestEntry).Open()))
                {
                    await writer.WriteAsync(JsonSerializer.Serialize(manifest, ManifestJson)).ConfigureAwait(false);
                }

                zip.CreateEntryFromFile(dump, entry, CompressionLevel.Fastest);
                foreach (var key in keyFiles)
                {
                    zip.CreateEntryFromFile(Path.Combine(keyRingFolder, key), KeysFolder + key, CompressionLevel.Fastest);
                }
            }

            File.Move(partial, file, overwrite: true);
            return manifest;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    public static async Task<BackupManifest> RestoreAsync(string file, WorkflowsOptions workflows, string keyRingFolder, BackupOptions options, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(file))
        {
            throw new BackupException($"备份文件不存在 (no such backup file): {file}");
        }

        using var zip = ZipFile.OpenRead(file);
        BackupManifest? manifest;
        try
        {
            await using var stream = zip.GetEntry(ManifestEntry)?.Open() ?? throw new BackupException($"{file} 不是 ComplaintWorkflows 的备份 (no {ManifestEntry} in it).");
            manifest = await JsonSerializer.DeserializeAsync<BackupManifest>(stream, ManifestJson, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw new BackupException($"{file} 的 {ManifestEntry} 无法读取 (unreadable manifest): {e.Message}");
        }

        if (manifest is not { Format: Format, Version: 1 } || zip.GetEntry(manifest.DatabaseEntry) is not { } database)
        {
            throw new BackupException($"{file} 不是本版本可恢复的 ComplaintWorkflows 备份 (not a backup this version can restore).");
        }

        if (manifest.Database != workflows.Database)
        {
            throw new BackupException($"备份来自 {manifest.Database} 数据库，而 Workflows:Database 配置为 {workflows.Database} (the backup is of another kind of database).");
        }

        if (Directory.Exists(keyRingFolder) && Directory.EnumerateFileSystemEntries(keyRingFolder).Any())
        {
            throw new BackupException($"个人信息密钥目录不为空，拒绝覆盖 (refused: the key ring folder is not empty): {keyRingFolder} (Workflows:PersonalData:KeyRingFolder)。请恢复到新的、空的目录。");
        }

        if (workflows.Database == DatabaseProvider.Postgres)
        {
            await using (var connection = new NpgsqlConnection(workflows.ConnectionString))
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                await using var command = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')", connection);
                if (Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) is var tables and > 0)
                {
                    throw new BackupException($"数据库 {connection.Database} 不是空的（有 {tables} 张表），拒绝覆盖 (refused: the configured database is not empty). 请恢复到新建的空数据库 (Workflows:ConnectionString)。");
                }
            }

            var work = Directory.CreateTempSubdirectory("cw-restore-");
            try
            {
                var dump = Path.Combine(work.FullName, "database.pgdump");
                database.ExtractToFile(dump);
                var (libpq, password) = LibpqConnection(workflows.ConnectionString!);
                await RunToolAsync(options, "pg_restore", ["--no-owner", "--no-privileges", "--exit-on-error", $"--dbname={libpq}", dump], password, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                work.Delete(recursive: true);
            }
        }
        else
        {
            var target = WorkflowHostExtensions.SqliteFile(workflows);
            if (new[] { target, target + "-wal", target + "-shm" }.Any(f => File.Exists(f) && new FileInfo(f).Length > 0))
            {
                throw new BackupException($"数据目录中已有数据库，拒绝覆盖 (refused: a database is already there): {target}。请恢复到新的、空的数据目录 (Workflows:DataFolder)。");
            }

            database.ExtractToFile(target, overwrite: true);
        }

        Directory.CreateDirectory(keyRingFolder);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyRingFolder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        foreach (var key in manifest.KeyRingFiles)
        {
            var entry = zip.GetEntry(KeysFolder + key) ?? throw new BackupException($"备份缺少密钥文件 (the backup lacks a key file): {key}");
            entry.ExtractToFile(Path.Combine(keyRingFolder, Path.GetFileName(key)));
        }

        return manifest;
    }

    /// <summary>A libpq connection string (host, port, database, user) and the password, passed in PGPASSWORD so that it is not on a command line.</summary>
    private static (string Connection, string? Password) LibpqConnection(string connectionString)
    {
        var npgsql = new NpgsqlConnectionStringBuilder(connectionString);
        static string Quote(string value) => "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
        var parts = new List<string> { $"host={Quote(npgsql.Host ?? "localhost")}", $"port={npgsql.Port}", $"dbname={Quote(npgsql.Database ?? "postgres")}" };
        if (npgsql.Username is { Length: > 0 } user)
        {
            parts.Add($"user={Quote(user)}");
        }

        return (string.Join(' ', parts), npgsql.Password);
    }

    private static async Task RunToolAsync(BackupOptions options, string tool, IReadOnlyList<string> arguments, string? password, CancellationToken cancellationToken)
    {
        var path = ToolPath(options, tool);
        var start = new ProcessStartInfo(path) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (password is not null)
        {
            start.Environment["PGPASSWORD"] = password;
        }

        using var process = Process.Start(start) ?? throw new BackupException($"{tool} 无法启动 (could not start {path}).");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.PostgresToolTimeout);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        _ = await process.StandardOutput.ReadToEndAsync(timeout.Token).ConfigureAwait(false);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new BackupException($"{tool} 超过 {options.PostgresToolTimeout} 未结束 (timed out, Workflows:Backup:PostgresToolTimeout).");
        }

        if (process.ExitCode != 0)
        {
            throw new BackupException($"{tool} 失败，退出码 {process.ExitCode} (failed): {(await stderr.ConfigureAwait(false)).Trim()}");
        }
    }

    /// <summary>The configured folder's tool, else the newest PostgreSQL's under /usr/lib/postgresql (as Tests/infra/postgres.sh uses), else the PATH's.</summary>
    private static string ToolPath(BackupOptions options, string tool)
    {
        if (options.PostgresBinFolder is { Length: > 0 } folder)
        {
            var configured = Path.Combine(folder, tool);
            return File.Exists(configured) ? configured : throw new BackupException($"{configured} 不存在 (Workflows:Backup:PostgresBinFolder).");
        }

        const string installed = "/usr/lib/postgresql";
        if (Directory.Exists(installed))
        {
            var newest = Directory.GetDirectories(installed)
                .Select(d => (Folder: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
                .Where(d => d.Version >= 0 && File.Exists(Path.Combine(d.Folder, "bin", tool)))
                .OrderByDescending(d => d.Version).FirstOrDefault();
            if (newest.Folder is not null)
            {
                return Path.Combine(newest.Folder, "bin", tool);
            }
        }

        return tool;
    }
}

/// <summary>A backup or restore that cannot be done, with a message for the operator.</summary>
internal sealed class BackupException(string message) : Exception(message);
