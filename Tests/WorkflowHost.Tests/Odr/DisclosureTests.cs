using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.WorkflowHost.Tests.Complaints;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplaintWorkflows.WorkflowHost.Tests.Odr;

/// <summary>Public complaint disclosure (投诉公示): counted from archived complaints only, public only once reviewed and published, no personal data.</summary>
public sealed class DisclosureTests : IDisposable
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    private readonly ComplaintHost _host = new();

    public void Dispose() => _host.Dispose();

    /// <summary>Files a complaint and gives it what the process would have recorded by its archive.</summary>
    private async Task ArchivedAsync(string respondent, DateTimeOffset? archivedAt, bool? mediated = null, string? odrBusiness = null, string? odrOutcome = null)
    {
        var id = await new ComplaintScenario(_host).FileAsync("购买的手机使用一周后屏幕出现竖线，商家拒绝退换。" + Guid.NewGuid().ToString("N"), respondent: respondent, name: "李四", phone: "13700001234");
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<DomainDbContext>>().CreateDbContextAsync();
        var complaint = await db.Set<Complaint>().SingleAsync(c => c.Id == id);
        complaint.ArchivedAt = archivedAt;
        complaint.MediationSucceeded = mediated;
        complaint.OdrBusinessId = odrBusiness;
        complaint.OdrOutcome = odrOutcome;
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task AMonth_IsCountedFromTheArchive_AndPublicOnlyAfterReviewAndPublication()
    {
        using var admin = _host.As("admin");
        using (var put = await admin.PutAsJsonAsync("/api/admin/odr/businesses/xiaowang", new { name = "温州小王数码有限公司", branches = "鹿城区小王数码店" }))
        {
            Assert.True(put.IsSuccessStatusCode);
        }

        await ArchivedAsync("鹿城区小王数码店", new DateTimeOffset(2026, 10, 20, 9, 0, 0, Beijing), mediated: true);
        await ArchivedAsync("鹿城区小王数码店", new DateTimeOffset(2026, 11, 1, 0, 30, 0, Beijing), odrBusiness: "xiaowang", odrOutcome: "settled");
        await ArchivedAsync("鹿城区小王数码店", new DateTimeOffset(2026, 11, 30, 23, 0, 0, Beijing), mediated: true, odrBusiness: "xiaowang", odrOutcome: "expired");
        await ArchivedAsync("鹿城区大华电器", new DateTimeOffset(2026, 11, 15, 9, 0, 0, Beijing), mediated: false);
        await ArchivedAsync("鹿城区大华电器", null, mediated: true); // not archived: not counted
        await ArchivedAsync("鹿城区大华电器", new DateTimeOffset(2026, 12, 1, 0, 10, 0, Beijing), mediated: true); // December

        using var visitor = _host.Anonymous();
        using (var early = await visitor.GetAsync(new Uri("/api/public/disclosures/2026-11", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, early.StatusCode);
        }

        using (var draft = await admin.PostAsJsonAsync("/api/admin/disclosures/2026-11/draft", new { }))
        {
            Assert.True(draft.IsSuccessStatusCode, await draft.Content.ReadAsStringAsync());
        }

        using (var early = await visitor.GetAsync(new Uri("/api/public/disclosures/2026-11", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, early.StatusCode);
        }

        using (var unreviewed = await admin.PostAsJsonAsync("/api/admin/disclosures/2026-11/publish", new { }))
        {
            Assert.Equal(HttpStatusCode.Conflict, unreviewed.StatusCode);
        }

        using (var reviewed = await admin.PostAsJsonAsync("/api/admin/disclosures/2026-11/review", new { }))
        {
            Assert.True(reviewed.IsSuccessStatusCode);
        }

        using (var published = await admin.PostAsJsonAsync("/api/admin/disclosures/2026-11/publish", new { }))
        {
            Assert.True(published.IsSuccessStatusCode);
        }

        using var response = await visitor.GetAsync(new Uri("/api/public/disclosures/2026-11", UriKind.Relative));
        var raw = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("李四", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("1370000", raw, StringComparison.Ordinal);
        var lines = JsonDocument.Parse(raw).RootElement.GetProperty("lines").EnumerateArray().ToDictionary(l => l.GetProperty("businessName").GetString()!);
        Assert.Equal(["温州小王数码有限公司", "鹿城区大华电器"], lines.Keys.Order(StringComparer.Ordinal).ToArray());

        var xiaowang = lines["温州小王数码有限公司"];
        Assert.Equal((2, 1, 1.0), (xiaowang.GetProperty("received").GetInt32(), xiaowang.GetProperty("previousReceived").GetInt32(), xiaowang.GetProperty("growth").GetDouble()));
        Assert.Equal(1.0, xiaowang.GetProperty("mediationSuccessRate").GetDouble());
        Assert.True(xiaowang.GetProperty("odr").GetBoolean());
        Assert.Equal(0.5, xiaowang.GetProperty("odrSettledRate").GetDouble());

        var dahua = lines["鹿城区大华电器"];
        Assert.Equal(1, dahua.GetProperty("received").GetInt32());
        Assert.Equal(0.0, dahua.GetProperty("mediationSuccessRate").GetDouble());
        Assert.False(dahua.GetProperty("odr").GetBoolean());
        Assert.Equal(JsonValueKind.Null, dahua.GetProperty("odrSettledRate").ValueKind);

        // Published is final: the month is not counted again.
        using var redraft = await admin.PostAsJsonAsync("/api/admin/disclosures/2026-11/draft", new { });
        Assert.Equal(HttpStatusCode.Conflict, redraft.StatusCode);
        Assert.Equal(["2026-11"], await visitor.GetFromJsonAsync<string[]>("/api/public/disclosures") ?? []);
    }
}
