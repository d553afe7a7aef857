namespace ComplaintWorkflows.WorkflowHost.Identity;

/// <summary>The role names of the product (ASP.NET Core Identity roles) and how people call them.</summary>
public static class RoleNames
{
    public const string Administrator = "administrator";
    public const string DeskOfficer = "desk_officer";
    public const string Handler = "handler";
    public const string Reviewer = "reviewer";
    public const string Leader = "leader";
    public const string Consumer = "consumer";
    public const string Legal = "legal";

    /// <summary>An ODR business's portal account (企业端): sees only its own business's complaints, through /api/odr.</summary>
    public const string Business = "business";

    /// <summary>Every staff role (not consumers).</summary>
    public static readonly IReadOnlyList<string> Staff = [Administrator, DeskOfficer, Handler, Reviewer, Leader, Legal];

    /// <summary>Every role, staff first.</summary>
    public static readonly IReadOnlyList<string> All = [.. Staff, Consumer, Business];

    /// <summary>Display names, Chinese first, English second.</summary>
    public static readonly IReadOnlyDictionary<string, string> DisplayNames = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Administrator] = "管理员 (Administrator)",
        [DeskOfficer] = "投诉台受理员 (Desk officer)",
        [Handler] = "承办人/调解员 (Handler, mediator)",
        [Reviewer] = "审核员 (Reviewer)",
        [Leader] = "领导 (Leader)",
        [Consumer] = "消费者 (Consumer)",
        [Legal] = "法制审核 (Legal section)",
        [Business] = "ODR企业 (ODR business)",
    };

    public static bool IsKnown(string role) => DisplayNames.ContainsKey(role);
}
