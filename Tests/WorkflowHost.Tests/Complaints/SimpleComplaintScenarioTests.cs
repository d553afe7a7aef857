using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ComplaintWorkflows.WorkflowHost.Tests.Complaints;

public sealed class SimpleComplaintScenarioTests : IDisposable
{
    private readonly ComplaintHost _host = new();

    [Fact]
    public async Task SimpleComplaint_IsMediatedReviewedSurveyedAndArchived_AndTheConsumerFollowsItsPublicProgress()
    {
        var scenario = new ComplaintScenario(_host);
        var id = await scenario.FileAsync("购买的手机使用一周后屏幕出现竖线，商家拒绝退换，只同意维修。", consumer: "consumer:c1");

        await scenario.ConfirmDispatchAsync(id);
        await scenario.AcceptAsync(id);
        await scenario.CompleteAsync(id, "mediate", new { outcome = "mediated", mediationSucceeded = true, progressNote = "已联系商家协商，商家同意退款" });
        await scenario.CloseRecordAsync(id);
        await scenario.CompleteAsync(id, "deskReview", new { decision = "approve" });
        Assert.Equal("Closed", await scenario.StatusAsync(id));

        using (var consumer = _host.As("consumer:c1"))
        {
            using var answer = await consumer.PostAsJsonAsync($"/api/complaints/{id}/survey", new { speed = 5, attitude = 5, communication = 4, fairness = 5, professionalism = 4, overall = 5, comment = "处理很及时" });
            Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
        }

        var file = await scenario.FileOfAsync(id);
        var complaint = file.GetProperty("complaint");
        Assert.Equal("Archived", complaint.GetProperty("status").GetString());
        Assert.Equal("售后服务", complaint.GetProperty("problemType").GetString());
        Assert.True(complaint.GetProperty("mediationSucceeded").GetBoolean());
        Assert.Equal(5, complaint.GetProperty("satisfactionScore").GetInt32());
        Assert.True(complaint.GetProperty("closedOnTime").GetBoolean());
        Assert.Equal(1, file.GetProperty("closureRecords").GetArrayLength());
        Assert.Equal(0, file.GetProperty("openTasks").GetArrayLength());
        Assert.Contains("archived", ComplaintScenario.TimelineKinds(file));

        // The consumer sees the public progress only, in order, with no staff names.
        var own = await scenario.FileOfAsync(id, "consumer:c1");
        var texts = own.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("text").GetString()!).ToList();
        Assert.Contains("已联系商家协商，商家同意退款", texts);
        Assert.All(own.GetProperty("timeline").EnumerateArray(), e => Assert.True(e.GetProperty("public").GetBoolean()));
        Assert.DoesNotContain(ComplaintScenario.TimelineKinds(own), k => k.StartsWith("review-", StringComparison.Ordinal));
        Assert.Equal(JsonValueKind.Null, own.GetProperty("complaint").GetProperty("handler").ValueKind);

        using var admin = _host.As("admin");

        // The consumer's phone number is no process variable (it would be stored with the instance in clear; the classify
        // task's consumerPhone input is null), and the history says the complaint's text was set, not what it is.
        var instanceId = complaint.GetProperty("processInstanceId").GetString();
        var journal = await admin.GetStringAsync(new Uri($"/api/process-instances/{instanceId}/journal", UriKind.Relative));
        Assert.DoesNotContain("consumerPhone = text", journal, StringComparison.Ordinal);
        Assert.Contains("text = text (masked)", journal, StringComparison.Ordinal);
        Assert.DoesNotContain("13812345678", journal, StringComparison.Ordinal);
        Assert.DoesNotContain("商家拒绝退换，只同意维修", journal, StringComparison.Ordinal);

        var verify = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/archive/verify", UriKind.Relative));
        Assert.True(verify.GetProperty("intact").GetBoolean());
        Assert.Equal(1, verify.GetProperty("entries").GetInt64());
    }

    public void Dispose() => _host.Dispose();
}
