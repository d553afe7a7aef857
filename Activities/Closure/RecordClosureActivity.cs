using System.Collections;
using System.Globalization;
using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Variables;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Activities.Closure;

/// <summary>
/// Files the handler's four-part closing record from the closing task's form (variables basicFacts,
/// disputePoints, mediationProcess, result, signatures, mediationSucceeded). An incomplete record raises the
/// BPMN error <c>closure-incomplete</c> so the process sends the task back to the handler.
/// </summary>
[Activity("closure.record", DisplayName = "登记办结报告 (File closing record)", Category = "投诉处理 (Complaints)",
    Description = "保存承办人的四段式办结报告（基本情况、争议焦点、调解过程、处理结果）及至少两名工作人员签名；不完整时抛出 BPMN 错误 closure-incomplete。Files the four-part closing record with two staff signatures; raises closure-incomplete when parts are missing.")]
[ActivityInput("minimumSignatures", VariableType.Integer, DisplayName = "最少签名人数 (Minimum signatures)", Default = 2L)]
[ActivityOutput("closureRound", VariableType.Integer, DisplayName = "办结报告轮次 (Round)")]
public sealed class RecordClosureActivity(IDbContextFactory<DomainDbContext> contexts, Engine.Persistence.RowInserter? rows = null) : IActivity
{
    private readonly Engine.Persistence.RowInserter _rows = rows ?? new();

    public async ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var missing = new List<string>();
        string Part(string name, string label)
        {
            var text = Convert.ToString(context.GetVariable(name), CultureInfo.InvariantCulture)?.Trim();
            if (string.IsNullOrEmpty(text))
            {
                missing.Add($"{label} ({name})");
            }

            return text ?? "";
        }

        var facts = Part("basicFacts", "基本情况");
        var dispute = Part("disputePoints", "争议焦点");
        var process = Part("mediationProcess", "调解过程");
        var result = Part("result", "处理结果");
        var minimum = (int)(context.GetInput<long?>("minimumSignatures") ?? 2);

        // With the step: a step run again (a lost race) files the record once.
        var work = DomainStepWork.For(context, contexts, _rows);
        await using var disposeWork = work.ConfigureAwait(false);
        var db = work.Db;
        var (signers, problem) = await ClosureSignatures.CheckAsync(db, context.GetVariable("signatures"), minimum, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            missing.Add(problem);
        }

        if (missing.Count > 0)
        {
            throw new BpmnErrorException("closure-incomplete", "办结报告不完整 (closing record incomplete): " + string.Join("、", missing));
        }

        var complaintId = ComplaintContext.ComplaintId(context);
        var round = (await ClosureRecords.LatestAsync(db, complaintId, cancellationToken).ConfigureAwait(false))?.Round ?? 0;
        var record = new ClosureRecord
        {
            ComplaintId = complaintId,
            Round = round + 1,
            BasicFacts = facts,
            DisputePoints = dispute,
            MediationProcess = process,
            Result = result,
            MediationSucceeded = context.GetVariable("mediationSucceeded") is true,
            Signatures = string.Join(',', signers),
            RecordedBy = context.GetVariable("completedBy") as string ?? context.GetVariable("handler") as string,
            RecordedAt = context.Time.GetUtcNow(),
        };
        work.Add(record);
        await work.SaveAsync(cancellationToken).ConfigureAwait(false);
        context.SetOutput("closureRound", (long)record.Round);
    }
}
