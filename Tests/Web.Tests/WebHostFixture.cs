using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using ComplaintWorkflows.TestSupport;
using Microsoft.Playwright;

namespace ComplaintWorkflows.Web.Tests;

/// <summary>
/// The real host as a process of its own on a free loopback port, with a fresh SQLite data folder, the demo
/// organisation and a known administrator and demo-staff password, and Debian's chromium driven by Playwright.
/// One host and one browser for the whole collection; every test opens its own browser context (own cookies).
/// </summary>
public sealed class WebHostFixture : IAsyncLifetime
{
    public const string AdminUser = "admin";
    public const string AdminPassword = "Web-Tests-Admin-2026";
    public const string DemoPassword = "Web-Tests-Demo-2026";
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private readonly StringBuilder _hostOutput = new();
    private Process? _host;
    private string? _dataFolder;
    private IPlaywright? _playwright;

    public Uri BaseUrl { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>An HTTP client signed in as the administrator (HTTP Basic), for arranging data through the API.</summary>
    public HttpClient Admin { get; private set; } = null!;

    /// <summary>Where screenshots go: $COMPLAINTWORKFLOWS_SCREENSHOTS (test.sh sets it under its results), else TestResults/screenshots.</summary>
    public string ScreenshotFolder { get; } = Environment.GetEnvironmentVariable("COMPLAINTWORKFLOWS_SCREENSHOTS") is { Length: > 0 } folder
        ? folder
        : Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    /// <summary>The repository's root (the folder of ComplaintWorkflows.sln).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"The browser tests need Debian's chromium at {ChromiumPath}: apt-get install chromium fonts-noto-cjk (./test.sh installs them).");
        }

        Directory.CreateDirectory(ScreenshotFolder);
        await StartHostAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    public async Task DisposeAsync()
    {
        Admin?.Dispose();
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_host is { HasExited: false })
        {
            _host.Kill(entireProcessTree: true);
            await _host.WaitForExitAsync();
        }

        _host?.Dispose();
        if (_dataFolder is not null)
        {
            TestFiles.DeleteFolder(_dataFolder);
        }
    }

    /// <summary>A new browser context (own cookies), Chinese, with a page; a phone-sized (390×844) or wide (1920×1080) viewport if asked.</summary>
    public async Task<IPage> NewPageAsync(bool phone = false, string locale = "zh-CN", bool wide = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl.ToString(),
            Locale = locale,
            TimezoneId = "Asia/Shanghai",
            ViewportSize = phone ? new ViewportSize { Width = 390, Height = 844 } : wide ? new ViewportSize { Width = 1920, Height = 1080 } : new ViewportSize { Width = 1440, Height = 900 },
            IsMobile = phone,
            HasTouch = phone,
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, message) => errors.Add(message);
        PageErrors[page] = errors;
        return page;
    }

    /// <summary>The header every call of the pages carries (ClientApp/src/shared/api.js); a cookie-authenticated change without it is refused as cross-site.</summary>
    public static IReadOnlyDictionary<string, string> PageHeaders { get; } = new Dictionary<string, string> { ["X-CW-Request"] = "1" };

    /// <summary>Uncaught script errors a page raised (a page that throws is a failing page).</summary>
    public Dictionary<IPage, List<string>> PageErrors { get; } = [];

    /// <summary>Signs in through the sign-in page, as a user would, and waits for the page it returns to.</summary>
    public static async Task SignInAsync(IPage page, string userName, string password, string returnUrl = "/")
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync("/login/?returnUrl=" + Uri.EscapeDataString(returnUrl));
        await page.FillAsync("#login-user", userName);
        await page.FillAsync("#login-password", password);
        await page.ClickAsync("#login-submit");
        await page.WaitForURLAsync(url => new Uri(url).PathAndQuery.StartsWith(returnUrl, StringComparison.Ordinal) && !url.Contains("/login/", StringComparison.Ordinal));
    }

    public static Task SignInAsAdminAsync(IPage page, string returnUrl = "/") => SignInAsync(page, AdminUser, AdminPassword, returnUrl);

    /// <summary>Saves a full-page screenshot as test output and answers its path.</summary>
    public async Task<string> ScreenshotAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        var file = Path.Combine(ScreenshotFolder, $"{name}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
        return file;
    }

    /// <summary>Creates a user with a password and roles through the administration API (the password is the demo one).</summary>
    public async Task CreateUserAsync(string userName, params string[] roles)
    {
        using var response = await Admin.PostAsJsonAsync("/api/admin/users", new { userName, displayName = userName, password = DemoPassword, roles });
        if (response.StatusCode != HttpStatusCode.Created && response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Creating user {userName} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>An HTTP client signed in (Basic) as the given user.</summary>
    public HttpClient ClientFor(string userName, string password)
    {
        var client = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = TestCredentials.Basic(userName, password);
        return client;
    }

    /// <summary>What the host printed, for failure messages.</summary>
    public string HostOutput
    {
        get
        {
            lock (_hostOutput)
            {
                return _hostOutput.ToString();
            }
        }
    }

    private async Task StartHostAsync()
    {
        var webRoot = Path.Combine(RepositoryRoot, "WorkflowHost", "wwwroot");
        if (!File.Exists(Path.Combine(webRoot, "index.html")))
        {
            throw new InvalidOperationException($"The web pages are not built ({webRoot}/index.html is missing): build WorkflowHost (it runs npm) without SkipClientApp.");
        }

        _dataFolder = TestFiles.NewFolder("web");
        using (var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            BaseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");
            listener.Stop();
        }

        var start = new ProcessStartInfo("dotnet", $"\"{Path.Combine(AppContext.BaseDirectory, "ComplaintWorkflows.WorkflowHost.dll")}\"")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _dataFolder,
        };
        start.Environment["ASPNETCORE_URLS"] = BaseUrl.ToString().TrimEnd('/');
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_WEBROOT"] = webRoot;
        start.Environment["Workflows__DataFolder"] = _dataFolder;
        start.Environment["Workflows__Database"] = "Sqlite";
        start.Environment["Workflows__SeedDemoData"] = "true";
        start.Environment["Workflows__Identity__InitialAdminPassword"] = AdminPassword;
        start.Environment["Workflows__Identity__DemoPassword"] = DemoPassword;
        start.Environment["Workflows__Identity__InitialAdminMustChangePassword"] = "false";

        // The tests sign in dozens of times from loopback; the limits are shown by WorkflowHost.Tests' RateLimitTests.
        start.Environment["Workflows__RateLimits__Enabled"] = "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        _host = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        _host.OutputDataReceived += (_, e) => Record(e.Data);
        _host.ErrorDataReceived += (_, e) => Record(e.Data);
        _host.BeginOutputReadLine();
        _host.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = BaseUrl };
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(120))
        {
            try
            {
                using var health = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (health.IsSuccessStatusCode)
                {
                    Admin = ClientFor(AdminUser, AdminPassword);
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (_host.HasExited)
            {
                throw new InvalidOperationException($"The host exited with code {_host.ExitCode} while starting:\n{HostOutput}");
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"The host did not become ready within 120 s:\n{HostOutput}");
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_hostOutput)
        {
            _hostOutput.AppendLine(line);
        }
    }

    private static string FindRepositoryRoot()
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

[CollectionDefinition(Name)]
public sealed class WebTestGroup : ICollectionFixture<WebHostFixture>
{
    public const string Name = "web";
}
