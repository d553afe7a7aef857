using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ComplaintWorkflows.TestSupport;
using ComplaintWorkflows.WorkflowHost.Tests.Complaints;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ComplaintWorkflows.WorkflowHost.Tests.Security;

/// <summary>
/// Mutated requests to every anonymous API route (enumerated from the endpoint data source) and to the staff routes
/// that take a body, as an administrator: JSON cut, nested thousands deep, of the wrong types, with hostile strings, in
/// the wrong encoding; route and query values garbage. Each must be answered within the case limit, never 500, and a
/// 400 as Problem Details saying what is wrong. Seeded: <see cref="Fuzz.SeedVariable"/> replays a run.
/// </summary>
public sealed class RouteFuzzTests : IClassFixture<RouteFuzzTests.Host>
{
    private readonly Host _host;

    public RouteFuzzTests(Host host) => _host = host;

    /// <summary>One host for the class, its complaints and deliveries left as the cases make them.</summary>
    public sealed class Host : IDisposable
    {
        public ComplaintHost Value { get; } = new() { Settings = new Dictionary<string, string?> { ["Workflows:Sms:Callback:Secret"] = "fuzz-secret-0123456789abcdefghij" } };

        public void Dispose() => Value.Dispose();
    }

    private static readonly JsonObject Complaint = new()
    {
        ["consumerName"] = "张三", ["consumerPhone"] = "13812345678", ["consumerAddress"] = "温州市鹿城区五马街道县前头1号",
        ["respondentName"] = "鹿城区小王数码店", ["respondentAddress"] = "温州市鹿城区五马街道解放街12号", ["request"] = "要求退货退款",
        ["facts"] = "购买的手机屏幕出现竖线。", ["consumerEmail"] = "a@example.com", ["notifyBy"] = "Sms", ["channel"] = "Web",
    };

    private static readonly JsonNode[] Seeds =
    [
        Complaint,
        new JsonObject { ["userName"] = "admin", ["password"] = "wrong-password-1" },
        new JsonObject { ["token"] = "abc", ["speed"] = 5, ["attitude"] = 4, ["communication"] = 3, ["fairness"] = 5, ["professionalism"] = 4, ["overall"] = 5, ["comment"] = "好" },
        new JsonArray(new JsonObject { ["phone_number"] = "13812345678", ["content"] = "5 满意", ["send_time"] = "2026-11-23 10:00:00", ["sequence_id"] = 1, ["dest_code"] = "01", ["sign_name"] = "12315" }),
        new JsonArray(new JsonObject { ["phone_number"] = "13812345678", ["success"] = true, ["biz_id"] = "b1", ["out_id"] = "o1", ["err_code"] = "DELIVERED", ["report_time"] = "2026-11-23 10:00:00" }),
        new JsonObject { ["name"] = "新流程", ["key"] = "p1", ["text"] = "说明", ["enabled"] = true, ["items"] = new JsonArray(1, 2, 3) },
    ];

    [Fact]
    public async Task MutatedRequests_ToEveryAnonymousRoute_AreAnsweredWithoutA500_WithinTheCaseLimit_And400sSayWhy()
    {
        var routes = Routes(anonymous: true);
        Assert.Contains(routes, r => r.Template == "/api/complaints" && r.Method == "POST");
        Assert.Contains(routes, r => r.Template.StartsWith("/api/sms/", StringComparison.Ordinal));
        Assert.Contains(routes, r => r.Template == "/api/public/track");
        using var client = _host.Value.Anonymous();
        await WarmUpAsync(client);
        var run = await Fuzz.RunAsync("anonymous-routes", 2000, c => SendAsync(client, routes, c));
        Assert.True(run >= 2000, $"{run} cases");
    }

