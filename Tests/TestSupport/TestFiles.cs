using Microsoft.Data.Sqlite;

namespace ComplaintWorkflows.TestSupport;

/// <summary>
/// Throwaway files and folders (SQLite databases, host data folders) under one folder per test process in the
/// system's temp folder, removed when the process ends; a test that owns a folder may delete it earlier.
/// </summary>
public static class TestFiles
{
    private static readonly Lazy<string> RootFolder = new(CreateRoot);

    /// <summary>This process's folder: &lt;temp&gt;/complaintworkflows-tests/&lt;process id&gt;.</summary>
    public static string Root => RootFolder.Value;

    /// <summary>Creates an empty folder of its own (named <paramref name="purpose"/>-&lt;guid&gt;) and answers its path.</summary>
    public static string NewFolder(string purpose = "data")
    {
        var folder = Path.Combine(Root, $"{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>A path for a file no other test uses (not created), e.g. a new SQLite database.</summary>
    public static string NewFile(string purpose = "db", string extension = ".db") => Path.Combine(Root, $"{purpose}-{Guid.NewGuid():N}{extension}");

    /// <summary>A path for a new SQLite database file.</summary>
    public static string NewSqliteFile(string purpose = "db") => NewFile(purpose);

    /// <summary>Closes pooled SQLite connections (which keep the files open) and deletes the folder, if it is still there.</summary>
    public static void DeleteFolder(string folder)
    {
        SqliteConnection.ClearAllPools();
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // A file may still be closing: the process's folder goes when the process ends.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }

    private static string CreateRoot()
    {
        var folder = Path.Combine(Path.GetTempPath(), "complaintworkflows-tests", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteFolder(folder);
        return folder;
    }
}
