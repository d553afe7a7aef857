using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ComplaintWorkflows.Activities.Messaging;
using ComplaintWorkflows.Engine.Runtime;
using ComplaintWorkflows.WorkflowHost.Tests.Complaints;
using Microsoft.Extensions.DependencyInjection;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Organisation;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.WorkflowHost.Tests.Emergency;

/// <summary>One notification as stored: who it went to, on which channel, whether it was a drill's.</summary>
public sealed record SentNotification(string Key, string Template, string? UserName, string? Email, MessageChannel? Channel, bool Drill);

/// <summary>The complaint host set up for the emergency scenarios: rounds run when a test asks (through the API), on the fake clock.</summary>
public sealed class EmergencyKit(ComplaintHost host)
{
    public ComplaintHost Host => host;

    public static ComplaintHost NewHost(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Workflows:Domain:Emergency:ScheduledWork"] = "false",
            ["Workflows:Domain:Emergency:CommitLag"] = "00:00:00",
            ["Workflows:Domain:Emergency:SettingsCacheDuration"] = "00:00:00",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return new ComplaintHost { Settings = all };
    }

    /// <summary>Every notification asked for so far.</summary>
    public IReadOnlyList<SentNotification> Notifications()
    {
        using var db = host.Services.GetRequiredService<IDbContextFactory<DomainDbContext>>().CreateDbContext();
        return [.. db.Set<Notification>().AsNoTracking().OrderBy(n => n.Id).AsEnumerable()
            .Select(n => new SentNotification(n.Key, n.Template, n.RecipientUserName, n.Channel == MessageChannel.Email ? n.Recipient : null, n.Channel, n.Drill))];
    }

    /// <summary>Gives every staff member a (made-up) mobile number and email address, as a real roster has, so SMS and email can go to them.</summary>
    public async Task<EmergencyKit> WithStaffContactsAsync()
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<DomainDbContext>>().CreateDbContextAsync();
        var i = 0;
        foreach (var member in await db.Set<StaffMember>().OrderBy(m => m.UserName).ToListAsync())
        {
            member.Phone = $"1390000{i++:0000}";
            member.Email ??= member.UserName + "@staff.12315.example";
        }

        await db.SaveChangesAsync();
        return this;
    }

    /// <summary>Files a complaint; with <paramref name="receivedAt"/> the intake desk files it (a call taken earlier).</summary>
    public async Task<string> FileAsync(string respondent, string respondentAddress, string facts, string phone, string name = "李女士", string request = "要求退还剩余预付款", DateTimeOffset? receivedAt = null, string? consumerAddress = null)
    {
        using var client = receivedAt is null ? host.Anonymous() : host.As("zx-desk-a");
        using var response = await client.PostAsJsonAsync("/api/complaints", new
        {
            consumerName = name,
            consumerPhone = phone,
            consumerAddress = consumerAddress ?? "温州市瓯海区娄桥街道古莲路88号",
            respondentName = respondent,
            respondentAddress,
            request,
            facts,
            channel = receivedAt is null ? null : "Phone",
            receivedAt,
        }, ComplaintHost.Json);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>Runs one round of the scheduled work through the administrators' API.</summary>
    public async Task<JsonElement> RunRoundAsync()
    {
        using var admin = host.As("admin");
        using var response = await admin.PostAsync(new Uri("/api/admin/emergency/run", UriKind.Relative), null);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        await host.Engine.RunPendingJobsAsync();

        // Complaint ids are time-ordered to the millisecond: complaints filed after this round get later ones
        // (on the real clock the commit lag does this).
        host.Time.Advance(TimeSpan.FromMilliseconds(5));
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<JsonElement> GetAsync(string url, string user = "admin")
    {
        using var client = host.As(user);
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.True(response.IsSuccessStatusCode, $"GET {url} as {user}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, object? body, string user = "admin")
    {
        using var client = host.As(user);
        using var request = new HttpRequestMessage(method, new Uri(url, UriKind.Relative)) { Content = body is null ? null : JsonContent.Create(body, options: ComplaintHost.Json) };
        return await client.SendAsync(request);
    }

    public async Task<JsonElement> IncidentsAsync(string? query = null) => await GetAsync("/api/emergency/incidents" + (query is null ? "" : "?" + query));

    public Task<JsonElement> IncidentFileAsync(string id, string user = "admin") => GetAsync($"/api/emergency/incidents/{id}", user);

    /// <summary>The open task at an element of a process instance.</summary>
    public async Task<TaskInfo> TaskAsync(string instanceId, string elementId)
        => (await host.Engine.GetTasksAsync(new TaskQuery(ProcessInstanceId: instanceId, ElementId: elementId))).SingleOrDefault()
            ?? throw new Xunit.Sdk.XunitException($"No open task '{elementId}' in {instanceId}. Open: {string.Join(", ", (await host.Engine.GetTasksAsync(new TaskQuery(ProcessInstanceId: instanceId))).Select(t => t.ElementId))}");

    /// <summary>Completes a task through the inbox as its assignee or its first candidate user; returns who did it.</summary>
    public async Task<string> CompleteAsync(string instanceId, string elementId, object variables, string? user = null)
    {
        var task = await TaskAsync(instanceId, elementId);
        var worker = user ?? task.Assignee ?? (task.CandidateUsers.Count > 0 ? task.CandidateUsers[0] : null) ?? throw new Xunit.Sdk.XunitException($"Task {elementId} has no assignee or candidate user.");
        using var response = await SendAsync(HttpMethod.Post, $"/api/inbox/tasks/{task.Id}/complete", new { variables }, worker);
        Assert.True(response.StatusCode == HttpStatusCode.NoContent, $"{worker} completing {elementId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return worker;
    }

    public static IReadOnlyList<string> EventKinds(JsonElement file) => [.. file.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("kind").GetString()!)];
}
