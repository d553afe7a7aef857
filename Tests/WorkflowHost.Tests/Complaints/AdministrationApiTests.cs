using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ComplaintWorkflows.Activities.Classification;
using ComplaintWorkflows.Activities.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplaintWorkflows.WorkflowHost.Tests.Complaints;

/// <summary>One host for the class: each test changes what the others do not look at (2027's calendar, a rule for one word, one complaint's correction).</summary>
public sealed class AdministrationApiTests(ComplaintHost host) : IClassFixture<ComplaintHost>
{
    private readonly ComplaintHost _host = host;

    [Fact]
    public async Task AnAdministratorAddsNextYearsHolidays_AndABadDateIsRefusedByName_WhileOthersMayOnlyRead()
    {
        using var admin = _host.As("admin");
        var before = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/admin/calendar", UriKind.Relative));
        Assert.Contains(before.GetProperty("notices").EnumerateArray(), n => n.GetString()!.Contains("2027", StringComparison.Ordinal));

        using var bad = await admin.PutAsJsonAsync("/api/admin/calendar/2027", new { source = "2027 年通知", days = new[] { new { date = "2027-02-03", kind = "MakeUpWorkday", name = "春节" } } }, ComplaintHost.Json);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("2027-02-03", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var good = await admin.PutAsJsonAsync("/api/admin/calendar/2027", new { source = "2027 年通知", days = new[] { new { date = "2027-01-01", kind = "Holiday", name = "元旦" } } }, ComplaintHost.Json);
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        var after = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/admin/calendar", UriKind.Relative));
        Assert.Contains(after.GetProperty("years").EnumerateArray(), y => y.GetProperty("year").GetInt32() == 2027);

        using var handler = _host.As("wm-handler");
        using var refused = await handler.PutAsJsonAsync("/api/admin/calendar/2028", new { source = "x", days = Array.Empty<object>() }, ComplaintHost.Json);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using var read = await handler.GetAsync(new Uri("/api/admin/deadline-rule-sets", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async Task AClassificationRuleAddedThroughTheApi_ClassifiesTheNextComplaint_WithoutACodeChange()
    {
        const string text = "我在该店买东西时被店员用“嘚瑟卡”的说法反复嘲讽，要求商家道歉。";
        var scenario = new ComplaintScenario(_host);
        var first = await scenario.FileAsync(text, request: "要求道歉", respondent: "鹿城区小王数码店");
        Assert.NotEqual("计量", await ProblemTypeAsync(scenario, first));

        using var admin = _host.As("admin");
        using var added = await admin.PostAsJsonAsync("/api/admin/classification/rules", new { dimension = "problemType", label = "计量", keyword = "嘚瑟卡", weight = 10.0 });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        using var invalid = await admin.PostAsJsonAsync("/api/admin/classification/rules", new { dimension = "problemType", label = "计量", keyword = "", weight = 1.0 });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("keyword", await invalid.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var second = await scenario.FileAsync(text, request: "要求道歉", respondent: "瓯海区美丽人生美容美发店", phone: "13900000001");
        Assert.Equal("计量", await ProblemTypeAsync(scenario, second));
    }

    private async Task<object?> ProblemTypeAsync(ComplaintScenario scenario, string id)
    {
        var task = await scenario.TaskAsync(id, "reviewDispatch");
        return (await _host.Engine.GetVariablesAsync(task.ProcessInstanceId))["problemType"];
    }

    [Fact]
    public async Task TheDesksCorrectionOfTheCategory_IsKeptToTeachTheModel()
    {
        var scenario = new ComplaintScenario(_host);
        var id = await scenario.FileAsync("购买的手机使用一周后屏幕出现竖线，商家拒绝退换，只同意维修。");

        await scenario.ConfirmDispatchAsync(id, new { problemType = "质量" });

        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<DomainDbContext>>().CreateDbContextAsync();
        var correction = await db.Set<ClassificationCorrection>().SingleAsync(c => c.ComplaintId == id);
        Assert.Equal("problemType", correction.Dimension);
        Assert.Equal("质量", correction.Label);
        Assert.Contains("屏幕出现竖线", correction.Text, StringComparison.Ordinal);
        Assert.Equal("质量", (await scenario.FileOfAsync(id)).GetProperty("complaint").GetProperty("problemType").GetString());
    }
}
