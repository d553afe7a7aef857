using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using ComplaintWorkflows.Activities.Organisation;
using ComplaintWorkflows.Engine.Runtime;
using ComplaintWorkflows.TestSupport;
using ComplaintWorkflows.WorkflowHost.Complaints;
using ComplaintWorkflows.WorkflowHost.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ComplaintWorkflows.WorkflowHost.Tests.Complaints;

/// <summary>
/// The host with the shipped processes, the demo organisation and a fake clock starting on Monday
/// 2026-11-23 10:00 in Beijing (office hours). Timers fire when <see cref="AdvanceAsync"/> moves the clock.
/// Clients act as demo staff: their claims come from the organisation's staff profiles, exactly what sign-in
/// puts in them, through a test authentication scheme.
/// </summary>
public sealed class ComplaintHost : WebApplicationFactory<Program>
{
    public static readonly DateTimeOffset Start = TestClock.Start;

    public string DataFolder { get; } = TestFiles.NewFolder("scenario");

    public FakeTimeProvider Time { get; } = TestClock.New();

    /// <summary>Whether the demo complaints are filed at start (off: scenarios start from an empty complaint list).</summary>
    public bool SeedDemoComplaints { get; init; }

    /// <summary>More settings (e.g. <c>Workflows:Email:Host</c>).</summary>
    public IDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>More test services (e.g. an SMS sender standing in for the provider).</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    /// <summary>Whether the background delivery worker runs (off: <see cref="DeliverAsync"/> delivers, so a test knows when).</summary>
    public bool DeliveryWorker { get; init; }

    /// <summary>Everything the host logged, formatted: for tests that check what logs may not contain.</summary>
    public CapturedLogs Logs { get; } = new();

    public WorkflowEngine Engine => Services.GetRequiredService<WorkflowEngine>();

    /// <summary>Delivers the notifications that are due, as the worker would; returns how many were attempted.</summary>
    public Task<int> DeliverAsync() => Services.GetRequiredService<ComplaintWorkflows.Activities.Messaging.NotificationDispatcher>().DeliverDueAsync();

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    /// <summary>A client acting as a demo staff member (by user name), with "consumer:&lt;id&gt;" as a signed-in consumer, with "business:&lt;user&gt;" as an ODR business's account.</summary>
    public HttpClient As(string user)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add(TestAuthentication.Header, user);
        return client;
    }

    public HttpClient Anonymous() => CreateClient();

    /// <summary>Moves the clock and lets what fell due happen (timers, jobs).</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        Time.Advance(by);
        await Engine.FireDueTimersAsync();
        await Engine.RunPendingJobsAsync();
        await DeliverAsync();
    }

    /// <summary>Moves the clock to a local (Beijing) instant.</summary>
    public Task AdvanceToAsync(DateTimeOffset instant) => AdvanceAsync(instant - Time.GetUtcNow());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Workflows:DataFolder", DataFolder);
        builder.UseSetting("Workflows:RateLimits:Enabled", "false");
        builder.UseSetting("Workflows:Identity:InitialAdminMustChangePassword", "false");
        builder.UseSetting("Workflows:Timers:UseQuartz", "false");
        builder.UseSetting("Workflows:SeedDemoComplaints", SeedDemoComplaints ? "true" : "false");
        builder.UseSetting("Workflows:PollInterval", "01:00:00");
        builder.UseSetting("Workflows:Notifications:DeliveryEnabled", DeliveryWorker ? "true" : "false");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            TestServices?.Invoke(services);
            services.AddSingleton<TimeProvider>(Time);
            services.AddQuickPasswordHashing();
            services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Logs);
            services.AddAuthentication(TestAuthentication.SchemeName).AddScheme<AuthenticationSchemeOptions, TestAuthentication>(TestAuthentication.SchemeName, null);
            services.PostConfigure<AuthenticationOptions>(o =>
            {
                o.DefaultScheme = TestAuthentication.SchemeName;
                o.DefaultAuthenticateScheme = TestAuthentication.SchemeName;
                o.DefaultChallengeScheme = TestAuthentication.SchemeName;
                o.DefaultForbidScheme = TestAuthentication.SchemeName;
            });
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        TestFiles.DeleteFolder(DataFolder);
    }
}

/// <summary>Authenticates the user named in the X-Test-User header with the claims sign-in gives them.</summary>
internal sealed class TestAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, Microsoft.Extensions.Logging.ILoggerFactory logger, UrlEncoder encoder, OrganisationService organisation,
    Microsoft.EntityFrameworkCore.IDbContextFactory<ComplaintWorkflows.Activities.Data.DomainDbContext> domain)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Test";
    public const string Header = "X-Test-User";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var values) || values.ToString() is not { Length: > 0 } user)
        {
            return AuthenticateResult.NoResult();
        }

        var claims = new List<Claim>();
        StaffProfile? profile = null;
        if (user.StartsWith("consumer:", StringComparison.Ordinal))
        {
            claims.Add(new Claim(ClaimTypes.Name, user));
            claims.Add(new Claim(ClaimTypes.NameIdentifier, user["consumer:".Length..]));
            claims.Add(new Claim(ClaimTypes.Role, RoleNames.Consumer));
        }
        else if (user.StartsWith("business:", StringComparison.Ordinal))
        {
            // An enterprise portal account: its business from cw_odr_account, as sign-in's claims factory reads it.
            var userName = user["business:".Length..];
            claims.Add(new Claim(ClaimTypes.Name, userName));
            claims.Add(new Claim(ClaimTypes.NameIdentifier, userName));
            claims.Add(new Claim(ClaimTypes.Role, RoleNames.Business));
            if (await ComplaintWorkflows.WorkflowHost.Odr.OdrAccounts.BusinessOfAsync(domain, userName) is { } business)
            {
                claims.Add(new Claim(StaffUser.BusinessClaim, business));
            }
        }
        else
        {
            profile = await organisation.ProfileAsync(user);
            if (profile is null)
            {
                return AuthenticateResult.Fail($"No demo staff member {user}.");
            }

            claims.Add(new Claim(ClaimTypes.Name, profile.UserName));
            claims.Add(new Claim(ClaimTypes.NameIdentifier, profile.UserName));
            claims.AddRange(profile.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
            claims.Add(new Claim(StaffUser.UnitClaim, profile.UnitId));
        }

        var identity = new ClaimsIdentity(claims, SchemeName);
        if (profile is not null)
        {
            StaffUser.AddOrganisationClaims(identity, profile);
        }

        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = (int)HttpStatusCode.Unauthorized;
        return Task.CompletedTask;
    }
}

/// <summary>Keeps every formatted log message (with its exception) of a host.</summary>
public sealed class CapturedLogs : Microsoft.Extensions.Logging.ILoggerProvider
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _messages = new();

    public IReadOnlyList<string> Messages => [.. _messages];

    public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new Logger(categoryName, _messages);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, System.Collections.Concurrent.ConcurrentQueue<string> messages) : Microsoft.Extensions.Logging.ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => logLevel >= Microsoft.Extensions.Logging.LogLevel.Debug;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => messages.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
