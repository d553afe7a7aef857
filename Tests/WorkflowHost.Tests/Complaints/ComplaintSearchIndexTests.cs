using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ComplaintWorkflows.TestSupport;

namespace ComplaintWorkflows.WorkflowHost.Tests.Complaints;

/// <summary>
/// The search paths added for large databases, on SQLite (FTS5 trigram table) and PostgreSQL (pg_trgm): free text finds
/// exactly the complaints a substring search of the respondent and the facts finds, keyset pages add up to the whole
/// list in order, and the phone and respondent filters.
/// </summary>
public sealed class ComplaintSearchIndexTests
{
    private static readonly (string Respondent, string Facts, string Phone)[] Filed =
    [
        ("鹿城区宏达数码店", "购买的手机屏幕出现竖线，商家拒绝退款。", "13811110001"),
        ("瓯海区美丽人生美容美发店", "预付卡余额2000元，店铺突然关门。", "13811110002"),
        ("龙湾区好运来超市", "购买的牛奶已过保质期两天仍在销售。", "13811110001"),
        ("鹿城区预付卡健身房", "办卡时承诺可随时退卡，现要求退款被拒。", "13811110003"),
        ("瓯海区开心教育培训中心", "培训费 ABC 套餐宣传保过，未通过后拒绝退费（\"保过\"）。", "13811110004"),
        ("温州某某汽车销售服务有限公司", "新车交付后发现车漆有修补痕迹，abc 商家称正常。", "13811110001"),
        ("鹿城区宏达数码店", "耳机使用三天后无声，商家拒绝退款。", "13811110005"),
    ];

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task FreeText_FindsWhatASubstringSearchFinds_AndKeysetPagesAddUpToTheList(string database)
    {
        var settings = new Dictionary<string, string?>();
        if (database == "postgres")
        {
            settings["Workflows:Database"] = "Postgres";
            settings["Workflows:ConnectionString"] = await TestPostgres.NewDatabaseAsync("search");
        }

        using var host = new ComplaintHost { Settings = settings };
        var scenario = new ComplaintScenario(host);
        var ids = new List<string>();
        foreach (var (respondent, facts, phone) in Filed)
        {
            ids.Add(await scenario.FileAsync(facts, respondent: respondent, phone: phone));
            if (ids.Count % 3 != 0)
            {
                // Some complaints share their receipt instant: the id orders them.
                host.Time.Advance(TimeSpan.FromMinutes(1));
            }
        }

        using var desk = host.As("zx-desk-a");
        async Task<JsonElement> Search(string query)
            => await desk.GetFromJsonAsync<JsonElement>(new Uri("/api/complaints?" + query, UriKind.Relative), ComplaintHost.Json);
        static List<string> Ids(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetString()!)];

        // Three characters and more go through the index, fewer through a scan; both case-sensitive, as written.
        foreach (var words in new[] { "预付卡", "退款", "宏达数码", "ABC", "abc", "（\"保过\"）", "100%", "不存在的词语" })
        {
            var expected = Filed.Select((f, i) => (f, i)).Where(x => x.f.Respondent.Contains(words, StringComparison.Ordinal) || x.f.Facts.Contains(words, StringComparison.Ordinal))
                .Select(x => ids[x.i]).Order(StringComparer.Ordinal).ToList();
            var found = Ids(await Search("pageSize=100&q=" + Uri.EscapeDataString(words))).Order(StringComparer.Ordinal).ToList();
            Assert.True(expected.SequenceEqual(found), $"q={words}: expected {string.Join(",", expected)}, found {string.Join(",", found)}");
        }

        var all = await Search("pageSize=100");
        var whole = Ids(all);
        Assert.Equal(ids.Count, whole.Count);
        var paged = new List<string>();
        string? after = null;
        do
        {
            var page = await Search("pageSize=2" + (after is null ? "" : "&after=" + Uri.EscapeDataString(after)));
            Assert.Equal(ids.Count, page.GetProperty("total").GetInt32());
            paged.AddRange(Ids(page));
            after = page.GetProperty("next").GetString();
        }
        while (after is not null && paged.Count <= ids.Count);
        Assert.Equal(whole, paged);

        // Newest first, and a bad cursor is refused.
        var received = all.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("receivedAt").GetDateTimeOffset()).ToList();
        Assert.Equal(received.OrderDescending(), received);
        using var bad = await desk.GetAsync(new Uri("/api/complaints?after=yesterday", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        // The phone through its lookup hash, written differently; for desk officers only.
        var byPhone = Ids(await Search("phone=" + Uri.EscapeDataString("+86 138-1111-0001"))).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { ids[0], ids[2], ids[5] }.Order(StringComparer.Ordinal), byPhone);
        using var handler = host.As("wm-handler");
        using var refused = await handler.GetAsync(new Uri("/api/complaints?phone=13811110001", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        var byRespondent = Ids(await Search("respondent=" + Uri.EscapeDataString("鹿城区宏达数码店"))).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { ids[0], ids[6] }.Order(StringComparer.Ordinal), byRespondent);

        // A tracking number finds its complaint alone.
        var tracking = (await desk.GetFromJsonAsync<JsonElement>(new Uri("/api/complaints/" + ids[3], UriKind.Relative), ComplaintHost.Json)).GetProperty("complaint").GetProperty("trackingNumber").GetString()!;
        Assert.Equal([ids[3]], Ids(await Search("q=" + tracking)));
    }
}
