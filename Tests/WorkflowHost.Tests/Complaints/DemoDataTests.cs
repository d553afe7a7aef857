using System.Net.Http.Json;
using System.Text.Json;

namespace ComplaintWorkflows.WorkflowHost.Tests.Complaints;

public sealed class DemoDataTests
{
    [Fact]
    public async Task ANewDatabase_HasDemoComplaintsInDifferentStates_ThatEachRoleCanWorkOn()
    {
        using var host = new ComplaintHost { SeedDemoComplaints = true };
        using var admin = host.As("admin");

        var page = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/complaints?pageSize=50", UriKind.Relative), ComplaintHost.Json);

        var statuses = page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("status").GetString()).ToHashSet();
        Assert.Equal(5, page.GetProperty("total").GetInt32());
        Assert.Superset(new HashSet<string?> { "Classified", "Accepted", "Closed", "Refused", "Archived" }, statuses);

        using var desk = host.As("zx-desk-a");
        var inbox = await desk.GetFromJsonAsync<JsonElement>(new Uri("/api/inbox/tasks", UriKind.Relative), ComplaintHost.Json);
        Assert.Contains(inbox.EnumerateArray(), t => t.GetProperty("elementId").GetString() == "reviewDispatch");
    }
}
