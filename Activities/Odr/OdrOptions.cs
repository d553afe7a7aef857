using System.ComponentModel.DataAnnotations;

namespace ComplaintWorkflows.Activities.Odr;

/// <summary>The <c>Workflows:Domain:Odr</c> section: the enterprise portal's time limits (在线消费纠纷解决).</summary>
public sealed class OdrOptions
{
    public const string Section = "Workflows:Domain:Odr";

    /// <summary>Working days (on the SLA calendar) an ODR business has to answer a complaint and propose a settlement.</summary>
    [Range(1, 60)]
    public int AnswerWorkingDays { get; set; } = 7;

    /// <summary>Working days the consumer has to accept or reject the proposal; without a decision the complaint goes to mediation.</summary>
    [Range(1, 60)]
    public int DecisionWorkingDays { get; set; } = 3;
}
