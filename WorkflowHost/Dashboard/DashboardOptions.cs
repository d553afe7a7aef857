using System.ComponentModel.DataAnnotations;

namespace ComplaintWorkflows.WorkflowHost.Dashboard;

/// <summary>The <c>Workflows:Domain:Dashboard</c> section: lists, trends and exports of the dashboards.</summary>
public sealed class DashboardOptions
{
    public const string Section = "Workflows:Domain:Dashboard";

    /// <summary>A complaint whose deadline falls within this time from now is "about to be overdue" (临期).</summary>
    [Range(typeof(TimeSpan), "00:10:00", "30.00:00:00")]
    public TimeSpan DueSoonWindow { get; set; } = TimeSpan.FromDays(2);

    /// <summary>Most complaints each of the overdue and about-to-be-overdue lists shows.</summary>
    [Range(1, 5000)]
    public int MaxListItems { get; set; } = 200;

    /// <summary>Most weeks or months one trend shows.</summary>
    [Range(2, 520)]
    public int MaxTrendPoints { get; set; } = 104;

    /// <summary>Periods a trend shows when no start date is given.</summary>
    [Range(2, 520)]
    public int DefaultTrendPoints { get; set; } = 12;

    /// <summary>Most complaints one Excel export of the complaint list holds (a search narrower than that exports in full).</summary>
    [Range(1, 1_000_000)]
    public int MaxExportRows { get; set; } = 20_000;
}
