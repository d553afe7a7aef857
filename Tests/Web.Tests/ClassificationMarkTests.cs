using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace ComplaintWorkflows.Web.Tests;

/// <summary>
/// The desk's review shows how sure the classifier was: a vague complaint's row and task carry "需人工复核", and every
/// row's mark (with its candidate labels, when it needs review) says what the inbox API says for that task.
/// </summary>
[Collection(WebTestGroup.Name)]
public sealed class ClassificationMarkTests(WebHostFixture host, ITestOutputHelper output)
{
    [Fact]
    public async Task AVagueComplaint_IsMarkedNeedsReview_InTheRowAndTheTask_AndEveryRowShowsTheApisVerdict()
    {
        var staff = new StaffPagesTests(host, output);
        var (_, vague) = await staff.FileAsync("我想反映一个情况。", request: "请处理");
        var (_, clear) = await staff.FileAsync("买的牛奶过期变质，喝了腹泻，要求退货赔偿。");
        var page = await host.NewPageAsync();
        await WebHostFixture.SignInAsync(page, "zx-desk-a", WebHostFixture.DemoPassword, "/inbox/");

        // Nothing in the vague text points anywhere: needs review, and no candidates to offer.
        var row = page.Locator($"#inbox-tasks tr:has(td:text-is('{vague}'))");
        await Assertions.Expect(row.Locator(".needs-review")).ToHaveTextAsync("需人工复核");
        await Assertions.Expect(row.Locator(".no-candidates")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^\\s*无候选分类，请人工判断$"));
        var clearRow = page.Locator($"#inbox-tasks tr:has(td:text-is('{clear}'))");
        await Assertions.Expect(clearRow.Locator(".classification-review .badge")).ToHaveCountAsync(1);
        output.WriteLine(await host.ScreenshotAsync(page, "inbox-needs-review"));

        // Each row's mark is the API's verdict for its task: needs review, or above the threshold.
        using var desk = host.ClientFor("zx-desk-a", WebHostFixture.DemoPassword);
        var tasks = await desk.GetFromJsonAsync<JsonElement>(new Uri("/api/inbox/tasks", UriKind.Relative));
        var marked = 0;
        foreach (var task in tasks.EnumerateArray().Where(t => t.TryGetProperty("classification", out var c) && c.ValueKind == JsonValueKind.Object))
        {
            var classification = task.GetProperty("classification");
            var needsReview = classification.GetProperty("needsReview").GetBoolean();
            var taskRow = page.Locator($"#inbox-tasks tr[data-task-id='{task.GetProperty("id").GetString()}']");
            await Assertions.Expect(taskRow.Locator(needsReview ? ".badge-warn" : ".badge-ok")).ToHaveCountAsync(1);
            if (needsReview && classification.GetProperty("topLabels").GetString() is { Length: > 0 } labels)
            {
                await Assertions.Expect(taskRow.Locator(".top-labels")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("候选分类：" + System.Text.RegularExpressions.Regex.Escape(labels) + "$"));
            }
            marked++;
        }

        Assert.True(marked > 0, "the inbox API gave no task with a classification");
        await row.Locator("button.claim").ClickAsync();
        await row.Locator("button.open").ClickAsync();
        await Assertions.Expect(page.Locator("#task-classification .needs-review")).ToHaveTextAsync("需人工复核");
        output.WriteLine(await host.ScreenshotAsync(page, "inbox-needs-review-task"));
        Assert.Empty(host.PageErrors[page]);
    }
}
