using System.ComponentModel.DataAnnotations;

namespace ComplaintWorkflows.Activities.Calendar;

/// <summary>The <c>Workflows:Domain:Calendar</c> section.</summary>
public sealed class CalendarOptions
{
    public const string Section = "Workflows:Domain:Calendar";

    /// <summary>The centre's time zone: working days, office hours and the end of a deadline day are local to it.</summary>
    [Required]
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>The office hours when none are configured.</summary>
    public static IReadOnlyList<string> DefaultOfficeHours { get; } = ["08:30-12:00", "13:30-17:30"];

    /// <summary>
    /// Office hours on working days, as local time ranges "HH:mm-HH:mm"; empty means
    /// <see cref="DefaultOfficeHours"/> (08:30-12:00 and 13:30-17:30). No default items here: the configuration
    /// binder would add the configured ranges to them instead of replacing them.
    /// </summary>
    public List<string> OfficeHours { get; set; } = [];

    /// <summary>The configured office hours, else the defaults.</summary>
    public IReadOnlyList<string> EffectiveOfficeHours => OfficeHours.Count > 0 ? OfficeHours : DefaultOfficeHours;

    /// <summary>How long a host keeps the calendar before reading it again (another host may have changed it).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// From this month on, next year's holiday arrangement is reported missing until an administrator enters it
    /// (the State Council usually publishes it in November).
    /// </summary>
    [Range(1, 12)]
    public int NextYearReminderMonth { get; set; } = 11;

    /// <summary>
    /// When a deadline counted in calendar days (e.g. Order 121's 60-day mediation limit) ends on a holiday or
    /// weekend, it moves to the end of the next working day (期间的最后一日是法定休假日的，以休假日结束的次日为最后一日).
    /// </summary>
    public bool CalendarDayDeadlinesEndOnWorkingDay { get; set; } = true;
}
