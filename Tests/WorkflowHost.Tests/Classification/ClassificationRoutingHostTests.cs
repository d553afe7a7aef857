using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ComplaintWorkflows.WorkflowHost.Tests.Complaints;

namespace ComplaintWorkflows.WorkflowHost.Tests.Classification;

/// <summary>
/// The classifier's routing through the host: with a model trained from the labelled complaints and auto dispatch
/// on, a clear complaint skips the desk's review; a vague one waits for it, marked "needs review" with its three
/// best labels in the inbox.
/// </summary>
public sealed class ClassificationRoutingHostTests
{
    private const string Clear = "我在超市买的牛奶已经过期了，孩子喝了以后上吐下泻，去医院花了医药费。";
    private const string Vague = "我想反映一个情况。";

    private static ComplaintHost TrainedHost() => new()
    {
        Settings = new Dictionary<string, string?>
        {
            ["Workflows:Domain:Classification:AutoDispatch"] = "true",
            ["Workflows:Domain:Classification:SeedExamplesFile"] = Path.Combine(AppContext.BaseDirectory, "Classification", "complaints-labeled.tsv"),
            ["Workflows:Domain:Classification:Model:Trainers:0"] = "maximumEntropy",
        },
    };

    [Fact]
    public async Task WithATrainedModel_AClearComplaintIsDispatchedStraightOn_AndAVagueOneWaitsForTheDesk_MarkedNeedsReview()
    {
        await using var host = TrainedHost();
        using var admin = host.As("admin");
        using var retrained = await admin.PostAsync(new Uri("/api/admin/classification/retrain", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, retrained.StatusCode);
        var model = (await retrained.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Single();
        Assert.True(model.GetProperty("replaced").GetBoolean());
        Assert.Equal(JsonValueKind.Number, model.GetProperty("threshold").ValueKind);
        var scenario = new ComplaintScenario(host);

        var clear = await scenario.FileAsync(Clear);
        var vague = await scenario.FileAsync(Vague, phone: "13900000002");

        Assert.Null(await scenario.FindTaskAsync(clear, "reviewDispatch"));
        Assert.NotNull(await scenario.FindTaskAsync(clear, "acceptanceDecision"));
        Assert.Equal("Dispatched", await scenario.StatusAsync(clear));
        var review = await scenario.TaskAsync(vague, "reviewDispatch");
        using var desk = host.As(await scenario.WorkerAsync(review));
        var inbox = await desk.GetFromJsonAsync<JsonElement>(new Uri("/api/inbox/tasks", UriKind.Relative));
        var task = inbox.EnumerateArray().Single(t => t.GetProperty("id").GetString() == review.Id);
        var classification = task.GetProperty("classification");
        Assert.True(classification.GetProperty("needsReview").GetBoolean());
        Assert.Matches(@"^\S+ \d+%、\S+ \d+%、\S+ \d+%$", classification.GetProperty("topLabels").GetString());
    }

    [Fact]
    public async Task WithoutAutoDispatch_EveryComplaintWaitsForTheDesk_AndTheInboxShowsWhatTheClassifierDecided()
    {
        await using var host = new ComplaintHost();
        var scenario = new ComplaintScenario(host);

        var clear = await scenario.FileAsync(Clear);

        // No trained model and auto dispatch off: the rules decide, and the desk reviews even a clear complaint.
        var review = await scenario.TaskAsync(clear, "reviewDispatch");
        var variables = await host.Engine.GetVariablesAsync(review.ProcessInstanceId);
        Assert.Equal(false, variables["autoDispatch"]);
        using var desk = host.As(await scenario.WorkerAsync(review));
        var detail = await desk.GetFromJsonAsync<JsonElement>(new Uri($"/api/inbox/tasks/{review.Id}", UriKind.Relative));
        var classification = detail.GetProperty("task").GetProperty("classification");
        Assert.Equal(variables["needsReview"], classification.GetProperty("needsReview").GetBoolean());
        Assert.Equal(variables["topLabels"], classification.GetProperty("topLabels").GetString());
        Assert.Contains("食品安全 ", classification.GetProperty("topLabels").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdministratorsEditTheDomainDictionary_OthersMayOnlyReadIt()
    {
        await using var host = new ComplaintHost();
        using var admin = host.As("admin");
        var seeded = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/admin/classification/terms", UriKind.Relative));
        Assert.Contains(seeded.EnumerateArray(), t => t.GetProperty("term").GetString() == "七天无理由退货" && t.GetProperty("kind").GetString() == "legal");

        using var added = await admin.PostAsJsonAsync("/api/admin/classification/terms", new { term = "小王数码", kind = "brand" });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        using var bad = await admin.PostAsJsonAsync("/api/admin/classification/terms", new { term = "小王数码", kind = "shop" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("kind", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var handler = host.As("wm-handler");
        using var refused = await handler.PostAsJsonAsync("/api/admin/classification/terms", new { term = "某品牌", kind = "brand" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var id = (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        using var deleted = await admin.DeleteAsync(new Uri($"/api/admin/classification/terms/{id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var after = await handler.GetFromJsonAsync<JsonElement>(new Uri("/api/admin/classification/terms", UriKind.Relative));
        Assert.DoesNotContain(after.EnumerateArray(), t => t.GetProperty("term").GetString() == "小王数码");
    }
}
