namespace ComplaintWorkflows.Activities.Classification;

/// <summary>
/// The dimensions a complaint is classified along, and the labels each one starts with. Rules and staff
/// corrections name a dimension by these codes; labels of the open dimensions may be extended by
/// administrators (a new rule with a new label), the tier's three labels are fixed (they pick deadlines).
/// </summary>
public static class ClassificationDimensions
{
    /// <summary>问题类型 (problem type), as consumer associations and SAMR reports count them.</summary>
    public const string ProblemType = "problemType";

    /// <summary>商品或服务类别 (goods or services category).</summary>
    public const string GoodsOrService = "goodsOrService";

    /// <summary>被投诉方行业 (industry of the respondent).</summary>
    public const string Industry = "industry";

    /// <summary>复杂程度 (complexity tier): simple, general or complex.</summary>
    public const string Tier = "tier";

    /// <summary>举报线索 (cues that the text also reports a violation); any label names the violation.</summary>
    public const string Report = "report";

    /// <summary>职业索赔线索 (cues of a professional claimant); any label names the cue.</summary>
    public const string ProfessionalClaimant = "professionalClaimant";

    /// <summary>The label a dimension gets when nothing points anywhere.</summary>
    public const string Other = "其他";

    public const string TierSimple = "simple";
    public const string TierGeneral = "general";
    public const string TierComplex = "complex";

    /// <summary>Every dimension code.</summary>
    public static IReadOnlyList<string> All { get; } = [ProblemType, GoodsOrService, Industry, Tier, Report, ProfessionalClaimant];

    /// <summary>The dimensions that produce a label (the others produce flags).</summary>
    public static IReadOnlyList<string> Labelled { get; } = [ProblemType, GoodsOrService, Industry, Tier];

    public static IReadOnlyList<string> ProblemTypes { get; } =
        ["售后服务", "合同", "质量", "价格", "虚假宣传", "安全", "假冒", "人格尊严", "计量", "食品安全", "不正当竞争", Other];

    public static IReadOnlyList<string> Goods { get; } =
        ["日用商品", "家用电子电器", "服装鞋帽", "食品", "交通工具", "医药及医疗用品", "房屋及建材", "首饰及文体用品", "家居用品"];

    public static IReadOnlyList<string> Services { get; } =
        ["餐饮和住宿", "销售服务", "美容美发洗浴", "专业技术服务", "制作保养修理", "通讯服务", "互联网服务", "物业", "房屋装修", "文化娱乐体育"];

    public static IReadOnlyList<string> Industries { get; } =
        ["零售", "餐饮", "汽车", "电子商务", "教育培训", "美容美发", "健身", "通信", "房地产/物业", "旅游", "医疗", "金融/预付卡", "家电数码", "交通出行", Other];

    public static IReadOnlyList<string> Tiers { get; } = [TierSimple, TierGeneral, TierComplex];

    /// <summary>Display name of a dimension, Chinese first.</summary>
    public static string DisplayName(string dimension) => dimension switch
    {
        ProblemType => "问题类型 (problem type)",
        GoodsOrService => "商品或服务类别 (goods or service)",
        Industry => "行业 (industry)",
        Tier => "复杂程度 (tier)",
        Report => "举报线索 (report cue)",
        ProfessionalClaimant => "职业索赔线索 (professional-claimant cue)",
        _ => dimension,
    };

    public static bool IsKnown(string? dimension) => dimension is not null && All.Contains(dimension, StringComparer.Ordinal);

    /// <summary>The starting labels of a dimension (empty for the cue dimensions, whose labels are free).</summary>
    public static IReadOnlyList<string> LabelsOf(string dimension) => dimension switch
    {
        ProblemType => ProblemTypes,
        GoodsOrService => [.. Goods, .. Services, Other],
        Industry => Industries,
        Tier => Tiers,
        _ => [],
    };
}
