using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;

namespace ComplaintWorkflows.WorkflowHost.Tests.Web;

public sealed class DashboardApiTests(WebStaffHost host) : IClassFixture<WebStaffHost>
{
    [Theory]
    [InlineData("month")]
    [InlineData("week")]
    public async Task Trend_AddsUpToTheKpisOfTheSameRange(string period)
    {
        await host.IdsAsync();
        using var admin = host.As("admin");

        var trend = await admin.GetFromJsonAsync<JsonElement>(new Uri($"/api/dashboard/trends?period={period}", UriKind.Relative));
        var points = trend.GetProperty("points").EnumerateArray().ToList();
        var from = points[0].GetProperty("from").GetDateTimeOffset();
        var to = points[^1].GetProperty("to").GetDateTimeOffset();
        var kpis = await admin.GetFromJsonAsync<JsonElement>(new Uri($"/api/kpis?from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}", UriKind.Relative));

        Assert.Equal(12, points.Count);
        Assert.All(points.Zip(points.Skip(1)), p => Assert.Equal(p.First.GetProperty("to").GetDateTimeOffset(), p.Second.GetProperty("from").GetDateTimeOffset()));
        var received = kpis.GetProperty("total").GetProperty("received").GetInt32();
        Assert.True(received > 0);
        Assert.Equal(received, points.Sum(p => p.GetProperty("figures").GetProperty("received").GetInt32()));
        Assert.Matches(period == "week" ? @"^\d{4}-W\d{2}$" : @"^\d{4}-\d{2}$", points[^1].GetProperty("label").GetString());
    }

    [Fact]
    public async Task DeadlineLists_CountWhatTheOverdueSearchFinds()
    {
        await host.IdsAsync();
        using var admin = host.As("admin");

        var lists = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/dashboard/deadlines", UriKind.Relative));
        var search = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/complaints?overdue=true&pageSize=100", UriKind.Relative));

        Assert.Equal(search.GetProperty("total").GetInt32(), lists.GetProperty("overdueTotal").GetInt32());
        var now = lists.GetProperty("now").GetDateTimeOffset();
        Assert.All(lists.GetProperty("overdue").EnumerateArray(), i => Assert.True(i.GetProperty("dueAt").GetDateTimeOffset() < now));
        Assert.All(lists.GetProperty("dueSoon").EnumerateArray(), i => Assert.InRange(i.GetProperty("dueAt").GetDateTimeOffset(), now, now.AddDays(2)));
    }

    [Fact]
    public async Task KpiExport_HoldsTheSameFiguresAsTheApi()
    {
        await host.IdsAsync();
        using var leader = host.As("lc-reviewer");
        const string range = "from=2020-01-01T00:00:00Z&to=2030-01-01T00:00:00Z";

        var kpis = await leader.GetFromJsonAsync<JsonElement>(new Uri("/api/kpis?" + range, UriKind.Relative));
        using var response = await leader.GetAsync(new Uri("/api/exports/kpis.xlsx?" + range, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        var book = Xlsx.Read(await response.Content.ReadAsByteArrayAsync());
        var total = book["总计 Total"];
        Assert.Equal("受理量 Received", total[0][1]);
        Assert.Equal(kpis.GetProperty("total").GetProperty("received").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture), total[1][1]);
        Assert.Equal(kpis.GetProperty("byUnit").GetArrayLength(), book["单位 Units"].Count - 1);
        Assert.Equal(kpis.GetProperty("byHandler").GetArrayLength(), book["承办人 Handlers"].Count - 1);
        var onTime = kpis.GetProperty("total").GetProperty("onTime");
        Assert.Equal(onTime.GetProperty("of").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture), total[1][4]);
    }

