using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ComplaintWorkflows.WorkflowHost.Tests.Complaints;

namespace ComplaintWorkflows.WorkflowHost.Tests.Emergency;

public sealed class DutyRosterTests : IDisposable
{
    private const string Unit = "wz-lucheng-wuma";
    private static readonly string[] OtherUnit = ["lc-desk-a"];
    private static readonly string[] DeskA = ["wm-desk-a"];
    private readonly ComplaintHost _host = EmergencyKit.NewHost();

    [Fact]
    public async Task ComplaintOnAHoliday_GoesToTheUnitsDutyOfficer_FromTheScheduleTheUnitEntered()
    {
        var kit = await new EmergencyKit(_host).WithStaffContactsAsync();
        using (var year = await kit.SendAsync(HttpMethod.Put, "/api/admin/calendar/2027", new
        {
            source = "国务院办公厅关于2027年部分节假日安排的通知",
            days = new[] { new { date = "2027-01-01", kind = "Holiday", name = "元旦" }, new { date = "2027-01-02", kind = "Holiday", name = "元旦" }, new { date = "2027-01-03", kind = "Holiday", name = "元旦" } },
        }))
        {
            Assert.Equal(HttpStatusCode.OK, year.StatusCode);
        }

        var before = await kit.GetAsync($"/api/duty-roster?unitId={Unit}&month=2027-01", "wm-desk-a");
        Assert.Equal("2026-12-23", before.GetProperty("dueDate").GetString());
        Assert.Contains(before.GetProperty("missingDays").EnumerateArray(), d => d.GetString() == "2027-01-01");

        // Someone from another unit cannot be on this unit's duty; the error names the day.
        using (var wrong = await kit.SendAsync(HttpMethod.Put, $"/api/duty-roster/{Unit}/2027-01", new { days = new[] { new { date = "2027-01-01", userNames = OtherUnit } } }, "wm-desk-a"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            Assert.True((await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("days[0].userNames", out _));
        }

        using (var other = await kit.SendAsync(HttpMethod.Put, $"/api/duty-roster/wz-ouhai/2027-01", new { days = Array.Empty<object>() }, "wm-desk-a"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        }

        var weekendsAndHolidays = before.GetProperty("days").EnumerateArray().Where(d => !d.GetProperty("workingDay").GetBoolean()).Select(d => d.GetProperty("date").GetString()!).ToList();
        var schedule = weekendsAndHolidays.Select(d => new { date = d, userNames = new[] { d == "2027-01-01" ? "wm-desk-b" : "wm-desk-a" } }).ToList();
        using (var saved = await kit.SendAsync(HttpMethod.Put, $"/api/duty-roster/{Unit}/2027-01", new { days = schedule }, "wm-desk-a"))
        {
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
            var roster = await saved.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(roster.GetProperty("complete").GetBoolean());
        }

        // New Year's Day, 10:00: office hours on a working day, but a holiday.
        await _host.AdvanceToAsync(new DateTimeOffset(2027, 1, 1, 10, 0, 0, TimeSpan.FromHours(8)));
        var scenario = new ComplaintScenario(_host);
        var id = await scenario.FileAsync("在五马街的店里买的电水壶用了三天就漏电，商家不肯换。", respondent: "鹿城区五马家电行", respondentAddress: "温州市鹿城区五马街道五马街20号", phone: "13957712345");
        await scenario.ConfirmDispatchAsync(id, new { unitId = Unit });
        var task = await scenario.TaskAsync(id, "acceptanceDecision");
        Assert.Equal("wm-desk-b", task.Assignee);
        var inbox = await kit.GetAsync("/api/inbox/tasks?scope=mine", "wm-desk-b");
        Assert.Contains(inbox.EnumerateArray(), t => t.GetProperty("id").GetString() == task.Id);
    }

    [Fact]
    public async Task UnitsMissingNextMonthsSchedule_AreRemindedOnce_AndTheirLeadersAfterTheDueDay()
    {
        var kit = await new EmergencyKit(_host).WithStaffContactsAsync();

        // 五马 enters its February schedule in time; the others do not.
        var february = await kit.GetAsync($"/api/duty-roster?unitId={Unit}&month=2027-02", "wm-desk-a");
        var schedule = february.GetProperty("missingDays").EnumerateArray().Select(d => new { date = d.GetString(), userNames = DeskA }).ToList();
        Assert.NotEmpty(schedule);
        using (var saved = await kit.SendAsync(HttpMethod.Put, $"/api/duty-roster/{Unit}/2027-02", new { days = schedule }, "wm-leader"))
        {
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        }

        await _host.AdvanceToAsync(new DateTimeOffset(2027, 1, 19, 9, 0, 0, TimeSpan.FromHours(8)));
        await kit.RunRoundAsync();
        Assert.Empty(kit.Notifications());

        await _host.AdvanceToAsync(new DateTimeOffset(2027, 1, 20, 9, 0, 0, TimeSpan.FromHours(8)));
        await Task.WhenAll(kit.RunRoundAsync(), kit.RunRoundAsync());
        await kit.RunRoundAsync();
        var reminders = kit.Notifications().Where(n => n.Template == "roster.reminder").ToList();
        Assert.Contains(reminders, n => n.UserName == "lc-desk-a");
        Assert.Contains(reminders, n => n.UserName == "zx-desk-b");
        Assert.DoesNotContain(reminders, n => n.UserName!.StartsWith("wm-", StringComparison.Ordinal));
        Assert.Equal(reminders.Count, reminders.Select(n => n.UserName).Distinct().Count());
        var rows = await kit.GetAsync("/api/duty-roster/reminders?month=2027-02");
        Assert.Equal(rows.GetArrayLength(), rows.EnumerateArray().Select(r => r.GetProperty("unitId").GetString()).Distinct().Count());

        await _host.AdvanceToAsync(new DateTimeOffset(2027, 1, 24, 9, 0, 0, TimeSpan.FromHours(8)));
        await kit.RunRoundAsync();
        var overdue = kit.Notifications().Where(n => n.Template == "roster.overdue").ToList();
        Assert.Contains(overdue, n => n.UserName == "lc-leader");
        Assert.DoesNotContain(overdue, n => n.UserName == "wm-leader");
    }

    public void Dispose() => _host.Dispose();
}
