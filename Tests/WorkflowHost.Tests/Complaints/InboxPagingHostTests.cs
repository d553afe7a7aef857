using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ComplaintWorkflows.WorkflowHost.Tests.Complaints;

/// <summary>The paged inbox over HTTP: the next page in a Link header, bad parameters named in a 400.</summary>
public sealed class InboxPagingHostTests
{
    [Fact]
    public async Task Inbox_FollowingTheLinkHeaderPageByPage_GivesTheWholeInboxInOrder_EachTaskOnce()
    {
        using var host = new ComplaintHost { SeedDemoComplaints = true };
        using var desk = host.As("zx-desk-a");
        var whole = (await desk.GetFromJsonAsync<JsonElement>(new Uri("/api/inbox/tasks?pageSize=500", UriKind.Relative), ComplaintHost.Json))
            .EnumerateArray().Select(t => t.GetProperty("id").GetString()).ToList();
        Assert.NotEmpty(whole);

        foreach (var scope in new[] { "", "scope=mine&", "scope=groups&" })
        {
            var expected = scope.Length == 0 ? whole : (await desk.GetFromJsonAsync<JsonElement>(new Uri($"/api/inbox/tasks?{scope}pageSize=500", UriKind.Relative), ComplaintHost.Json))
                .EnumerateArray().Select(t => t.GetProperty("id").GetString()).ToList();
            var paged = new List<string?>();
            var next = new Uri($"/api/inbox/tasks?{scope}pageSize=1", UriKind.Relative);
            for (var pages = 0; next is not null; pages++)
            {
                Assert.True(pages <= expected.Count, $"more pages than tasks for '{scope}'");
                using var response = await desk.GetAsync(next);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var page = await response.Content.ReadFromJsonAsync<JsonElement>(ComplaintHost.Json);
                Assert.True(page.GetArrayLength() <= 1);
                paged.AddRange(page.EnumerateArray().Select(t => t.GetProperty("id").GetString()));
                next = response.Headers.TryGetValues("Link", out var links) && links.Single() is var link
                    ? new Uri(link[(link.IndexOf('<', StringComparison.Ordinal) + 1)..link.IndexOf('>', StringComparison.Ordinal)], UriKind.Relative)
                    : null;
                if (next is not null)
                {
                    Assert.EndsWith("; rel=\"next\"", response.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
                }
            }

            Assert.Equal(expected, paged);
        }
    }

    [Theory]
    [InlineData("scope=everyone", "scope")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=501", "pageSize")]
    [InlineData("pageSize=ten", "pageSize")]
    [InlineData("scope=mine&after=not-a-cursor", "after")]
    [InlineData("after=1.2.x", "after")]
    public async Task Inbox_ABadParameter_IsA400NamingIt(string query, string parameter)
    {
        using var host = new ComplaintHost();
        using var desk = host.As("zx-desk-a");
        using var response = await desk.GetAsync(new Uri("/api/inbox/tasks?" + query, UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(ComplaintHost.Json);
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out var messages), problem.ToString());
        Assert.Contains(parameter, messages[0].GetString(), StringComparison.Ordinal);
    }
}
