using System.ComponentModel.DataAnnotations;

namespace ComplaintWorkflows.Activities.Calendar;

/// <summary>The <c>Workflows:Domain:Calendar</c> section.</summary>
public sealed class CalendarOptions
{
    public const string Section = "Workflows:Domain:Calendar";

    [Required]
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>Office hours on working days, as local time ranges "HH:mm-HH:mm".</summary>
    [MinLength(1)]
    public List<string> OfficeHours { get; set; } = ["08:30-12:00", "13:30-17:30"];

    /// <summary>How long a host keeps the calendar before reading it again (another host may have changed it).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromMinutes(1);
}
