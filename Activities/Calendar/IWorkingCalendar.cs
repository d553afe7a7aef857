namespace ComplaintWorkflows.Activities.Calendar;

/// <summary>
/// Working days and office hours in the centre's time zone (Asia/Shanghai by default): statutory holidays
/// and make-up working days (调休上班) from the administrators' calendar, weekends otherwise.
/// </summary>
public interface IWorkingCalendar
{
    /// <summary>Whether the date is a working day (a make-up Saturday is; a holiday Monday is not).</summary>
    bool IsWorkingDay(DateOnly day);

    /// <summary>Whether the instant falls on a working day within office hours (staff on duty normally).</summary>
    bool IsOfficeHours(DateTimeOffset instant);

    /// <summary>
    /// The deadline <paramref name="workingDays"/> working days after <paramref name="start"/>: the day of
    /// receipt does not count, the deadline is the end (24:00 local) of the last counted working day.
    /// </summary>
    DateTimeOffset AddWorkingDays(DateTimeOffset start, int workingDays);
}