    [Fact]
    public async Task ComplaintExport_ListsWhatTheSearchFinds_MaskedForALeader_AndMarkupStaysText()
    {
        const string markup = "<img src=x onerror=alert(1)>=HYPERLINK(\"http://x\")超市";
        var (_, tracking) = await WebStaffHost.FileAsync(host.As(null), "13955556666", "导出测试 " + Guid.NewGuid(), markup);
        using var desk = host.As("zx-desk-a");
        using var leader = host.As("zx-leader");

        var search = await leader.GetFromJsonAsync<JsonElement>(new Uri("/api/complaints?pageSize=100", UriKind.Relative));
        using var response = await leader.GetAsync(new Uri("/api/exports/complaints.xlsx", UriKind.Relative));
        var rows = Xlsx.Read(await response.Content.ReadAsByteArrayAsync())["投诉列表 Complaints"];

        Assert.Equal(search.GetProperty("total").GetInt32(), rows.Count - 1);
        var byTracking = rows.Skip(1).ToDictionary(r => r[0]!);
        foreach (var item in search.GetProperty("items").EnumerateArray())
        {
            var row = byTracking[item.GetProperty("trackingNumber").GetString()!];
            Assert.Equal(item.GetProperty("consumerName").GetString(), row[4]);
            Assert.Equal(item.GetProperty("respondentName").GetString(), row[5]);
        }

        Assert.DoesNotContain(rows.Skip(1), r => r[4] == "测试消费者");
        Assert.Equal(markup, byTracking[tracking][5]);
    }

    [Fact]
    public async Task ComplaintExport_FollowsTheSearchFilters()
    {
        await host.IdsAsync();
        using var admin = host.As("admin");

        var search = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/complaints?unitId=wz-lucheng-wuma&pageSize=100", UriKind.Relative));
        using var response = await admin.GetAsync(new Uri("/api/exports/complaints.xlsx?unitId=wz-lucheng-wuma", UriKind.Relative));
        var rows = Xlsx.Read(await response.Content.ReadAsByteArrayAsync())["投诉列表 Complaints"];

        Assert.Equal(search.GetProperty("total").GetInt32(), rows.Count - 1);
        Assert.All(rows.Skip(1), r => Assert.Equal("五马市场监督管理所", r[8]));
    }
}

/// <summary>Reads an .xlsx the way a spreadsheet program does: the workbook's sheets by name, each row's cells by column, shared or inline strings.</summary>
internal static class Xlsx
{
    private static readonly XNamespace Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private static readonly XNamespace Relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    public static Dictionary<string, List<string?[]>> Read(byte[] bytes)
    {
        using var zip = new ZipArchive(new MemoryStream(bytes));
        XDocument Part(string name)
        {
            using var stream = zip.GetEntry(name)?.Open() ?? throw new InvalidDataException($"missing part {name}");
            return XDocument.Load(stream);
        }

        Assert.NotNull(zip.GetEntry("[Content_Types].xml"));
        var rels = Part("xl/_rels/workbook.xml.rels").Root!.Elements().ToDictionary(r => r.Attribute("Id")!.Value, r => r.Attribute("Target")!.Value);
        var shared = zip.GetEntry("xl/sharedStrings.xml") is null ? [] : Part("xl/sharedStrings.xml").Root!.Elements(Main + "si").Select(s => string.Concat(s.Descendants(Main + "t").Select(t => t.Value))).ToList();
        var result = new Dictionary<string, List<string?[]>>(StringComparer.Ordinal);
        foreach (var sheet in Part("xl/workbook.xml").Root!.Element(Main + "sheets")!.Elements(Main + "sheet"))
        {
            var data = Part("xl/" + rels[sheet.Attribute(Relationships + "id")!.Value]);
            var rows = new List<string?[]>();
            foreach (var row in data.Descendants(Main + "row"))
            {
                var cells = row.Elements(Main + "c").ToList();
                var values = new string?[cells.Count == 0 ? 0 : cells.Max(c => Column(c.Attribute("r")!.Value)) + 1];
                foreach (var cell in cells)
                {
                    // Text is never a formula here.
                    Assert.Null(cell.Element(Main + "f"));
                    var type = cell.Attribute("t")?.Value;
                    values[Column(cell.Attribute("r")!.Value)] = type switch
                    {
                        "inlineStr" => string.Concat(cell.Descendants(Main + "t").Select(t => t.Value)),
                        "s" => shared[int.Parse(cell.Element(Main + "v")!.Value, System.Globalization.CultureInfo.InvariantCulture)],
                        _ => cell.Element(Main + "v")?.Value,
                    };
                }

                rows.Add(values);
            }

            result[sheet.Attribute("name")!.Value] = rows;
        }

        return result;
    }

    private static int Column(string reference)
    {
        var column = 0;
        foreach (var c in reference.TakeWhile(char.IsLetter))
        {
            column = (column * 26) + (c - 'A' + 1);
        }

        return column - 1;
    }
}
