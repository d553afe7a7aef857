using ComplaintWorkflows.Activities.Calendar;
using ComplaintWorkflows.TestSupport;
using static ComplaintWorkflows.Activities.Tests.Calendar.CalendarFixture;

namespace ComplaintWorkflows.Activities.Tests.Calendar;

public sealed class CalendarServiceTests
{
    [Fact]
    public async Task Seed_Enters2026AndBothOrders_AndRunningItAgainChangesNothing()
    {
        using var f = new CalendarFixture(Local(2026, 11, 23));

        await f.Service.SeedAsync();

        var year = Assert.Single(await f.Service.GetYearsAsync());
        Assert.Equal(2026, year.Year);
        Assert.Equal("system", year.UpdatedBy);
        Assert.Contains("2025-11-04", year.Source, StringComparison.Ordinal);
        Assert.Equal(6, year.Days.Count(d => d.Kind == CalendarDayKind.MakeUpWorkday));
        Assert.Equal(3 + 9 + 3 + 5 + 3 + 3 + 7, year.Days.Count(d => d.Kind == CalendarDayKind.Holiday));
        Assert.Equal("国庆节", year.Days.Single(d => d.Date == new DateOnly(2026, 9, 20)).Name);
        Assert.Equal([new DateOnly(2020, 1, 1), new DateOnly(2026, 4, 15)], (await f.Service.GetRuleSetsAsync()).Select(r => r.EffectiveFrom));
    }

    [Fact]
    public async Task GetYear_ReturnsTheDaysInOrder_AndNullForAYearNotEntered()
    {
        using var f = new CalendarFixture(Local(2026, 11, 23));

        var year = await f.Service.GetYearAsync(2026);

        Assert.NotNull(year);
        Assert.Equal(year.Days.OrderBy(d => d.Date).Select(d => d.Date), year.Days.Select(d => d.Date));
        Assert.Null(await f.Service.GetYearAsync(2027));
    }

    [Fact]
    public async Task SaveYear_ReplacesTheYear_RecordingTheSourceAndWhoChangedIt()
    {
        using var f = new CalendarFixture(Local(2026, 11, 23));

        await f.Service.SaveYearAsync(2026, new CalendarYearInput("更正通知", [new(new DateOnly(2026, 10, 1), CalendarDayKind.Holiday, "国庆节")]), "admin.li");

        var year = await f.Service.GetYearAsync(2026);
        Assert.Equal(("更正通知", "admin.li", Local(2026, 11, 23)), (year!.Source, year.UpdatedBy, year.UpdatedAt));
        Assert.Single(year.Days);
        Assert.False(f.Calendar.IsWorkingDay(new DateOnly(2026, 10, 1)));
        Assert.True(f.Calendar.IsWorkingDay(new DateOnly(2026, 10, 2)));
        Assert.False(f.Calendar.IsWorkingDay(new DateOnly(2026, 10, 10)));
    }

    [Fact]
    public async Task SaveYear_RefusesEveryMistake_NamingTheDateAndField_AndSavesNothing()
    {
        using var f = new CalendarFixture(Local(2026, 11, 23));

        var error = await Assert.ThrowsAsync<CalendarValidationException>(() => f.Service.SaveYearAsync(2027, new CalendarYearInput(" ",
        [
            new(new DateOnly(2027, 2, 3), CalendarDayKind.MakeUpWorkday, "春节"),
            new(new DateOnly(2028, 1, 1), CalendarDayKind.Holiday, "元旦"),
            new(new DateOnly(2027, 10, 9), CalendarDayKind.Holiday, "国庆节"),
            new(new DateOnly(2027, 10, 9), CalendarDayKind.MakeUpWorkday, "国庆节"),
            new(new DateOnly(2027, 5, 1), CalendarDayKind.Holiday, ""),
        ]), "admin"));

        Assert.Equal(
            ["days[2027-02-03].kind", "days[2027-05-01].name", "days[2027-10-09].kind", "days[2028-01-01].date", "source"],
            error.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("2027-02-03", error.Errors["days[2027-02-03].kind"][0], StringComparison.Ordinal);
        Assert.Contains("周六或周日", error.Errors["days[2027-02-03].kind"][0], StringComparison.Ordinal);
        Assert.Contains("2027-10-09", error.Message, StringComparison.Ordinal);
        Assert.Null(await f.Service.GetYearAsync(2027));
        Assert.True(f.Calendar.IsWorkingDay(new DateOnly(2027, 2, 3)));
    }

    [Fact]
    public async Task AddRuleSet_RefusesOutOfRangeValues_AndADuplicateEffectiveDate_NamingTheFields()
    {
        using var f = new CalendarFixture(Local(2026, 11, 23));

        var error = await Assert.ThrowsAsync<CalendarValidationException>(() => f.Service.AddRuleSetAsync(
            new DeadlineRuleSet { Name = "x", EffectiveFrom = new DateOnly(2026, 4, 15), WarningFraction = 1, LetterReplyWorkingDays = 0, MediationLimitUnit = DeadlineUnit.Hours },
            "admin"));

        Assert.Equal(["effectiveFrom", "letterReplyWorkingDays", "mediationLimitUnit", "warningFraction"], error.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(2, (await f.Service.GetRuleSetsAsync()).Count);
    }

    [Fact]
    public async Task AddRuleSet_RecordsWhoAddedIt()
    {
        using var f = new CalendarFixture(Local(2026, 11, 23));

        await f.Service.AddRuleSetAsync(new DeadlineRuleSet { Name = " 2027 新规 ", EffectiveFrom = new DateOnly(2027, 1, 1) }, "admin.wang");

        var added = (await f.Service.GetRuleSetsAsync())[^1];
        Assert.Equal(("2027 新规", "admin.wang"), (added.Name, added.UpdatedBy));
    }

    [Fact]
    public async Task Seed_OnAMigratedSqliteFile_TwiceAsTheHostDoesAtEachStart_GivesTheSeptember30Deadline()
    {
        var file = TestFiles.NewSqliteFile("calendar");
        try
        {
            var contexts = ComplaintWorkflows.Activities.Data.DomainDatabase.Sqlite(file);
            await ComplaintWorkflows.Activities.Data.DomainDatabase.MigrateAsync(contexts);
            var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Local(2026, 9, 30));
            var calendar = new WorkingCalendar(contexts, time, Microsoft.Extensions.Options.Options.Create(new CalendarOptions()));
            var service = new CalendarService(contexts, calendar, time);

            await service.SeedAsync();
            await service.SeedAsync();

            Assert.Equal(33 + 6, (await service.GetYearAsync(2026))!.Days.Count);
            Assert.Equal(2, (await service.GetRuleSetsAsync()).Count);
            Assert.Equal(EndOfDay(2026, 10, 10), (await new SlaClock(calendar).ComputeAsync(DeadlineKind.Handling, Local(2026, 9, 30, 15), Local(2026, 9, 30, 15), "simple")).DueAt);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }
}
