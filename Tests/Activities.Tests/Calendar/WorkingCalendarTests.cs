using ComplaintWorkflows.Activities.Calendar;
using static ComplaintWorkflows.Activities.Tests.Calendar.CalendarFixture;

namespace ComplaintWorkflows.Activities.Tests.Calendar;

public sealed class WorkingCalendarTests
{
    [Fact]
    public void SimpleComplaint_ReceivedOnSeptember30_IsDueAtTheEndOfTheMakeUpSaturdayOctober10()
    {
        using var f = new CalendarFixture(Local(2026, 9, 30));

        var due = f.Calendar.AddWorkingDays(Local(2026, 9, 30, 15), 3);

        // Oct 1-7 off, Oct 8 and 9 count, Oct 10 (a make-up Saturday) is the third working day.
        Assert.Equal(EndOfDay(2026, 10, 10), due);
        Assert.Equal(new DateTimeOffset(2026, 10, 11, 0, 0, 0, Beijing), due);
    }

    [Fact]
    public void ThreeWorkingDays_FromFebruary13_EndOnFebruary25_CountingTheMakeUpSaturdayAndSkippingSpringFestival()
    {
        using var f = new CalendarFixture(Local(2026, 2, 13));

        var due = f.Calendar.AddWorkingDays(Local(2026, 2, 13, 9), 3);

        Assert.Equal(EndOfDay(2026, 2, 25), due);
        Assert.True(f.Calendar.IsWorkingDay(new DateOnly(2026, 2, 14)));
        Assert.All(Enumerable.Range(15, 9), d => Assert.False(f.Calendar.IsWorkingDay(new DateOnly(2026, 2, d))));
    }

    [Fact]
    public void TheDayOfReceipt_DoesNotCount_EvenLateAtNightOnAWorkingDay()
    {
        using var f = new CalendarFixture(Local(2026, 11, 23));

        Assert.Equal(EndOfDay(2026, 11, 24), f.Calendar.AddWorkingDays(Local(2026, 11, 23, 0, 1), 1));
        Assert.Equal(EndOfDay(2026, 11, 24), f.Calendar.AddWorkingDays(Local(2026, 11, 23, 23, 59), 1));
    }

    [Fact]
    public void ADeadline_CountedOnFromAnotherDeadline_LosesNoDay()
    {
        using var f = new CalendarFixture(Local(2026, 11, 23));
        var first = f.Calendar.AddWorkingDays(Local(2026, 11, 23, 9), 2);

        // The first ends at 24:00 on Wednesday Nov 25; two more working days end on Friday, not Monday.
        Assert.Equal(EndOfDay(2026, 11, 25), first);
        Assert.Equal(EndOfDay(2026, 11, 27), f.Calendar.AddWorkingDays(first, 2));
    }

    [Fact]
    public void NewYear_MakeUpSundayJanuary4_IsAWorkingDay_AndJanuary1To3AreNot()
    {
        using var f = new CalendarFixture(Local(2026, 1, 1));

        Assert.True(f.Calendar.IsWorkingDay(new DateOnly(2026, 1, 4)));
        Assert.Equal(DayOfWeek.Sunday, new DateOnly(2026, 1, 4).DayOfWeek);
        Assert.All(Enumerable.Range(1, 3), d => Assert.False(f.Calendar.IsWorkingDay(new DateOnly(2026, 1, d))));
        Assert.Equal(EndOfDay(2026, 1, 4), f.Calendar.AddWorkingDays(Local(2025, 12, 31, 12), 1));
        Assert.Equal(EndOfDay(2026, 1, 5), f.Calendar.AddWorkingDays(Local(2026, 1, 1), 2));
    }

    [Fact]
    public void OfficeHours_HoldOnAMakeUpSaturday_AndNotOnAHolidayWeekday()
    {
        using var f = new CalendarFixture(Local(2026, 10, 1));

        Assert.True(f.Calendar.IsOfficeHours(Local(2026, 10, 10, 8, 30)));
        Assert.True(f.Calendar.IsOfficeHours(Local(2026, 10, 10, 14)));
        Assert.False(f.Calendar.IsOfficeHours(Local(2026, 10, 10, 12, 30)));
        Assert.False(f.Calendar.IsOfficeHours(Local(2026, 10, 10, 17, 30)));
        Assert.False(f.Calendar.IsOfficeHours(Local(2026, 10, 2, 10)));
        Assert.False(f.Calendar.IsOfficeHours(Local(2026, 10, 17, 10)));
        Assert.False(f.Calendar.IsOfficeHours(Local(2026, 10, 12, 18)));
    }

