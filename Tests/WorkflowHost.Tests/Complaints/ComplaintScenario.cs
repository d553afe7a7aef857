using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ComplaintWorkflows.Activities.Organisation;
using ComplaintWorkflows.Engine.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace ComplaintWorkflows.WorkflowHost.Tests.Complaints;

/// <summary>Drives complaints through the API as the people who would: consumers file, staff work their inbox.</summary>
public sealed class ComplaintScenario(ComplaintHost host)
{
    private Dictionary<string, IReadOnlyList<string>>? _groups;

    public ComplaintHost Host => host;

    /// <summary>Files a complaint (as a signed-in consumer when given) and returns its id.</summary>
    public async Task<string> FileAsync(string facts, string request = "要求退货退款", string respondent = "鹿城区小王数码店",
        string respondentAddress = "温州市鹿城区五马街道解放街12号", string? consumer = null, string phone = "13812345678", string? email = null, string? notifyBy = null,
        string name = "张三", string address = "温州市鹿城区五马街道县前头1号", HttpStatusCode expected = HttpStatusCode.Created)
    {
        using var client = consumer is null ? host.Anonymous() : host.As(consumer);
        using var response = await client.PostAsJsonAsync("/api/complaints", new
        {
            consumerName = name,
            consumerPhone = phone,
            consumerAddress = address,
            respondentName = respondent,
            respondentAddress,
            request,
            facts,
            consumerEmail = email,
            notifyBy,
        });
        Assert.True(response.StatusCode == expected, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>The open task at an element for a complaint (in its own process, its survey or its case).</summary>
    public async Task<TaskInfo> TaskAsync(string complaintId, string elementId)
        => await FindTaskAsync(complaintId, elementId) ?? throw new Xunit.Sdk.XunitException($"No open task '{elementId}' for complaint {complaintId}. Open: {string.Join(", ", (await host.Engine.GetTasksAsync()).Select(t => t.ElementId))}");

    public async Task<TaskInfo?> FindTaskAsync(string complaintId, string elementId)
    {
        foreach (var task in await host.Engine.GetTasksAsync(new TaskQuery(ElementId: elementId)))
        {
            if (task.BusinessKey == complaintId)
            {
                return task;
            }

            var variables = await host.Engine.GetVariablesAsync(task.ProcessInstanceId);
            if (variables.GetValueOrDefault("complaintId") as string == complaintId || variables.GetValueOrDefault("reportComplaintId") as string == complaintId)
            {
                return task;
            }
        }

        return null;
    }

    /// <summary>Who works a task: its assignee, else a demo staff member of one of its groups.</summary>
    public async Task<string> WorkerAsync(TaskInfo task)
    {
        if (task.Assignee is { } assignee)
        {
            return assignee;
        }

        if (_groups is null)
        {
            var organisation = host.Services.GetRequiredService<OrganisationService>();
            _groups = [];
            foreach (var user in DemoOrganisation.Users)
            {
                _groups[user.UserName] = (await organisation.ProfileAsync(user.UserName))?.Groups ?? [];
            }
        }

        return _groups.OrderBy(g => g.Key, StringComparer.Ordinal).First(g => g.Value.Intersect(task.CandidateGroups).Any()).Key;
    }

    /// <summary>Completes the task at an element through the inbox as the person who works it.</summary>
    public async Task<string> CompleteAsync(string complaintId, string elementId, object variables)
    {
        var task = await TaskAsync(complaintId, elementId);
        var worker = await WorkerAsync(task);
        using var client = host.As(worker);
        using var response = await client.PostAsJsonAsync($"/api/inbox/tasks/{task.Id}/complete", new { variables });
        Assert.True(response.StatusCode == HttpStatusCode.NoContent, $"{worker} completing {elementId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return worker;
    }

    /// <summary>The intake desk confirms the classification and dispatch suggestion as it stands.</summary>
    public async Task ConfirmDispatchAsync(string complaintId, object? changes = null)
    {
        var task = await TaskAsync(complaintId, "reviewDispatch");
        var v = await host.Engine.GetVariablesAsync(task.ProcessInstanceId);
        var values = new Dictionary<string, object?>
        {
            ["problemType"] = v["problemType"],
            ["goodsOrService"] = v.GetValueOrDefault("goodsOrService"),
            ["industry"] = v.GetValueOrDefault("industry"),
            ["tier"] = v["tier"],
            ["unitId"] = v["unitId"],
            ["handler"] = v["handler"],
        };
        if (changes is not null)
        {
            foreach (var property in JsonSerializer.SerializeToElement(changes).EnumerateObject())
            {
                values[property.Name] = property.Value;
            }
        }

        await CompleteAsync(complaintId, "reviewDispatch", values);
    }

    public async Task AcceptAsync(string complaintId, object? extra = null)
    {
        var values = new Dictionary<string, object?> { ["acceptance"] = "accept" };
        if (extra is not null)
        {
            foreach (var property in JsonSerializer.SerializeToElement(extra).EnumerateObject())
            {
                values[property.Name] = property.Value;
            }
        }

        await CompleteAsync(complaintId, "acceptanceDecision", values);
    }

    public Task<string> CloseRecordAsync(string complaintId, bool succeeded = true, string signatures = "wm-handler,wm-desk-a")
        => CompleteAsync(complaintId, "closureRecord", new
        {
            basicFacts = "消费者于店内购买手机，一周后屏幕出现竖线。",
            disputePoints = "屏幕故障是否属于质量问题，应否退货。",
            mediationProcess = "承办人电话联系双方，组织调解，商家同意检测后处理。",
            result = succeeded ? "商家同意退货退款 2999 元，消费者满意。" : "双方未达成一致，调解终止，告知消费者可依法向人民法院起诉。",
            mediationSucceeded = succeeded,
            signatures,
        });

    /// <summary>Takes a complaint from intake to closure the simple way: dispatch confirmed, accepted, mediated, closing record, desk approval.</summary>
    public async Task CloseAsync(string complaintId)
    {
        await ConfirmDispatchAsync(complaintId);
        await AcceptAsync(complaintId);
        await CompleteAsync(complaintId, "mediate", new { outcome = "mediated", mediationSucceeded = true, progressNote = "已联系商家协商，商家同意退款" });
        await CloseRecordAsync(complaintId);
        await CompleteAsync(complaintId, "deskReview", new { decision = "approve" });
    }

    /// <summary>The complaint file as a user sees it.</summary>
    public async Task<JsonElement> FileOfAsync(string complaintId, string user = "admin")
    {
        using var client = host.As(user);
        using var response = await client.GetAsync(new Uri($"/api/complaints/{complaintId}", UriKind.Relative));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<string> StatusAsync(string complaintId)
        => (await FileOfAsync(complaintId)).GetProperty("complaint").GetProperty("status").GetString()!;

    public static IReadOnlyList<string> TimelineKinds(JsonElement file)
        => [.. file.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("kind").GetString()!)];
}