    [Fact]
    public async Task MutatedBodies_ToTheStaffRoutes_AreAnsweredWithoutA500_WithinTheCaseLimit_And400sSayWhy()
    {
        var routes = Routes(anonymous: false).Where(r => r.Method is "POST" or "PUT" or "PATCH" && r.Template.StartsWith("/api/", StringComparison.Ordinal)
            && !r.Template.Contains("retrain", StringComparison.Ordinal) && !r.Template.Contains("logout", StringComparison.Ordinal)).ToList();
        Assert.True(routes.Count >= 20, $"{routes.Count} staff routes");
        using var client = _host.Value.As("admin");
        await WarmUpAsync(client);
        var run = await Fuzz.RunAsync("staff-routes", 1000, c => SendAsync(client, routes, c));
        Assert.True(run >= 1000, $"{run} cases");
    }

    /// <summary>One request before the cases, so that the host's start and first requests are not timed as a case's hang.</summary>
    private static async Task WarmUpAsync(HttpClient client)
    {
        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        using var first = await client.GetAsync(new Uri("/api/public/cases?pageSize=1", UriKind.Relative));
    }

    private sealed record Route(string Method, string Template);

    private List<Route> Routes(bool anonymous)
    {
        var endpoints = _host.Value.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        return [.. endpoints
            .Where(e => e.RoutePattern.RawText is { } raw && raw.StartsWith("/api/", StringComparison.Ordinal) || e.RoutePattern.RawText?.StartsWith("/engine-rest", StringComparison.Ordinal) == true)
            .Where(e => (e.Metadata.GetMetadata<IAllowAnonymous>() is not null) == anonymous)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => new Route(m, e.RoutePattern.RawText!)))
            .Distinct()
            .OrderBy(r => r.Template, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal)];
    }

    private static async Task SendAsync(HttpClient client, List<Route> routes, FuzzCase c)
    {
        var random = c.Random;
        var route = routes[random.Next(routes.Count)];
        var path = Path(random, route.Template);
        using var request = new HttpRequestMessage(new HttpMethod(route.Method), new Uri(path, UriKind.Relative));
        var body = "";
        if (route.Method is not "GET" and not "DELETE")
        {
            var (text, bytes) = Body(random);
            body = text;
            request.Content = new ByteArrayContent(bytes);
            request.Content.Headers.ContentType = random.Next(10) == 0 ? new MediaTypeHeaderValue("text/plain") : new MediaTypeHeaderValue("application/json");
        }

        c.Note = $"{route.Method} {Shorten(path)} {Shorten(body)}";
        using var response = await client.SendAsync(request);
        var answer = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode < 500, $"{c.Note} answered {(int)response.StatusCode}: {Shorten(answer, 600)}");
        if (response.StatusCode == HttpStatusCode.BadRequest && answer.Length > 0)
        {
            var type = response.Content.Headers.ContentType?.MediaType;
            Assert.True(type is "application/problem+json" || route.Template.StartsWith("/engine-rest", StringComparison.Ordinal) || route.Template.StartsWith("/api/sms/", StringComparison.Ordinal),
                $"{c.Note} answered 400 as {type}: {Shorten(answer, 300)}");
            var problem = JsonNode.Parse(answer);
            Assert.True(problem?["title"] is not null || problem?["errors"] is not null || problem?["message"] is not null || problem?["msg"] is not null,
                $"{c.Note} answered 400 without saying what is wrong: {Shorten(answer, 300)}");
        }
    }

    /// <summary>The route with each parameter a plausible value or garbage, and garbage query values now and then.</summary>
    private static string Path(Random random, string template)
    {
        var path = new StringBuilder();
        var i = 0;
        while (i < template.Length)
        {
            if (template[i] == '{')
            {
                var end = template.IndexOf('}', i);
                var name = template[(i + 1)..end];
                path.Append(Uri.EscapeDataString(name.Contains("secret", StringComparison.Ordinal) && random.Next(2) == 0 ? "fuzz-secret-0123456789abcdefghij"
                    : random.Next(3) == 0 ? "TS20261123000001" : Mutate.WellFormed(Mutate.Text(random, "x1", 300)).Replace("\0", "", StringComparison.Ordinal)));

                // (No NUL in a path: the in-process test server refuses to send it; Kestrel answers 400 to one.)
                i = end + 1;
            }
            else
            {
                path.Append(template[i++]);
            }
        }

        var query = new List<string>();
        foreach (var key in new[] { "phone", "trackingNumber", "token", "q", "page", "pageSize", "status", "from", "to", "month", "complaint" })
        {
            if (random.Next(3) == 0)
            {
                var value = random.Next(2) == 0 ? Mutate.WellFormed(Mutate.Text(random, key == "phone" ? "13812345678" : "2026-11", 5000)) : Mutate.WellFormedFragment(random);
                query.Add(key + "=" + Uri.EscapeDataString(value));
            }
        }

        return query.Count == 0 ? path.ToString() : path + "?" + string.Join("&", query);
    }

    /// <summary>A body: a mutated seed, random JSON, deep nesting, cut text, or bytes in the wrong encoding.</summary>
    private static (string Text, byte[] Bytes) Body(Random random)
    {
        var seed = Seeds[random.Next(Seeds.Length)].DeepClone();
        string text;
        switch (random.Next(6))
        {
            case 0:
                text = Mutate.WellFormed(Mutate.Text(random, seed.ToJsonString(), 300_000));
                break;
            case 1:
                var depth = random.Next(10, 20_000);
                text = new string('[', depth) + new string(']', random.Next(2) == 0 ? depth : depth / 2);
                break;
            case 2:
                text = RandomJson(random, 0)?.ToJsonString() ?? "null";
                break;
            case 3:
                return ("(wrong encoding)", Mutate.Bytes(random, seed.ToJsonString()));
            default:
                MutateValues(random, seed);
                text = seed.ToJsonString();
                break;
        }

        return (text, Encoding.UTF8.GetBytes(text));
    }

    private static void MutateValues(Random random, JsonNode node)
    {
        var target = node is JsonArray { Count: > 0 } array ? array[0] as JsonObject : node as JsonObject;
        if (target is null || target.Count == 0)
        {
            return;
        }

        var keys = target.Select(p => p.Key).ToList();
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            var key = keys[random.Next(keys.Count)];
            target[key] = random.Next(5) switch
            {
                0 => null,
                1 => RandomJson(random, 2),
                2 => Mutate.WellFormed(Mutate.Text(random, target[key]?.ToJsonString() ?? "", 100_000)),
                3 => random.Next(2) == 0 ? JsonValue.Create(random.NextDouble() * Math.Pow(10, random.Next(-300, 300))) : JsonValue.Create((long)random.Next() * (random.Next(2) == 0 ? -1 : 1) * 4_000_000_000L),
                _ => Mutate.WellFormedFragment(random),
            };
        }

        if (random.Next(3) == 0)
        {
            target[Mutate.WellFormedFragment(random)] = RandomJson(random, 2);
        }
    }

    private static JsonNode? RandomJson(Random random, int depth) => (depth > 3 ? random.Next(4) : random.Next(7)) switch
    {
        0 => null,
        1 => JsonValue.Create(random.Next(2) == 0),
        2 => JsonValue.Create(random.Next(int.MinValue, int.MaxValue)),
        3 => JsonValue.Create(Mutate.WellFormedFragment(random)),
        4 => new JsonArray([.. Enumerable.Range(0, random.Next(0, 5)).Select(_ => RandomJson(random, depth + 1))]),
        _ => new JsonObject(Enumerable.Range(0, random.Next(0, 5)).Select(i => KeyValuePair.Create(Mutate.WellFormedFragment(random) + i, RandomJson(random, depth + 1)))
            .DistinctBy(p => p.Key)),
    };

    private static string Shorten(string text, int length = 120) => text.Length <= length ? text : text[..length] + $"...({text.Length} chars)";
}
