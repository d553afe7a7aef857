using System.Globalization;
using ComplaintWorkflows.Engine.Activities;

namespace ComplaintWorkflows.Activities.Complaints;

/// <summary>
/// Copies what the process has established (classification, dispatch, deadlines, outcome) from its
/// variables onto the complaint record the API lists and searches. Variables the process has not set
/// leave the record's value alone.
/// </summary>
internal static class ComplaintRecordSync
{
    public static void Apply(Complaint complaint, ActivityContext context)
    {
        Text(context, "problemType", v => complaint.ProblemType = v);
        Text(context, "goodsOrService", v => complaint.GoodsOrService = v);
        Text(context, "industry", v => complaint.Industry = v);
        Text(context, "tier", v => complaint.Tier = Enum.TryParse<ComplexityTier>(v, true, out var tier) ? tier : complaint.Tier);
        Number(context, "confidence", v => complaint.ClassificationConfidence = v);
        Flag(context, "suspectedProfessionalClaimant", v => complaint.SuspectedProfessionalClaimant = v);
        Flag(context, "suspectedGroupComplaint", v => complaint.SuspectedGroupComplaint = v);
        Text(context, "unitId", v => complaint.UnitId = v);
        Text(context, "departmentId", v => complaint.DepartmentId = v);
        Text(context, "handler", v => complaint.HandlerUserName = v);
        Instant(context, "acceptanceDueAt", v => complaint.AcceptanceDueAt = v);
        Instant(context, "handlingDueAt", v => complaint.HandlingDueAt = v);
        Text(context, "handlingRuleSet", v => complaint.RuleSet = v);
        Text(context, "refusalGround", v => complaint.RefusalGround = v);
        Flag(context, "mediationSucceeded", v => complaint.MediationSucceeded = v);
        Number(context, "satisfactionScore", v => complaint.SatisfactionScore = (int)Math.Round(v));
        Text(context, "caseId", v => complaint.CaseId = v);
        Text(context, "odrBusinessId", v => complaint.OdrBusinessId = v);
        Text(context, "odrOutcome", v => complaint.OdrOutcome = v);
    }

    private static void Text(ActivityContext context, string name, Action<string> set)
    {
        if (context.GetVariable(name) is { } value && Convert.ToString(value, CultureInfo.InvariantCulture) is { Length: > 0 } text)
        {
            set(text);
        }
    }

    private static void Flag(ActivityContext context, string name, Action<bool> set)
    {
        if (context.GetVariable(name) is bool value)
        {
            set(value);
        }
    }

    private static void Number(ActivityContext context, string name, Action<double> set)
    {
        switch (context.GetVariable(name))
        {
            case double d:
                set(d);
                break;
            case long l:
                set(l);
                break;
            case int i:
                set(i);
                break;
            default:
                break;
        }
    }

    private static void Instant(ActivityContext context, string name, Action<DateTimeOffset> set)
    {
        switch (context.GetVariable(name))
        {
            case DateTimeOffset instant:
                set(instant);
                break;
            case DateTime date:
                set(new DateTimeOffset(date, TimeSpan.Zero));
                break;
            case string text when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed):
                set(parsed);
                break;
            default:
                break;
        }
    }
}