    [Fact]
    public void OfficeHours_FollowTheConfiguredRangesAndTimeZone()
    {
        using var f = new CalendarFixture(Local(2026, 11, 23), new CalendarOptions { OfficeHours = ["09:00-18:00"] });

        Assert.True(f.Calendar.IsOfficeHours(Local(2026, 11, 23, 12, 30)));
        Assert.False(f.Calendar.IsOfficeHours(Local(2026, 11, 23, 8, 45)));

        // 02:00 UTC is 10:00 in Beijing.
        Assert.True(f.Calendar.IsOfficeHours(new DateTimeOffset(2026, 11, 23, 2, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void CalendarDays_EndingOnAHoliday_MoveToTheNextWorkingDay_UnlessSwitchedOff()
    {
        using var f = new CalendarFixture(Local(2026, 4, 20));
        using var strict = new CalendarFixture(Local(2026, 4, 20), new CalendarOptions { CalendarDayDeadlinesEndOnWorkingDay = false });

        // 60 days after Apr 20 is Jun 19, the Dragon Boat holiday (Jun 19-21): the period ends on Monday Jun 22.
        Assert.Equal(EndOfDay(2026, 6, 22), f.Calendar.AddCalendarDays(Local(2026, 4, 20), 60));
        Assert.Equal(EndOfDay(2026, 6, 19), strict.Calendar.AddCalendarDays(Local(2026, 4, 20), 60));
    }

    [Fact]
    public void AYearNobodyEntered_FallsBackToWeekends_AndIsReportedMissing()
    {
        using var f = new CalendarFixture(Local(2026, 11, 23));

        Assert.True(f.Calendar.IsWorkingDay(new DateOnly(2027, 1, 1)));
        Assert.False(f.Calendar.IsWorkingDay(new DateOnly(2027, 1, 2)));
        Assert.Equal([2027], f.Calendar.MissingYears());
        Assert.StartsWith("2027 年节假日未配置", Assert.Single(f.Calendar.MissingYearNotices()), StringComparison.Ordinal);
    }

    [Fact]
    public void NextYear_IsReportedMissingOnlyFromTheReminderMonth_UnlessADeadlineAlreadyCountedInIt()
    {
        using var october = new CalendarFixture(Local(2026, 10, 20));
        Assert.Empty(october.Calendar.MissingYears());

        // A complex complaint's deadline runs into 2027: that count used weekends only, and says so.
        october.Calendar.AddWorkingDays(Local(2026, 12, 20), 15);

        Assert.Equal([2027], october.Calendar.MissingYears());
    }

    [Fact]
    public async Task AnAdministratorsNewYear_ChangesTheCalendar_AtOnce()
    {
        using var f = new CalendarFixture(Local(2026, 11, 23));
        Assert.True(f.Calendar.IsWorkingDay(new DateOnly(2027, 1, 1)));

        await f.Service.SaveYearAsync(2027, new CalendarYearInput("国务院办公厅关于2027年部分节假日安排的通知", [new(new DateOnly(2027, 1, 1), CalendarDayKind.Holiday, "元旦")]), "admin");

        Assert.False(f.Calendar.IsWorkingDay(new DateOnly(2027, 1, 1)));
        Assert.Empty(f.Calendar.MissingYears());
    }

    [Fact]
    public async Task AnotherHostsChange_IsSeenAfterTheCacheDuration()
    {
        using var f = new CalendarFixture(Local(2026, 11, 23));
        var otherHost = new WorkingCalendar(f.Database, f.Time, Microsoft.Extensions.Options.Options.Create(new CalendarOptions { CacheDuration = TimeSpan.FromMinutes(5) }));
        Assert.True(otherHost.IsWorkingDay(new DateOnly(2027, 1, 1)));

        await f.Service.SaveYearAsync(2027, new CalendarYearInput("通知", [new(new DateOnly(2027, 1, 1), CalendarDayKind.Holiday, "元旦")]), "admin");
        f.Time.Advance(TimeSpan.FromMinutes(4));
        Assert.True(otherHost.IsWorkingDay(new DateOnly(2027, 1, 1)));
        f.Time.Advance(TimeSpan.FromMinutes(1));

        Assert.False(otherHost.IsWorkingDay(new DateOnly(2027, 1, 1)));
    }
}
