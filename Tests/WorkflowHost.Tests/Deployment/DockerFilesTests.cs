using System.Text.Json;
using System.Text.RegularExpressions;
using ComplaintWorkflows.WorkflowHost.Tests.Docs;
using YamlDotNet.RepresentationModel;

namespace ComplaintWorkflows.WorkflowHost.Tests.Deployment;

/// <summary>
/// The files of <c>docker/</c>, checked without Docker: every environment variable given to a host in
/// <c>compose.yaml</c> or the Dockerfile is a setting the host reads (the options classes, by reflection, as the
/// settings table's test finds them) or one of ASP.NET Core's own; every path the Dockerfile copies from the build
/// context exists there and is not left out by <c>.dockerignore</c>; every folder compose mounts exists.
/// </summary>
public sealed partial class DockerFilesTests
{
    /// <summary>Environment variables ASP.NET Core itself reads (not options of ours).</summary>
    private static readonly HashSet<string> FrameworkVariables = new(StringComparer.Ordinal)
    {
        "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "ASPNETCORE_URLS", "ASPNETCORE_ENVIRONMENT",
        "ASPNETCORE_FORWARDEDHEADERS_ENABLED", "DOTNET_CLI_TELEMETRY_OPTOUT",
    };

    private static string Root => SettingsTableTests.RepositoryRoot();

    private static string Docker => Path.Combine(Root, "docker");

    [Fact]
    public void Compose_GivesTheHostsOnlySettingsTheHostReads()
    {
        var hosts = HostServices();
        Assert.True(hosts.Count >= 2, $"compose.yaml should run at least two hosts (services built from docker/Dockerfile); it has {hosts.Count}.");
        var unknown = hosts
            .SelectMany(h => Environment(h.Service).Select(e => (h.Name, e.Key, e.Value)))
            .Where(e => !IsKnown(e.Key))
            .Select(e => $"compose.yaml, service {e.Name}: {e.Key} is not a setting the host reads.")
            .ToList();
        Assert.True(unknown.Count == 0, string.Join("\n", unknown));
        foreach (var (name, service) in hosts)
        {
            var environment = Environment(service);
            Assert.Equal("Postgres", environment.GetValueOrDefault("Workflows__Database"));
            Assert.Contains("Host=postgres", environment.GetValueOrDefault("Workflows__ConnectionString") ?? "", StringComparison.Ordinal);
            Assert.True(name is "host" or "replica", $"unexpected host service {name}");
        }
    }

    [Fact]
    public void Dockerfile_SetsOnlySettingsTheHostReads()
    {
        // The runtime stage's (the last FROM): what the host runs with; the build stage's are the SDK's and npm's.
        var unknown = DockerfileInstructions("ENV", lastStageOnly: true)
            .SelectMany(EnvNames)
            .Where(name => !IsKnown(name))
            .Select(name => $"docker/Dockerfile: ENV {name} is not a setting the host reads.")
            .ToList();
        Assert.True(unknown.Count == 0, string.Join("\n", unknown));
    }

