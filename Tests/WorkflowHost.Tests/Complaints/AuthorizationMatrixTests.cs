using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ComplaintWorkflows.WorkflowHost.Tests.Complaints;

/// <summary>The demo organisation and complaints, signed in for real (HTTP Basic with the demo staff accounts).</summary>
public sealed class DemoSignInHost : DemoStaffHost
{
    protected override async Task<string> FileAsAsync(string consumer, string phone)
    {
        using var client = As(consumer);
        using var response = await client.PostAsJsonAsync("/api/complaints", new
        {
            consumerName = "消费者" + consumer,
            consumerPhone = phone,
            consumerAddress = "温州市鹿城区五马街道",
            respondentName = "龙湾区好运来超市",
            respondentAddress = "温州市龙湾区永中街道永宁西路66号",
            request = "退款",
            facts = "买到过期食品，" + consumer,
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }
}

public sealed class AuthorizationMatrixTests(DemoSignInHost host) : IClassFixture<DemoSignInHost>
{
    public static TheoryData<string?, string, string, HttpStatusCode> Matrix => new()
    {
        // Search: staff see their unit's, consumers their own; nobody anonymous.
        { null, "GET", "/api/complaints", HttpStatusCode.Unauthorized },
        { "consumer1", "GET", "/api/complaints", HttpStatusCode.OK },
        { "wm-handler", "GET", "/api/complaints", HttpStatusCode.OK },
        { "zx-desk-a", "GET", "/api/complaints", HttpStatusCode.OK },

        // The complaint file: a handler of another unit and another consumer get "not found".
        { null, "GET", "/api/complaints/{wuma}", HttpStatusCode.Unauthorized },
        { "wm-handler", "GET", "/api/complaints/{wuma}", HttpStatusCode.OK },
        { "wm-desk-a", "GET", "/api/complaints/{wuma}", HttpStatusCode.OK },
        { "wm-leader", "GET", "/api/complaints/{wuma}", HttpStatusCode.OK },
        { "lc-reviewer", "GET", "/api/complaints/{wuma}", HttpStatusCode.OK },
        { "lq-handler", "GET", "/api/complaints/{wuma}", HttpStatusCode.NotFound },
        { "wm-handler", "GET", "/api/complaints/{ouhai}", HttpStatusCode.NotFound },
        { "zx-desk-a", "GET", "/api/complaints/{ouhai}", HttpStatusCode.OK },
        { "admin", "GET", "/api/complaints/{ouhai}", HttpStatusCode.OK },
        { "consumer1", "GET", "/api/complaints/{mine}", HttpStatusCode.OK },
        { "consumer1", "GET", "/api/complaints/{theirs}", HttpStatusCode.NotFound },
        { "consumer1", "GET", "/api/complaints/{wuma}", HttpStatusCode.NotFound },

        // Surveys: the consumer of the complaint (or a desk officer on the phone), nobody else.
        { "consumer1", "POST", "/api/complaints/{theirs}/survey", HttpStatusCode.NotFound },
        { "wm-handler", "POST", "/api/complaints/{wuma}/survey", HttpStatusCode.NotFound },

        // Consumer details for intake: desk officers only.
        { "zx-desk-a", "GET", "/api/consumers/prefill?phone=13911110001", HttpStatusCode.OK },
        { "wm-handler", "GET", "/api/consumers/prefill?phone=13911110001", HttpStatusCode.Forbidden },
        { "consumer1", "GET", "/api/consumers/prefill?phone=13911110001", HttpStatusCode.Forbidden },
        { null, "GET", "/api/consumers/prefill?phone=13911110001", HttpStatusCode.Unauthorized },

        // The inbox is for staff.
        { "wm-handler", "GET", "/api/inbox/tasks", HttpStatusCode.OK },
        { "consumer1", "GET", "/api/inbox/tasks", HttpStatusCode.Forbidden },
        { null, "GET", "/api/inbox/tasks", HttpStatusCode.Unauthorized },

        // KPIs: leaders, reviewers and administrators.
        { "wm-leader", "GET", "/api/kpis", HttpStatusCode.OK },
        { "lc-reviewer", "GET", "/api/kpis", HttpStatusCode.OK },
        { "admin", "GET", "/api/kpis", HttpStatusCode.OK },
        { "wm-handler", "GET", "/api/kpis", HttpStatusCode.Forbidden },
        { "wm-desk-a", "GET", "/api/kpis", HttpStatusCode.Forbidden },
        { "consumer1", "GET", "/api/kpis", HttpStatusCode.Forbidden },

        // Rules: staff read, administrators change.
        { "wm-handler", "GET", "/api/admin/calendar", HttpStatusCode.OK },
        { "consumer1", "GET", "/api/admin/calendar", HttpStatusCode.Forbidden },
        { "wm-leader", "POST", "/api/admin/classification/retrain", HttpStatusCode.Forbidden },
        { "admin", "GET", "/api/admin/classification/rules", HttpStatusCode.OK },
        { "wm-leader", "GET", "/api/archive/verify", HttpStatusCode.Forbidden },
        { "admin", "GET", "/api/archive/verify", HttpStatusCode.OK },

        // Anyone may file, and follow with the tracking number and phone.
        { null, "POST", "/api/complaints", HttpStatusCode.Created },
        { "wm-handler", "POST", "/api/complaints", HttpStatusCode.Created },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public Task Endpoint_AnswersEachRole_AsItsRulesSay(string? user, string method, string path, HttpStatusCode expected)
        => host.AssertAnswersAsync(user, method, path, expected, p => method != "POST" ? null
            : p.EndsWith("/survey", StringComparison.Ordinal)
                ? JsonContent.Create(new { overall = 1 })
                : JsonContent.Create(new
                {
                    consumerName = "王五", consumerPhone = "13922223333", consumerAddress = "温州市鹿城区", respondentName = "某店", respondentAddress = "温州市鹿城区五马街道",
                    request = "退款", facts = "矩阵测试 " + Guid.NewGuid(),
                }));

    [Fact]
    public async Task Search_ShowsAHandlerOnlyTheirUnitsComplaints_AndAConsumerOnlyTheirOwn()
    {
        var ids = await host.IdsAsync();
        using var handler = host.As("wm-handler");
        using var consumer = host.As("consumer1");

        var handlers = await handler.GetFromJsonAsync<JsonElement>(new Uri("/api/complaints?pageSize=100", UriKind.Relative));
        var consumers = await consumer.GetFromJsonAsync<JsonElement>(new Uri("/api/complaints?pageSize=100", UriKind.Relative));

        Assert.All(handlers.GetProperty("items").EnumerateArray(), c => Assert.Equal("wz-lucheng-wuma", c.GetProperty("unitId").GetString()));
        Assert.Contains(handlers.GetProperty("items").EnumerateArray(), c => c.GetProperty("id").GetString() == ids["wuma"]);
        Assert.Equal([ids["mine"]], consumers.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task PersonalData_IsMaskedForALeader_AndShownToTheHandler()
    {
        var ids = await host.IdsAsync();
        using var leader = host.As("wm-leader");
        using var handler = host.As("wm-handler");

        var masked = (await leader.GetFromJsonAsync<JsonElement>(new Uri($"/api/complaints/{ids["wuma"]}", UriKind.Relative))).GetProperty("complaint");
        var full = (await handler.GetFromJsonAsync<JsonElement>(new Uri($"/api/complaints/{ids["wuma"]}", UriKind.Relative))).GetProperty("complaint");

        Assert.Matches(@"^1\d\d\*{4}\d{4}$", masked.GetProperty("consumerPhone").GetString());
        Assert.Matches(@"^1\d{10}$", full.GetProperty("consumerPhone").GetString());
        Assert.EndsWith("*", masked.GetProperty("consumerName").GetString(), StringComparison.Ordinal);
    }
}
