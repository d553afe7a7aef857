using ComplaintWorkflows.Engine.Runtime;

namespace ComplaintWorkflows.WorkflowHost.Complaints;

/// <summary>
/// The one path a survey answer takes into its process, whoever gives it (the consumer signed in, the web link, a
/// desk officer): the six indicators and the comment checked, then the <c>survey-answer</c> message correlated by complaint.
/// </summary>
internal static class SurveyAnswers
{
    public static readonly (string Key, string Label)[] Indicators =
    [
        ("speed", "处理速度 (Speed)"),
        ("attitude", "服务态度 (Attitude)"),
        ("communication", "沟通情况 (Communication)"),
        ("fairness", "处理结果公正 (Fairness of the result)"),
        ("professionalism", "专业水平 (Professionalism)"),
        ("overall", "总体满意度 (Overall)"),
    ];

    public static readonly (int Value, string Label)[] Scale = [(5, "非常满意"), (4, "满意"), (3, "一般"), (2, "不满意"), (1, "非常不满意")];

    /// <summary>What is wrong with an answer, by field (empty when it is fine).</summary>
    public static Dictionary<string, string[]> Validate(SurveyBody body, bool allRequired)
    {
        ArgumentNullException.ThrowIfNull(body);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Score(string name, int? value, bool required)
        {
            if (value is null ? required : value is < 1 or > 5)
            {
                errors[name] = [$"评分应为 1 到 5 ({name} must be 1 to 5)."];
            }
        }

        Score("speed", body.Speed, allRequired);
        Score("attitude", body.Attitude, allRequired);
        Score("communication", body.Communication, allRequired);
        Score("fairness", body.Fairness, allRequired);
        Score("professionalism", body.Professionalism, allRequired);
        Score("overall", body.Overall, true);
        if (body.Comment is { Length: > 2000 })
        {
            errors["comment"] = ["意见不能超过 2000 字 (comment is longer than 2000 characters)."];
        }

        return errors;
    }

    /// <summary>Hands the answer to the complaint's waiting survey; false when no survey is waiting for one.</summary>
    public static async Task<bool> CorrelateAsync(WorkflowEngine engine, string complaintId, SurveyBody body, string channel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(body);
        var variables = new Dictionary<string, object?>
        {
            ["speed"] = body.Speed, ["attitude"] = body.Attitude, ["communication"] = body.Communication, ["fairness"] = body.Fairness,
            ["professionalism"] = body.Professionalism, ["overall"] = body.Overall, ["comment"] = body.Comment, ["surveyChannel"] = channel,
        };
        try
        {
            await engine.CorrelateMessageAsync(new MessageCorrelation("survey-answer") { CorrelationKey = complaintId, Variables = variables }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (WorkflowException e) when (e.Code is "no-match" or "not-found" or "no-subscription")
        {
            return false;
        }
    }
}
