using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Engine.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.WorkflowHost.Complaints;

/// <summary>
/// A few demo complaints in different states for a newcomer's database (only when demo data is on and no
/// complaint exists yet): one waiting for the intake desk, one in mediation, one waiting for the consumer's
/// survey, one refused and one archived. They go through the real processes, completed as the demo staff.
/// </summary>
internal sealed partial class DemoComplaints(
    ComplaintIntakeService intake,
    WorkflowEngine engine,
    IDbContextFactory<DomainDbContext> contexts,
    IOptions<WorkflowsOptions> options,
    ILogger<DemoComplaints> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.SeedDemoData || !options.Value.SeedDemoComplaints)
        {
            return;
        }

        await using (var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await db.Set<Complaint>().AnyAsync(cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }

        try
        {
            await SeedAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (WorkflowException e)
        {
            // Demo data must never stop the product from starting; say what went wrong and carry on.
            LogFailed(logger, e);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task SeedAsync(CancellationToken cancellationToken)
    {
        await FileAsync("王小明", "13905770001", "鹿城区小王数码店", "温州市鹿城区五马街道解放街12号", "购买的蓝牙耳机一只没有声音，商家说人为损坏不给换。", "要求更换新耳机", cancellationToken).ConfigureAwait(false);

        var mediating = await FileAsync("李华", "13905770002", "瓯海区美丽人生美容美发店", "温州市瓯海区娄桥街道古庙路8号", "办理的美发储值卡还有1200元，店家突然要求加价才能继续使用。", "要求按原价继续服务或退还余额", cancellationToken).ConfigureAwait(false);
        await DispatchAndAcceptAsync(mediating, cancellationToken).ConfigureAwait(false);

        var surveyed = await FileAsync("赵敏", "13905770003", "龙湾区好运来超市", "温州市龙湾区永中街道永宁西路66号", "在超市买的酸奶回家发现已过期两天。", "要求退款并赔偿", cancellationToken).ConfigureAwait(false);
        await DispatchAndAcceptAsync(surveyed, cancellationToken).ConfigureAwait(false);
        await CloseAsync(surveyed, cancellationToken).ConfigureAwait(false);

        var refused = await FileAsync("钱多多", "13905770004", "鹿城区健身达人健身房", "温州市鹿城区双屿街道双屿路18号", "2019 年办的健身卡，店里一直不给退。", "要求退卡退款", cancellationToken).ConfigureAwait(false);
        await CompleteAsync(refused, "reviewDispatch", null, cancellationToken).ConfigureAwait(false);
        await CompleteAsync(refused, "acceptanceDecision", new() { ["acceptance"] = "refuse", ["refusalGround"] = "知道或应当知道权益受侵害之日起超过三年", ["refusalNote"] = "办卡时间为 2019 年，已超过三年。" }, cancellationToken).ConfigureAwait(false);

        var archived = await FileAsync("孙丽", "13905770005", "鹿城区小王数码店", "温州市鹿城区五马街道解放街12号", "买的手机充电器用了三天就坏了，商家不肯退。", "要求退货退款", cancellationToken).ConfigureAwait(false);
        await DispatchAndAcceptAsync(archived, cancellationToken).ConfigureAwait(false);
        await CloseAsync(archived, cancellationToken).ConfigureAwait(false);
        await engine.CorrelateMessageAsync(new MessageCorrelation("survey-answer")
        {
            CorrelationKey = archived,
            Variables = new Dictionary<string, object?> { ["overall"] = 5L, ["speed"] = 5L, ["attitude"] = 5L, ["comment"] = "处理及时，满意", ["surveyChannel"] = "web" },
        }, cancellationToken).ConfigureAwait(false);
        LogSeeded(logger, 5);
    }

    private async Task<string> FileAsync(string name, string phone, string respondent, string address, string facts, string request, CancellationToken cancellationToken)
    {
        var result = await intake.RegisterAsync(new IntakeRequest
        {
            ConsumerName = name,
            ConsumerPhone = phone,
            ConsumerAddress = "温州市鹿城区（演示数据）",
            RespondentName = respondent,
            RespondentAddress = address,
            Facts = facts,
            Request = request,
            Channel = ComplaintChannel.Hotline12345,
        }, null, null, "demo", cancellationToken).ConfigureAwait(false);
        return result.Complaint.Id;
    }

    private async Task DispatchAndAcceptAsync(string complaintId, CancellationToken cancellationToken)
    {
        await CompleteAsync(complaintId, "reviewDispatch", null, cancellationToken).ConfigureAwait(false);
        await CompleteAsync(complaintId, "acceptanceDecision", new() { ["acceptance"] = "accept" }, cancellationToken).ConfigureAwait(false);
    }

    private async Task CloseAsync(string complaintId, CancellationToken cancellationToken)
    {
        await CompleteAsync(complaintId, "mediate", new() { ["outcome"] = "mediated", ["mediationSucceeded"] = true }, cancellationToken).ConfigureAwait(false);
        await CompleteAsync(complaintId, "closureRecord", new()
        {
            ["basicFacts"] = "消费者反映所购商品存在问题，与商家协商未果。",
            ["disputePoints"] = "商品问题是否属于质量问题。",
            ["mediationProcess"] = "承办人电话联系双方，组织调解。",
            ["result"] = "商家同意退货退款，消费者表示满意。",
            ["mediationSucceeded"] = true,
            ["signatures"] = "zx-desk-a,zx-desk-b",
        }, cancellationToken).ConfigureAwait(false);
        await CompleteAsync(complaintId, "deskReview", new() { ["decision"] = "approve" }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Completes the complaint's task at an element as its assignee (or the process's suggestion), keeping its variables as they are.</summary>
    private async Task CompleteAsync(string complaintId, string elementId, Dictionary<string, object?>? values, CancellationToken cancellationToken)
    {
        var task = (await engine.GetTasksAsync(new TaskQuery(ElementId: elementId), cancellationToken).ConfigureAwait(false)).FirstOrDefault(t => t.BusinessKey == complaintId)
            ?? throw new WorkflowException($"Demo complaint {complaintId} has no open task '{elementId}'.") { Code = "not-found" };
        var variables = values ?? [];
        variables["completedBy"] = task.Assignee ?? "demo";
        await engine.CompleteTaskAsync(task.Id, variables, task.Assignee ?? "demo", cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded {Count} demo complaints in different states")]
    private static partial void LogSeeded(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The demo complaints could not be seeded")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
