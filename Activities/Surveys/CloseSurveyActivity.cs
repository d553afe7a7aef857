using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Engine.Activities;

namespace ComplaintWorkflows.Activities.Surveys;

/// <summary>Stops accepting the survey's link and SMS replies (the survey goes on to the staff's follow-up call).</summary>
[Activity("survey.close", DisplayName = "关闭回访链接 (Close survey link)", Category = "回访 (Surveys)",
    Description = "消费者未答复时关闭评价链接与短信回复，转人工电话回访。Closes the link and SMS replies before the follow-up call.")]
public sealed class CloseSurveyActivity(SurveyInvitations invitations) : IActivity
{
    public async ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        await invitations.CloseAsync(ComplaintContext.ComplaintId(context), cancellationToken).ConfigureAwait(false);
    }
}
