using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ComplaintWorkflows.Activities.Organisation;

namespace ComplaintWorkflows.Benchmarks;

/// <summary>One signed-in person: a cookie client through the load balancer, sending <c>X-CW-Request</c> as the pages do.</summary>
internal sealed class StaffSession : IDisposable
{
    private StaffSession(string userName, HttpClient http)
    {
        UserName = userName;
        Http = http;
    }

    public string UserName { get; }

    public HttpClient Http { get; }

    /// <summary>Signs in with the password (again and again while hosts are down, up to <paramref name="patience"/>).</summary>
    public static async Task<StaffSession> SignInAsync(Uri baseAddress, string userName, string password, TimeSpan patience, CancellationToken cancellationToken = default)
    {
        var handler = new SocketsHttpHandler { CookieContainer = new CookieContainer(), PooledConnectionLifetime = TimeSpan.FromSeconds(30) };
        var http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-CW-Request", "1");
        var deadline = TimeProvider.System.GetUtcNow() + patience;
        while (true)
        {
            try
            {
                using var login = await http.PostAsJsonAsync("/api/auth/login", new { userName, password }, cancellationToken).ConfigureAwait(false);
                if (login.IsSuccessStatusCode)
                {
                    return new StaffSession(userName, http);
                }

                if (TimeProvider.System.GetUtcNow() > deadline || login.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                {
                    http.Dispose();
                    throw new InvalidOperationException($"{userName} could not sign in: {(int)login.StatusCode} {await login.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)}");
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested && TimeProvider.System.GetUtcNow() < deadline)
            {
            }

            await Task.Delay(500, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => Http.Dispose();
}

/// <summary>
/// Staff working their inboxes as the pages do: each person lists their tasks (<c>GET /api/inbox/tasks</c>), opens one
/// (<c>GET /api/inbox/tasks/{id}</c>, the form and the values it shows) and completes it with the form's fields
/// (<c>POST /api/inbox/tasks/{id}/complete</c>): dispatch review (the suggestion confirmed as it stands), acceptance,
/// mediation, closing record (signed by the handler and a desk officer), the reviews (approved), the survey follow-up
/// call and supervision. A task another member of its group completed first, or whose answer was lost with a killed
/// host, is simply no longer in the inbox at the next look.
/// </summary>
internal sealed class CampaignStaff(IReadOnlyList<StaffSession> people, TextWriter output)
{
    private long _completed;
    private long _refused;
    private readonly ConcurrentDictionary<string, int> _unknown = new(StringComparer.Ordinal);

    /// <summary>Tasks completed with a 2xx answer.</summary>
    public long Completed => Interlocked.Read(ref _completed);

    /// <summary>Completions answered 4xx other than "gone" (a form the campaign filled wrongly: a failed check).</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Element ids of tasks the campaign does not know how to complete, with how often they were seen.</summary>
    public IReadOnlyDictionary<string, int> Unknown => _unknown;

    /// <summary>Every person of the demo organisation but the first administrator (who has a password of their own), signed in with the demo password.</summary>
    public static async Task<IReadOnlyList<StaffSession>> SignInAllAsync(Uri baseAddress, string password, CancellationToken cancellationToken = default)
    {
        var sessions = new List<StaffSession>();
        foreach (var user in DemoOrganisation.Users.Where(u => u.UserName != "admin"))
        {
            sessions.Add(await StaffSession.SignInAsync(baseAddress, user.UserName, password, TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false));
        }

        return sessions;
    }

    /// <summary>Runs <paramref name="workers"/> loops, each looking through the inboxes of its share of the people, until cancelled.</summary>
    public Task RunAsync(int workers, TimeSpan pause, CancellationToken stop)
        => Task.WhenAll(Enumerable.Range(0, workers).Select(w => WorkAsync([.. people.Where((_, i) => i % workers == w)], pause, stop)));

    private async Task WorkAsync(IReadOnlyList<StaffSession> mine, TimeSpan pause, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            foreach (var person in mine)
            {
                if (stop.IsCancellationRequested)
                {
                    return;
                }

                try
                {
                    await WorkInboxAsync(person, stop).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
                {
                    // A host died under the request (nginx answers 502 or the connection drops): next round.
                }
            }

            try
            {
                await Task.Delay(pause, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task WorkInboxAsync(StaffSession person, CancellationToken stop)
    {
        using var listed = await person.Http.GetAsync(new Uri("/api/inbox/tasks", UriKind.Relative), stop).ConfigureAwait(false);
        if (!listed.IsSuccessStatusCode)
        {
            return;
        }

        var tasks = await listed.Content.ReadFromJsonAsync<JsonElement>(stop).ConfigureAwait(false);
        foreach (var task in tasks.EnumerateArray())
        {
            var id = task.GetProperty("id").GetString()!;
            var element = task.GetProperty("elementId").GetString()!;
            using var opened = await person.Http.GetAsync(new Uri($"/api/inbox/tasks/{id}", UriKind.Relative), stop).ConfigureAwait(false);
            if (!opened.IsSuccessStatusCode)
            {
                continue;
            }

            var detail = await opened.Content.ReadFromJsonAsync<JsonElement>(stop).ConfigureAwait(false);
            if (Form(element, detail.GetProperty("values"), person.UserName) is not { } variables)
            {
                _unknown.AddOrUpdate(element, 1, (_, n) => n + 1);
                continue;
            }

            using var done = await person.Http.PostAsJsonAsync($"/api/inbox/tasks/{id}/complete", new { variables }, stop).ConfigureAwait(false);
            if (done.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref _completed);
            }
            else if (done.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.Conflict or HttpStatusCode.Forbidden) && (int)done.StatusCode < 500)
            {
                Interlocked.Increment(ref _refused);
                output.WriteLine($"refused: {person.UserName} completing {element}: {(int)done.StatusCode} {await done.Content.ReadAsStringAsync(stop).ConfigureAwait(false)}");
            }
        }
    }

    /// <summary>The form's fields as a person fills them for a task at this element; null for an element the campaign does not handle.</summary>
    private static Dictionary<string, object?>? Form(string element, JsonElement shown, string me)
    {
        object? Shown(string key) => shown.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
        return element switch
        {
            "reviewDispatch" => new()
            {
                ["problemType"] = Shown("problemType"),
                ["goodsOrService"] = Shown("goodsOrService"),
                ["industry"] = Shown("industry"),
                ["tier"] = Shown("tier"),
                ["unitId"] = Shown("unitId"),
                ["handler"] = Shown("handler"),
            },
            "acceptanceDecision" => new() { ["acceptance"] = "accept" },
            "mediate" => new() { ["outcome"] = "mediated", ["mediationSucceeded"] = true, ["progressNote"] = "已联系商家协商，商家同意退款" },
            "closureRecord" => new()
            {
                ["basicFacts"] = "消费者购买的牛奶已过保质期。",
                ["disputePoints"] = "商家应否退款。",
                ["mediationProcess"] = "承办人电话联系双方，组织调解。",
                ["result"] = "商家同意退款，消费者满意。",
                ["mediationSucceeded"] = true,
                ["signatures"] = string.Join(',', me, me == "zx-desk-a" ? "zx-desk-b" : "zx-desk-a"),
            },
            "deskReview" or "leaderReview" or "legalReview" => new() { ["decision"] = "approve" },
            "followUpCall" => new()
            {
                ["speed"] = 4, ["attitude"] = 4, ["communication"] = 4, ["fairness"] = 4, ["professionalism"] = 4, ["overall"] = 4,
                ["comment"] = string.Create(CultureInfo.InvariantCulture, $"电话回访（{me}）"),
            },
            "supervise" => new() { ["supervisionNote"] = "请加快办理" },
            _ => null,
        };
    }
}
