using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Playwright;

namespace ComplaintWorkflows.Benchmarks;

/// <summary>
/// How long the process designer takes to open a large process in headless chromium: a generated process of
/// 300 flow nodes (user tasks, service tasks calling our activities, gateway pairs) and their sequence flows is
/// deployed to a host started on a fresh SQLite database, then opened in the designer again and again; the time
/// is from navigation start to the diagram shown with its properties panel ready. The target is under 2 s.
/// </summary>
internal static class DesignerBenchmark
{
    private const string AdminPassword = "Benchmark-Admin-2026";
    private const string ProcessKey = "designer-benchmark";
    private const string Chromium = "/usr/bin/chromium";
    private static readonly string[] ChromiumArgs = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    public static async Task<int> RunAsync(int nodes, int rounds, TextWriter output)
    {
        if (!File.Exists(Chromium))
        {
            output.WriteLine($"the designer benchmark needs Debian's chromium at {Chromium} (apt-get install chromium)");
            return 2;
        }

        var webRoot = Path.Combine(RepositoryRoot(), "WorkflowHost", "wwwroot");
        using var host = await HostProcess.StartAsync(output, new Dictionary<string, string>
        {
            ["ASPNETCORE_WEBROOT"] = webRoot,
            ["Workflows__Identity__InitialAdminPassword"] = AdminPassword,
            ["Workflows__SeedDemoComplaints"] = "false",
        });

        var (xml, flowNodes, flows) = Generate(nodes);
        using (var http = new HttpClient { BaseAddress = new Uri(host.Url) })
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{AdminPassword}")));
            using var deployed = await http.PostAsync(new Uri("/api/process-definitions", UriKind.Relative), new StringContent(xml, Encoding.UTF8, "application/xml"));
            if (!deployed.IsSuccessStatusCode)
            {
                output.WriteLine($"deploying the generated process failed: {(int)deployed.StatusCode} {await deployed.Content.ReadAsStringAsync()}");
                return 1;
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"generated process: {flowNodes} flow nodes and {flows} sequence flows ({flowNodes + flows} elements, {xml.Length / 1024} KiB of XML)"));
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true, Args = ChromiumArgs });
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = host.Url, Locale = "zh-CN", ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });
        var login = await context.APIRequest.PostAsync("/api/auth/login", new() { DataObject = new { userName = "admin", password = AdminPassword } });
        if (!login.Ok)
        {
            output.WriteLine($"sign-in failed: {login.Status}");
            return 1;
        }

        var times = new List<(double Total, double Import)>();
        for (var round = 0; round <= rounds; round++)
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync($"/designer/?key={ProcessKey}&version=1");
            await page.Locator("#canvas[data-state=ready]").WaitForAsync(new() { Timeout = 60_000 });
            var total = await page.EvaluateAsync<double>("() => performance.getEntriesByName('cw-diagram-ready')[0].startTime");
            var import = double.Parse(await page.Locator("#canvas").GetAttributeAsync("data-import-ms") ?? "0", CultureInfo.InvariantCulture);
            var shapes = await page.Locator("#canvas .djs-shape").CountAsync();
            if (round == 0)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warm-up: {total:F0} ms ({shapes} shapes drawn)"));
            }
            else
            {
                times.Add((total, import));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}: {total:F0} ms from navigation to the diagram shown, of which {import:F0} ms importing and drawing"));
            }

            await page.CloseAsync();
        }

        var median = times.OrderBy(t => t.Total).ElementAt(times.Count / 2);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"designer: {median.Total:F0} ms to open a {flowNodes + flows}-element process (median of {times.Count}; import and drawing {median.Import:F0} ms; target < 2000 ms)"));
        return 0;
    }

    /// <summary>A process of <paramref name="nodes"/> flow nodes laid out in rows, with its diagram.</summary>
    internal static (string Xml, int FlowNodes, int Flows) Generate(int nodes)
    {
        var process = new StringBuilder();
        var diagram = new StringBuilder();
        var flows = 0;
        var count = 0;
        const int PerRow = 20;
        const int Step = 160;
        const int RowHeight = 220;
        string? previous = null;
        (int X, int Y, int W, int H) previousBox = default;

        (int X, int Y) Slot(int index) => (100 + (index % PerRow) * Step, 100 + (index / PerRow) * RowHeight);

        void Flow(string from, (int X, int Y, int W, int H) a, string to, (int X, int Y, int W, int H) b)
        {
            var id = $"flow_{++flows}";
            process.Append(CultureInfo.InvariantCulture, $"<bpmn:sequenceFlow id=\"{id}\" sourceRef=\"{from}\" targetRef=\"{to}\" />\n");
            var (x1, y1) = (a.X + a.W, a.Y + a.H / 2);
            var (x2, y2) = (b.X, b.Y + b.H / 2);
            diagram.Append(CultureInfo.InvariantCulture, $"<bpmndi:BPMNEdge id=\"{id}_di\" bpmnElement=\"{id}\"><di:waypoint x=\"{x1}\" y=\"{y1}\" />");
            if (y1 != y2)
            {
                diagram.Append(CultureInfo.InvariantCulture, $"<di:waypoint x=\"{x1 + 20}\" y=\"{y1}\" /><di:waypoint x=\"{x1 + 20}\" y=\"{y2 - 90}\" /><di:waypoint x=\"{x2 - 20}\" y=\"{y2 - 90}\" /><di:waypoint x=\"{x2 - 20}\" y=\"{y2}\" />");
            }

            diagram.Append(CultureInfo.InvariantCulture, $"<di:waypoint x=\"{x2}\" y=\"{y2}\" /></bpmndi:BPMNEdge>\n");
        }

        void Node(string id, string element, (int W, int H) size, string attributes = "", string body = "")
        {
            var (x, y) = Slot(count++);
            var box = (x, y + (80 - size.H) / 2, size.W, size.H);
            process.Append(CultureInfo.InvariantCulture, $"<bpmn:{element} id=\"{id}\" name=\"{id}\"{attributes}>{body}</bpmn:{element}>\n");
            diagram.Append(CultureInfo.InvariantCulture, $"<bpmndi:BPMNShape id=\"{id}_di\" bpmnElement=\"{id}\"><dc:Bounds x=\"{box.x}\" y=\"{box.Item2}\" width=\"{size.W}\" height=\"{size.H}\" /></bpmndi:BPMNShape>\n");
            if (previous is not null)
            {
                Flow(previous, previousBox, id, box);
            }

            previous = id;
            previousBox = box;
        }

        Node("start", "startEvent", (36, 36));
        var task = 0;
        while (count < nodes - 1)
        {
            task++;
            switch (task % 4)
            {
                case 0:
                    Node($"review_{task}", "userTask", (100, 80), " camunda:candidateGroups=\"intake_desk\" camunda:dueDate=\"${acceptanceDueAt}\"");
                    break;
                case 1:
                    Node($"note_{task}", "serviceTask", (100, 80), " camunda:delegateExpression=\"${complaint.note}\"",
                        "<bpmn:extensionElements><camunda:inputOutput><camunda:inputParameter name=\"text\">第 " + task.ToString(CultureInfo.InvariantCulture) + " 步</camunda:inputParameter><camunda:inputParameter name=\"kind\">benchmark</camunda:inputParameter></camunda:inputOutput></bpmn:extensionElements>");
                    break;
                case 2:
                    Node($"split_{task}", "parallelGateway", (50, 50));
                    break;
                default:
                    Node($"join_{task}", "parallelGateway", (50, 50));
                    break;
            }
        }

        Node("end", "endEvent", (36, 36));
        var xml = $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs_bench" targetNamespace="https://complaintworkflows.example/processes">
            <bpmn:process id="{ProcessKey}" name="设计器基准 (Designer benchmark)" isExecutable="true">
            {process}</bpmn:process>
            <bpmndi:BPMNDiagram id="diagram_bench"><bpmndi:BPMNPlane id="plane_bench" bpmnElement="{ProcessKey}">
            {diagram}</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
            </bpmn:definitions>
            """;
        return (xml, count, flows);
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ComplaintWorkflows.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No ComplaintWorkflows.sln above {AppContext.BaseDirectory}.");
    }
}
