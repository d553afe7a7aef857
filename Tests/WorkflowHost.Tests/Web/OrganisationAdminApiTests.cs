using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ComplaintWorkflows.WorkflowHost.Tests.Web;

public sealed class OrganisationAdminApiTests(WebStaffHost host) : IClassFixture<WebStaffHost>
{
    private static readonly string[] WithBlank = ["南汇街道", " "];
    private static readonly string[] NanhuiRegions = ["南汇街道"];
    private static readonly string[] Quality = ["质量"];
    private static readonly string[] HandlerRole = ["handler"];
    private static readonly string[] DeskA = ["wt-desk-a"];
    private static readonly string[] DeskB = ["wt-desk-b"];
    private static readonly string[] OtherUnitDesk = ["wm-desk-a"];

    [Fact]
    public async Task Administrator_AddsAStationWithADepartmentAndAMember_AndStaffSeeThem()
    {
        using var admin = host.As("admin");

        using var unit = await admin.PostAsJsonAsync("/api/admin/units", new { id = "wz-lucheng-nanhui", name = "南汇市场监督管理所", kind = "SupervisionStation", parentUnitId = "wz-lucheng", regions = WithBlank });
        using var department = await admin.PostAsJsonAsync("/api/admin/departments", new { id = "wz-lucheng-nanhui-zh", unitId = "wz-lucheng-nanhui", name = "综合科", problemTypes = Quality });
        using var member = await admin.PostAsJsonAsync("/api/admin/staff", new { userName = "nh-handler", displayName = "南汇承办", unitId = "wz-lucheng-nanhui", departmentId = "wz-lucheng-nanhui-zh", roles = HandlerRole });

        Assert.True(unit.StatusCode == HttpStatusCode.Created, await unit.Content.ReadAsStringAsync());
        Assert.True(department.StatusCode == HttpStatusCode.Created, await department.Content.ReadAsStringAsync());
        Assert.True(member.StatusCode == HttpStatusCode.Created, await member.Content.ReadAsStringAsync());
        using var handler = host.As("wm-handler");
        var units = await handler.GetFromJsonAsync<JsonElement>(new Uri("/api/admin/units", UriKind.Relative));
        var added = units.EnumerateArray().Single(u => u.GetProperty("id").GetString() == "wz-lucheng-nanhui");
        Assert.Equal(["南汇街道"], added.GetProperty("regions").EnumerateArray().Select(r => r.GetString()));
        var departments = await handler.GetFromJsonAsync<JsonElement>(new Uri("/api/admin/departments?unitId=wz-lucheng-nanhui", UriKind.Relative));
        Assert.Equal("综合科", departments.EnumerateArray().Single().GetProperty("name").GetString());

        using var rename = await admin.PutAsJsonAsync("/api/admin/units/wz-lucheng-nanhui", new { id = "wz-lucheng-nanhui", name = "南汇所", kind = "SupervisionStation", parentUnitId = "wz-lucheng", regions = NanhuiRegions });
        Assert.Equal(HttpStatusCode.OK, rename.StatusCode);
        Assert.Equal("南汇所", (await rename.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task InvalidUnitAndDepartment_AreRefused_NamingEachField()
    {
        using var admin = host.As("admin");

        using var unit = await admin.PostAsJsonAsync("/api/admin/units", new { id = "Bad Id!", name = "", kind = "CountyBureau" });
        using var department = await admin.PostAsJsonAsync("/api/admin/departments", new { id = "x-dept", unitId = "no-such-unit", name = "科", isLegalSection = true, isJointEnforcementGroup = true });

        Assert.Equal(HttpStatusCode.BadRequest, unit.StatusCode);
        var unitErrors = (await unit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(unitErrors.TryGetProperty("id", out _), unitErrors.ToString());
        Assert.True(unitErrors.TryGetProperty("name", out _), unitErrors.ToString());
        var departmentErrors = (await department.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("no-such-unit", departmentErrors.GetProperty("unitId")[0].GetString(), StringComparison.Ordinal);
        Assert.True(departmentErrors.TryGetProperty("isLegalSection", out _), departmentErrors.ToString());
    }

    [Fact]
    public async Task Partner_IsSetAndCleared_AndAnUnknownOrSelfPartnerIsRefused()
    {
        using var admin = host.As("admin");

        using var set = await admin.PutAsJsonAsync("/api/admin/staff/sy-handler/partner", new { partnerUserName = "sy-desk-b" });
        using var self = await admin.PutAsJsonAsync("/api/admin/staff/sy-handler/partner", new { partnerUserName = "sy-handler" });
        using var unknown = await admin.PutAsJsonAsync("/api/admin/staff/sy-handler/partner", new { partnerUserName = "nobody" });
        using var missing = await admin.PutAsJsonAsync("/api/admin/staff/nobody/partner", new { partnerUserName = "sy-desk-b" });

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal("sy-desk-b", (await set.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("partnerUserName").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, self.StatusCode);
        Assert.Contains("partnerUserName", await self.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var staff = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/admin/staff?unitId=wz-lucheng-shuangyu", UriKind.Relative));
        Assert.Equal("sy-desk-b", staff.EnumerateArray().Single(s => s.GetProperty("userName").GetString() == "sy-handler").GetProperty("partnerUserName").GetString());
    }

    [Fact]
    public async Task DutyRoster_MonthIsSavedChangedAndCleared_WithValidation()
    {
        using var admin = host.As("admin");
        const string June = "/api/duty-roster/wz-ouhai-wutian/2030-06";

        using var added = await admin.PutAsJsonAsync(June, new { days = new[] { new { date = "2030-06-01", userNames = DeskA } } });
        Assert.True(added.StatusCode == HttpStatusCode.OK, await added.Content.ReadAsStringAsync());
        Assert.Equal(DeskA, OnDuty(await added.Content.ReadFromJsonAsync<JsonElement>(), "2030-06-01"));
        using var duplicate = await admin.PutAsJsonAsync(June, new { days = new[] { new { date = "2030-06-01", userNames = DeskA }, new { date = "2030-06-01", userNames = DeskA } } });
        using var otherUnit = await admin.PutAsJsonAsync(June, new { days = new[] { new { date = "2030-06-02", userNames = OtherUnitDesk } } });
        using var changed = await admin.PutAsJsonAsync(June, new { days = new[] { new { date = "2030-06-02", userNames = DeskB } } });

        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.True((await duplicate.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("days[1].date", out _));
        Assert.Equal(HttpStatusCode.BadRequest, otherUnit.StatusCode);
        Assert.Contains("不属于单位", (await otherUnit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("days[0].userNames")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var roster = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/duty-roster?unitId=wz-ouhai-wutian&from=2030-05-31&to=2030-06-30", UriKind.Relative));
        var shift = roster.GetProperty("days").EnumerateArray().Single(d => d.GetProperty("userNames").GetArrayLength() > 0);
        Assert.Equal(("2030-06-02", "wt-desk-b"), (shift.GetProperty("date").GetString(), shift.GetProperty("userNames").EnumerateArray().Single().GetString()));
        Assert.Equal(31, roster.GetProperty("days").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, roster.GetProperty("month").ValueKind);

        using var cleared = await admin.PutAsJsonAsync(June, new { days = Array.Empty<object>() });
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        var month = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/duty-roster?unitId=wz-ouhai-wutian&month=2030-06", UriKind.Relative));
        Assert.All(month.GetProperty("days").EnumerateArray(), d => Assert.Equal(0, d.GetProperty("userNames").GetArrayLength()));
        Assert.Equal("2030-05-23", month.GetProperty("dueDate").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(new Uri("/api/duty-roster?unitId=no-such-unit&month=2030-06", UriKind.Relative))).StatusCode);
        using var reversed = await admin.GetAsync(new Uri("/api/duty-roster?unitId=wz-ouhai-wutian&from=2030-07-01&to=2030-05-31", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, reversed.StatusCode);
        Assert.True((await reversed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("to", out _));
        using var both = await admin.GetAsync(new Uri("/api/duty-roster?unitId=wz-ouhai-wutian&month=2030-06&from=2030-06-01", UriKind.Relative));
        Assert.True((await both.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("month", out _));
        using var fromOnly = await admin.GetAsync(new Uri("/api/duty-roster?unitId=wz-ouhai-wutian&from=2030-06-01", UriKind.Relative));
        Assert.True((await fromOnly.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("to", out _));

        // Without unit or period: the caller's unit this month.
        using var desk = host.As("wt-desk-a");
        var own = await desk.GetFromJsonAsync<JsonElement>(new Uri("/api/duty-roster", UriKind.Relative));
        Assert.Equal("wz-ouhai-wutian", own.GetProperty("unitId").GetString());
        Assert.Matches("^[0-9]{4}-[0-9]{2}$", own.GetProperty("month").GetString());
    }

    [Fact]
    public async Task Absence_IsRecordedAndRemoved_AndOneEndingBeforeItStartsIsRefused()
    {
        using var admin = host.As("admin");

        using var added = await admin.PostAsJsonAsync("/api/admin/absences", new { userName = "yz-handler", from = "2027-03-01T00:00:00+08:00", to = "2027-03-05T00:00:00+08:00", reason = "培训" });
        using var backwards = await admin.PostAsJsonAsync("/api/admin/absences", new { userName = "yz-handler", from = "2027-03-05T00:00:00+08:00", to = "2027-03-01T00:00:00+08:00" });

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, backwards.StatusCode);
        Assert.Contains("\"to\"", await backwards.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var id = (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var list = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/admin/absences?userName=yz-handler", UriKind.Relative));
        Assert.Equal("培训", list.EnumerateArray().Single(a => a.GetProperty("id").GetInt64() == id).GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(new Uri($"/api/admin/absences/{id}", UriKind.Relative))).StatusCode);
    }

    private static string[] OnDuty(JsonElement roster, string date)
        => [.. roster.GetProperty("days").EnumerateArray().Single(d => d.GetProperty("date").GetString() == date).GetProperty("userNames").EnumerateArray().Select(u => u.GetString()!)];
}
