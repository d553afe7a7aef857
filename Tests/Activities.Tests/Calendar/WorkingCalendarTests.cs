using ComplaintWorkflows.Activities.Calendar;

namespace ComplaintWorkflows.Activities.Tests.Calendar;

public sealed class WorkingCalendarTests
{
    [Fact]
    public void SimpleComplaint_ReceivedOnSeptember30_IsDueAtTheEndOfTheMakeUpSaturdayOctober10()
    {
        using var f = new CalendarFixture(CalendarFixture.Local(2026, 9, 30));

        var due = f.Calendar.AddWorkingDays(CalendarFixture.Local(2026, 9, 30, 15), 3);

        Assert.Equal(new DateTimeOffset(2026, 10, 10, 23, 59, 59, CalendarFixture.Beijing), due);
    }

    [Fact]
    public void ThreeWorkingDays_FromFebruary13_EndOnFebruary25_CountingTheMakeUpSaturdayAndSkippingSpringFestival()
    {
        using var f = new CalendarFixture(CalendarFixture.Local(2026, 2, 13));

        var due = f.Calendar.AddWorkingDays(CalendarFixture.Local(2026, 2, 13, 9), 3);

        Assert.Equal(new DateTimeOffset(2026, 2, 25, 23, 59, 59, CalendarFixture.Beijing), due);
        Assert.True(f.Calendar.IsWorkingDay(new DateOnly(2026, 2, 14)));
        Assert.All(Enumerable.Range(15, 9), d => Assert.False(f.Calendar.IsWorkingDay(new DateOnly(2026, 2, d))));
    }

    [Fact]
    public void NewYear_MakeUpSundayJanuary4_IsAWorkingDay_AndJanuary1To3AreNot()
    {
        using var f = new CalendarFixture(CalendarFixture.Local(2026, 1, 1));

        Assert.True(f.Calendar.IsWorkingDay(new DateOnly(2026, 1, 4)));
        Assert.False(f.Calendar.IsWorkingDay(new DateOnly(2026, 1, 2)));
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 23, 59, 59, CalendarFixture.Beijing), f.Calendar.AddWorkingDays(CalendarFixture.Local(2026, 1, 1), 2));
    }

    [Fact]
    public void OfficeHours_HoldOnAMakeUpSaturday_AndNotOnAHolidayWeekday()
    {
        using var f = new CalendarFixture(CalendarFixture.Local(2026, 10, 1));

        Assert.True(f.Calendar.IsOfficeHours(CalendarFixture.Local(2026, 10, 10, 9, 30)));
        Assert.False(f.Calendar.IsOfficeHours(CalendarFixture.Local(2026, 10, 10, 12, 30)));
        Assert.False(f.Calendar.IsOfficeHours(CalendarFixture.Local(2026, 10, 2, 10)));
        Assert.False(f.Calendar.IsOfficeHours(CalendarFixture.Local(2026, 10, 12, 18)));
    }

    [Fact]
    public void AYearNobodyEntered_FallsBackToWeekends_AndIsReportedMissing()
    {
        using var f = new CalendarFixture(CalendarFixture.Local(2026, 11, 23));

        Assert.True(f.Calendar.IsWorkingDay(new DateOnly(2027, 1, 1)));
        Assert.False(f.Calendar.IsWorkingDay(new DateOnly(2027, 1, 2)));
        Assert.Equal([2027], f.Calendar.MissingYears());
    }

    [Fact]
    public async Task AnAdministratorsNewYear_ChangesTheCalendar_AtOnce()
    {
        using var f = new CalendarFixture(CalendarFixture.Local(2026, 11, 23));
        Assert.True(f.Calendar.IsWorkingDay(new DateOnly(2027, 1, 1)));

        await f.Service.SaveYearAsync(2027, new CalendarYearInput("2027 年节假日安排通知", [new(new DateOnly(2027, 1, 1), CalendarDayKind.Holiday, "元旦")]), "admin");

        Assert.False(f.Calendar.IsWorkingDay(new DateOnly(2027, 1, 1)));
        Assert.Empty(f.Calendar.MissingYears());
    }

    [Fact]
    public async Task SaveYear_RefusesAWeekdayMakeUpDay_AndADayOutsideTheYear_NamingTheDates()
    {
        using var f = new CalendarFixture(CalendarFixture.Local(2026, 11, 23));

        var error = await Assert.ThrowsAsync<CalendarValidationException>(() => f.Service.SaveYearAsync(2027, new CalendarYearInput("通知",
        [
            new(new DateOnly(2027, 2, 3), CalendarDayKind.MakeUpWorkday, "春节"),
            new(new DateOnly(2028, 1, 1), CalendarDayKind.Holiday, "元旦"),
        ]), "admin"));

        Assert.Contains("days[2027-02-03]", error.Errors.Keys);
        Assert.Contains("days[2028-01-01]", error.Errors.Keys);
        Assert.True(f.Calendar.IsWorkingDay(new DateOnly(2027, 2, 3)));
    }
}
