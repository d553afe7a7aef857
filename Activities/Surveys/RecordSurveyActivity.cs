using System.Globalization;
using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Variables;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Activities.Surveys;

/// <summary>
/// Files the survey answer the process received (web form or SMS reply through the survey-answer message,
/// or the staff's follow-up call): six indicators 1-5, a comment; the overall score becomes
/// <c>satisfactionScore</c> and counts toward the handler's performance.
/// </summary>
[Activity("survey.record", DisplayName = "登记满意度评价 (Record survey answer)", Category = "回访 (Surveys)",
    Description = "保存消费者的六项满意度评价（1-5 分）与意见，输出总体满意度。Files the six 1-5 indicators and the comment; outputs the overall score.")]
[ActivityOutput("satisfactionScore", VariableType.Integer, DisplayName = "总体满意度 (Overall score)")]
[ActivityOutput("surveyChannel", VariableType.String, DisplayName = "评价渠道 (Channel)")]
public sealed class RecordSurveyActivity(IDbContextFactory<DomainDbContext> contexts, SurveyInvitations invitations, Engine.Persistence.RowInserter? rows = null) : IActivity
{
    private readonly Engine.Persistence.RowInserter _rows = rows ?? new();

    public async ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        int? Score(string name)
        {
            var value = context.GetVariable(name);
            return value is null ? null : int.TryParse(Convert.ToString(value, CultureInfo.InvariantCulture), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 5
                ? n
                : throw new BpmnErrorException("survey-invalid", $"评价 {name} 应为 1 到 5 分 (survey indicator '{name}' must be 1 to 5), got '{value}'.");
        }

        var overall = Score("overall") ?? throw new BpmnErrorException("survey-invalid", "缺少总体满意度 (the overall score is missing).");
        var channel = context.GetVariable("surveyChannel") as string ?? "phone";
        var complaintId = ComplaintContext.ComplaintId(context);
        var answer = new SurveyAnswer
        {
            ComplaintId = complaintId,
            Channel = channel,
            Speed = Score("speed"),
            Attitude = Score("attitude"),
            Communication = Score("communication"),
            Fairness = Score("fairness"),
            Professionalism = Score("professionalism"),
            Overall = overall,
            Comment = context.GetVariable("comment") as string,
            AnsweredAt = context.Time.GetUtcNow(),
        };

        // With the step: a step run again (a lost race) files the answer once.
        var work = DomainStepWork.For(context, contexts, _rows);
        await using (work.ConfigureAwait(false))
        {
            var complaint = await work.FindAsync<Complaint>(complaintId, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Complaint '{complaintId}' of process instance {context.ProcessInstanceId} does not exist (element '{context.ElementId}').");
            answer.HandlerUserName = complaint.HandlerUserName;
            complaint.SatisfactionScore = overall;
            work.Update(complaint);
            work.Insert(answer);
            await work.SaveAsync(cancellationToken).ConfigureAwait(false);
        }

        await invitations.MarkAnsweredAsync(complaintId, channel, cancellationToken).ConfigureAwait(false);
        context.SetOutput("satisfactionScore", (long)overall);
        context.SetOutput("surveyChannel", channel);
    }
}