    [Fact]
    public void Dockerfile_CopiesOnlyPathsThatAreInTheBuildContext()
    {
        // The build context is what compose.yaml names, relative to docker/ (the repository root).
        var build = (YamlMappingNode)HostServices()[0].Service.Children[new YamlScalarNode("build")];
        var context = Path.GetFullPath(Path.Combine(Docker, Scalar(build, "context")));
        Assert.Equal(Path.TrimEndingDirectorySeparator(Root), Path.TrimEndingDirectorySeparator(context));
        Assert.True(File.Exists(Path.Combine(context, Scalar(build, "dockerfile"))), "compose.yaml's build.dockerfile does not exist.");

        var ignore = DockerIgnore(Path.Combine(context, ".dockerignore"));
        var problems = new List<string>();
        var copied = 0;
        foreach (var line in DockerfileInstructions("COPY"))
        {
            var words = CopyArguments(line);
            if (words.Any(w => w.StartsWith("--from=", StringComparison.Ordinal)))
            {
                continue; // from another stage or image, not from the build context
            }

            foreach (var source in words.Where(w => !w.StartsWith("--", StringComparison.Ordinal)).SkipLast(1))
            {
                copied++;
                var relative = source.TrimEnd('/');
                if (!File.Exists(Path.Combine(context, relative)) && !Directory.Exists(Path.Combine(context, relative)))
                {
                    problems.Add($"docker/Dockerfile copies {source}, which is not in the build context.");
                }
                else if (ignore.Where(p => p.Regex.IsMatch(relative)).Select(p => p.Text).FirstOrDefault() is { } pattern)
                {
                    problems.Add($"docker/Dockerfile copies {source}, which .dockerignore leaves out ({pattern}).");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(copied >= 5, $"docker/Dockerfile copies only {copied} paths from the build context: was the COPY syntax misread?");
    }

    [Fact]
    public void Compose_MountsOnlyFoldersThatExist()
    {
        var services = (YamlMappingNode)Compose().Children[new YamlScalarNode("services")];
        var missing = new List<string>();
        foreach (var (key, value) in services.Children)
        {
            if (((YamlMappingNode)value).Children.TryGetValue(new YamlScalarNode("volumes"), out var volumes))
            {
                foreach (var mount in ((YamlSequenceNode)volumes).Children.Select(v => ((YamlScalarNode)v).Value!))
                {
                    var source = mount.Split(':')[0];
                    if (source.StartsWith('.') && !Path.Exists(Path.Combine(Docker, source)))
                    {
                        missing.Add($"compose.yaml, service {key}: {source} does not exist beside compose.yaml.");
                    }
                }
            }
        }

        Assert.True(missing.Count == 0, string.Join("\n", missing));
        Assert.True(File.Exists(Path.Combine(Docker, "nginx", "proxy.inc")), "docker/nginx/proxy.inc (included by default.conf) is missing.");
    }

    /// <summary>A setting of a bound options class (<c>Workflows__Sms__Provider</c>), with <c>&lt;n&gt;</c> and <c>&lt;name&gt;</c> as any segment, or one of ASP.NET Core's.</summary>
    private static bool IsKnown(string variable) =>
        FrameworkVariables.Contains(variable) || SettingPatterns.Value.Any(p => p.IsMatch(variable.Replace("__", ":", StringComparison.Ordinal)));

    private static readonly Lazy<List<Regex>> SettingPatterns = new(() =>
        [.. SettingsCatalogue.All().Select(s => new Regex(
            "^" + Regex.Escape(s.Key).Replace("<n>", "[0-9]+", StringComparison.Ordinal).Replace("<name>", "[^:]+", StringComparison.Ordinal) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant))]);

    private static YamlMappingNode Compose()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Docker, "compose.yaml"));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    /// <summary>The services built from docker/Dockerfile (the hosts), with <c>&lt;&lt;</c> merges applied.</summary>
    private static List<(string Name, YamlMappingNode Service)> HostServices()
    {
        var services = (YamlMappingNode)Compose().Children[new YamlScalarNode("services")];
        return [.. services.Children
            .Select(s => (Name: ((YamlScalarNode)s.Key).Value!, Service: Merged((YamlMappingNode)s.Value)))
            .Where(s => s.Service.Children.ContainsKey(new YamlScalarNode("build")))];
    }

    private static YamlMappingNode Merged(YamlMappingNode node)
    {
        var merged = new YamlMappingNode();
        if (node.Children.TryGetValue(new YamlScalarNode("<<"), out var baseNode))
        {
            foreach (var (key, value) in Merged((YamlMappingNode)baseNode).Children)
            {
                merged.Children[key] = value;
            }
        }

        foreach (var (key, value) in node.Children.Where(c => ((YamlScalarNode)c.Key).Value != "<<"))
        {
            merged.Children[key] = value;
        }

        return merged;
    }

    /// <summary>A service's environment, written as a mapping or as a list of NAME=value.</summary>
    private static Dictionary<string, string?> Environment(YamlMappingNode service)
    {
        if (!service.Children.TryGetValue(new YamlScalarNode("environment"), out var node))
        {
            return [];
        }

        return node switch
        {
            YamlMappingNode map => map.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ((YamlScalarNode)c.Value).Value, StringComparer.Ordinal),
            YamlSequenceNode list => list.Children.Select(c => ((YamlScalarNode)c).Value!.Split('=', 2))
                .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : null, StringComparer.Ordinal),
            _ => throw new InvalidOperationException("compose.yaml: environment is neither a mapping nor a list."),
        };
    }

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node.Children[new YamlScalarNode(key)]).Value!;

    /// <summary>The Dockerfile's instructions of one kind (of every stage, or of the last), continuation lines joined, comments dropped.</summary>
    private static IEnumerable<string> DockerfileInstructions(string instruction, bool lastStageOnly = false)
    {
        var text = File.ReadAllText(Path.Combine(Docker, "Dockerfile")).ReplaceLineEndings("\n");
        var lines = text.Split('\n').Where(l => !l.TrimStart().StartsWith('#'));
        var joined = string.Join("\n", lines).Replace("\\\n", " ", StringComparison.Ordinal);
        var instructions = joined.Split('\n').Select(l => l.Trim()).ToList();
        var lastFrom = instructions.FindLastIndex(l => l.StartsWith("FROM ", StringComparison.OrdinalIgnoreCase));
        return instructions
            .Skip(lastStageOnly ? lastFrom : 0)
            .Where(l => l.StartsWith(instruction + " ", StringComparison.OrdinalIgnoreCase))
            .Select(l => l[(instruction.Length + 1)..].Trim());
    }

    /// <summary>COPY's words, in the shell form (<c>COPY a b dest/</c>) or the JSON form (<c>COPY ["a", "dest/"]</c>).</summary>
    private static List<string> CopyArguments(string arguments)
    {
        var words = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        var json = words.FindIndex(w => w.StartsWith('['));
        if (json < 0)
        {
            return words;
        }

        var array = JsonSerializer.Deserialize<List<string>>(string.Join(' ', words.Skip(json)))!;
        return [.. words.Take(json), .. array];
    }

    /// <summary>The names an ENV instruction sets (<c>ENV A=1 B=2</c>, or the old <c>ENV A 1</c>).</summary>
    private static IEnumerable<string> EnvNames(string arguments) =>
        arguments.Contains('=', StringComparison.Ordinal)
            ? EnvAssignment().Matches(arguments).Select(m => m.Groups[1].Value)
            : [arguments.Split(' ', 2)[0]];

    [GeneratedRegex(@"(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)=")]
    private static partial Regex EnvAssignment();

    /// <summary>The patterns of a .dockerignore as regular expressions over paths relative to the context.</summary>
    private static List<(string Text, Regex Regex)> DockerIgnore(string path) =>
        [.. File.ReadAllLines(path)
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith('!'))
            .Select(l => (l, new Regex("^" + IgnorePattern(l.TrimEnd('/')) + "(/.*)?$", RegexOptions.CultureInvariant)))];

    private static string IgnorePattern(string glob) =>
        Regex.Escape(glob)
            .Replace(@"\*\*/", "(.*/)?", StringComparison.Ordinal)
            .Replace(@"\*\*", ".*", StringComparison.Ordinal)
            .Replace(@"\*", "[^/]*", StringComparison.Ordinal)
            .Replace(@"\?", "[^/]", StringComparison.Ordinal);
}
