using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Persistence;
using ComplaintWorkflows.Engine.Variables;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Activities.Classification;

/// <summary>Classifies a complaint by its text: problem type, goods or service, industry, tier, report part and suspicions.</summary>
[Activity("complaint.classify", DisplayName = "投诉分类 (Classify complaint)", Category = "投诉处理 (Complaints)",
    Description = "按管理员维护的关键词规则和由人工更正训练的模型，给出问题类型、商品或服务类别、行业、复杂程度、举报拆分、职业索赔与群体投诉提示；置信度低时标记人工复核。"
        + "Classifies a complaint by editable keyword rules and a model trained from staff corrections; low confidence asks for review.")]
[ActivityInput("text", VariableType.String, DisplayName = "投诉内容 (Text)", Description = "事实与理由及诉求 (facts and request).", Required = true)]
[ActivityInput("respondentName", VariableType.String, DisplayName = "被投诉方 (Respondent)", Description = "用于群体投诉判断 (for the group-complaint check).")]
[ActivityInput("consumerPhone", VariableType.String, DisplayName = "消费者电话 (Consumer phone)", Description = "用于职业索赔判断；留空时取投诉记录中的电话 (for the professional-claimant check; empty: the complaint record's phone).")]
[ActivityOutput("problemType", VariableType.String, DisplayName = "问题类型 (Problem type)")]
[ActivityOutput("goodsOrService", VariableType.String, DisplayName = "商品或服务类别 (Goods or service)")]
[ActivityOutput("industry", VariableType.String, DisplayName = "行业 (Industry)")]
[ActivityOutput("tier", VariableType.String, DisplayName = "复杂程度 (Tier)", Description = "simple | general | complex")]
[ActivityOutput("confidence", VariableType.Double, DisplayName = "置信度 (Confidence)", Description = "0..1")]
[ActivityOutput("needsReview", VariableType.Boolean, DisplayName = "需人工复核 (Needs review)", Description = "有训练模型时：模型概率低于交叉验证得出的阈值 (below the cross-validated threshold)")]
[ActivityOutput("autoDispatch", VariableType.Boolean, DisplayName = "自动分派 (Dispatch without review)", Description = "已开启自动分派且各复核维度均达到阈值 (auto dispatch on and every reviewed dimension above its threshold)")]
[ActivityOutput("topLabels", VariableType.String, DisplayName = "候选分类 (Top three labels)", Description = "如：质量 72%、售后服务 15%、合同 5%")]
[ActivityOutput("hasReportPart", VariableType.Boolean, DisplayName = "含举报内容 (Has report part)")]
[ActivityOutput("reportText", VariableType.String, DisplayName = "举报内容 (Report text)")]
[ActivityOutput("suspectedProfessionalClaimant", VariableType.Boolean, DisplayName = "疑似职业索赔 (Suspected professional claimant)")]
[ActivityOutput("suspectedGroupComplaint", VariableType.Boolean, DisplayName = "疑似群体投诉 (Suspected group complaint)")]
[ActivityOutput("classificationReason", VariableType.String, DisplayName = "分类依据 (Reason)")]
public sealed class ClassifyComplaintActivity(ComplaintClassifier classifier, IDbContextFactory<DomainDbContext> contexts, RowInserter? rows = null) : IActivity
{
    private readonly RowInserter _rows = rows ?? new();

    public async ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = new ClassificationRequest(
            context.GetInput<string>("text") ?? "",
            context.GetInput<string>("respondentName"),
            context.GetInput<string>("consumerPhone"),
            context.GetVariable("complaintId") as string ?? context.BusinessKey);
        var result = await classifier.ClassifyAsync(request, DomainStepWork.ReadingContext(context, contexts, _rows), cancellationToken).ConfigureAwait(false);
        context.SetOutput("problemType", result.ProblemType.Label);
        context.SetOutput("goodsOrService", result.GoodsOrService.Label);
        context.SetOutput("industry", result.Industry.Label);
        context.SetOutput("tier", result.Tier.Label);
        context.SetOutput("confidence", result.Confidence);
        context.SetOutput("needsReview", result.NeedsReview);
        context.SetOutput("autoDispatch", result.AutoDispatch);
        context.SetOutput("topLabels", ComplaintClassifier.FormatTopLabels(result.TopLabels ?? []));
        context.SetOutput("hasReportPart", result.HasReportPart);
        context.SetOutput("reportText", result.ReportText);
        context.SetOutput("suspectedProfessionalClaimant", result.SuspectedProfessionalClaimant);
        context.SetOutput("suspectedGroupComplaint", result.SuspectedGroupComplaint);
        context.SetOutput("classificationReason", result.Reason);
    }
}
