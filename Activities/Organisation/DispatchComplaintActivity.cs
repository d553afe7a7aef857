using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Persistence;
using ComplaintWorkflows.Engine.Variables;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Activities.Organisation;

/// <summary>Suggests the unit, department and handler of a complaint (jurisdiction, key phrases, skills, workload, A/B posts and duty).</summary>
[Activity("complaint.dispatch", DisplayName = "智能分派建议 (Dispatch suggestion)", Category = "投诉处理 (Complaints)",
    Description = "按被投诉方地址确定管辖单位，按问题类型、行业、关键词和技能选择科室与承办人，并考虑在办量、A/B岗和值班。Suggests unit, department and handler by jurisdiction, key phrases, skills and workload.")]
[ActivityInput("respondentName", VariableType.String, DisplayName = "被投诉方名称 (Respondent)")]
[ActivityInput("respondentAddress", VariableType.String, DisplayName = "被投诉方地址 (Respondent address)")]
[ActivityInput("problemType", VariableType.String, DisplayName = "问题类型 (Problem type)")]
[ActivityInput("industry", VariableType.String, DisplayName = "行业 (Industry)")]
[ActivityInput("goodsOrService", VariableType.String, DisplayName = "商品或服务 (Goods or service)")]
[ActivityInput("text", VariableType.String, DisplayName = "投诉内容 (Text)")]
[ActivityOutput("unitId", VariableType.String, DisplayName = "承办单位 (Unit)", Description = "不属于管辖时为投诉中心")]
[ActivityOutput("unitName", VariableType.String, DisplayName = "承办单位名称 (Unit name)")]
[ActivityOutput("departmentId", VariableType.String, DisplayName = "承办科室 (Department)")]
[ActivityOutput("handler", VariableType.String, DisplayName = "承办人 (Handler)", Description = "现在应接收的人（用户名）")]
[ActivityOutput("dispatchReason", VariableType.String, DisplayName = "分派理由 (Reason)")]
[ActivityOutput("dispatchConfidence", VariableType.Double, DisplayName = "置信度 (Confidence)", Description = "0 到 1")]
[ActivityOutput("inJurisdiction", VariableType.Boolean, DisplayName = "属本中心管辖 (In jurisdiction)")]
public sealed class DispatchComplaintActivity(DispatchAdvisor advisor, IDbContextFactory<DomainDbContext> contexts, RowInserter? rows = null) : IActivity
{
    private readonly RowInserter _rows = rows ?? new();

    public async ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var advice = await advisor.AdviseAsync(
            new DispatchRequest(
                context.GetInput<string>("respondentName"),
                context.GetInput<string>("respondentAddress"),
                context.GetInput<string>("problemType"),
                context.GetInput<string>("industry"),
                context.GetInput<string>("goodsOrService"),
                context.GetInput<string>("text")),
            DomainStepWork.ReadingContext(context, contexts, _rows),
            cancellationToken).ConfigureAwait(false);
        context.SetOutput("unitId", advice.UnitId);
        context.SetOutput("unitName", advice.UnitName);
        context.SetOutput("departmentId", advice.DepartmentId);
        context.SetOutput("handler", advice.Handler);
        context.SetOutput("dispatchReason", advice.Reason);
        context.SetOutput("dispatchConfidence", advice.Confidence);
        context.SetOutput("inJurisdiction", advice.InJurisdiction);
    }
}
