using ComplaintWorkflows.Activities.Calendar;
using static ComplaintWorkflows.Activities.Tests.Calendar.CalendarFixture;

namespace ComplaintWorkflows.Activities.Tests.Calendar;

public sealed class SlaClockTests
{
    [Fact]
    public async Task Mediation_Is45WorkingDays_ForComplaintsReceivedBefore20260415_And60CalendarDaysFrom()
    {
        using var f = new CalendarFixture(Local(2026, 4, 20));
        var accepted = Local(2026, 4, 20);

        var old = await f.Clock.ComputeAsync(DeadlineKind.Mediation, accepted, Local(2026, 4, 14, 23, 59));
        var current = await f.Clock.ComputeAsync(DeadlineKind.Mediation, accepted, new DateTimeOffset(2026, 4, 15, 0, 0, 0, Beijing));

        Assert.Equal((DeadlineUnit.WorkingDays, 45), (old.Unit, old.Amount));
        Assert.Equal(EndOfDay(2026, 6, 25), old.DueAt);
        Assert.Contains("第20号", old.RuleSet, StringComparison.Ordinal);
        Assert.Equal((DeadlineUnit.CalendarDays, 60), (current.Unit, current.Amount));

        // Day 60 is Jun 19, a Dragon Boat holiday: the period ends with the next working day, Monday Jun 22.
        Assert.Equal(EndOfDay(2026, 6, 22), current.DueAt);
        Assert.Contains("第121号", current.RuleSet, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheRuleSet_IsChosenByTheLocalDateOfReceipt()
    {
        using var f = new CalendarFixture(Local(2026, 4, 20));

        // 2026-04-14 16:30 UTC is already 00:30 on Apr 15 in Beijing.
        var deadline = await f.Clock.ComputeAsync(DeadlineKind.Mediation, Local(2026, 4, 20), new DateTimeOffset(2026, 4, 14, 16, 30, 0, TimeSpan.Zero));

        Assert.Contains("第121号", deadline.RuleSet, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Warning_ComesAt80PercentOfTheTimeBetweenStartAndDeadline()
    {
        using var f = new CalendarFixture(Local(2026, 11, 23));
        var start = Local(2026, 11, 23, 9);

        var deadline = await f.Clock.ComputeAsync(DeadlineKind.Handling, start, start, "general");

        // 7 working days: Nov 24-27, Nov 30, Dec 1, Dec 2; 80% of the 231 hours from Monday 09:00 is 184.8 hours.
        Assert.Equal(EndOfDay(2026, 12, 2), deadline.DueAt);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 1, 48, 0, Beijing), deadline.WarnAt);
    }

    [Fact]
    public async Task Warning_FollowsTheRuleSetsFraction()
    {
        using var f = new CalendarFixture(Local(2026, 11, 23));
        await f.Service.AddRuleSetAsync(new DeadlineRuleSet { Name = "半程预警", EffectiveFrom = new DateOnly(2026, 11, 1), WarningFraction = 0.5 }, "admin");
        var start = Local(2026, 11, 23, 10);

        var deadline = await f.Clock.ComputeAsync(DeadlineKind.Registration, start, start);

        Assert.Equal(start.AddMinutes(30), deadline.DueAt);
        Assert.Equal(start.AddMinutes(15), deadline.WarnAt);
    }

    [Theory]
    [InlineData("simple", 3)]
    [InlineData("General", 7)]
    [InlineData("COMPLEX", 15)]
    [InlineData(null, 7)]
    public async Task Handling_CountsTheTiersWorkingDays(string? tier, int days)
    {
        using var f = new CalendarFixture(Local(2026, 11, 23));

        var deadline = await f.Clock.ComputeAsync(DeadlineKind.Handling, Local(2026, 11, 23), Local(2026, 11, 23), tier);

        Assert.Equal(days, deadline.Amount);
        Assert.Equal(f.Calendar.AddWorkingDays(Local(2026, 11, 23), days), deadline.DueAt);
    }

    [Theory]
    [InlineData("Hotline12345", "simple", 5, DeadlineUnit.WorkingDays)]
    [InlineData("12315", "simple", 5, DeadlineUnit.WorkingDays)]
    [InlineData("letter", "complex", 7, DeadlineUnit.WorkingDays)]
    [InlineData("WeChat", "simple", 24, DeadlineUnit.Hours)]
    [InlineData("Weibo", "general", 48, DeadlineUnit.Hours)]
    [InlineData("WeChat", "complex", 72, DeadlineUnit.Hours)]
    public async Task ChannelReply_FollowsTheChannel(string channel, string tier, int amount, DeadlineUnit unit)
    {
        using var f = new CalendarFixture(Local(2026, 11, 23));

        var deadline = await f.Clock.ComputeAsync(DeadlineKind.ChannelReply, Local(2026, 11, 23), Local(2026, 11, 23), tier, channel);

        Assert.Equal((unit, amount), (deadline.Unit, deadline.Amount));
        if (unit == DeadlineUnit.Hours)
        {
            Assert.Equal(Local(2026, 11, 23).AddHours(amount), deadline.DueAt);
        }
    }

    [Fact]
    public async Task AnUnknownTierOrChannel_IsRefused_NamingTheValue()
    {
        using var f = new CalendarFixture(Local(2026, 11, 23));

        var tier = await Assert.ThrowsAsync<ArgumentException>(() => f.Clock.ComputeAsync(DeadlineKind.Handling, Local(2026, 11, 23), Local(2026, 11, 23), "urgent"));
        var channel = await Assert.ThrowsAsync<ArgumentException>(() => f.Clock.ComputeAsync(DeadlineKind.ChannelReply, Local(2026, 11, 23), Local(2026, 11, 23), "simple", "Fax"));
        var missing = await Assert.ThrowsAsync<ArgumentException>(() => f.Clock.ComputeAsync(DeadlineKind.ChannelReply, Local(2026, 11, 23), Local(2026, 11, 23), "simple"));

        Assert.Contains("'urgent'", tier.Message, StringComparison.Ordinal);
        Assert.Contains("'Fax'", channel.Message, StringComparison.Ordinal);
        Assert.Equal("channel", missing.ParamName);
    }

    [Fact]
    public async Task Resume_MovesAWorkingDayDeadline_ByTheWorkingDaysPaused()
    {
        using var f = new CalendarFixture(Local(2026, 11, 23));
        var start = Local(2026, 11, 23, 9);
        var deadline = await f.Clock.ComputeAsync(DeadlineKind.Handling, start, start, "simple");
        Assert.Equal(EndOfDay(2026, 11, 26), deadline.DueAt);

        // Paused on Tuesday, resumed the next Monday: Wed, Thu, Fri and Mon were lost (4 working days; the weekend is not).
        var resumed = f.Clock.Resume(deadline, Local(2026, 11, 24, 10), Local(2026, 11, 30, 10));

        Assert.Equal(EndOfDay(2026, 12, 2), resumed.DueAt);
        Assert.Equal(resumed.DueAt - deadline.DueAt, resumed.WarnAt - deadline.WarnAt);
        Assert.Equal(7, resumed.Amount);
    }

    [Fact]
    public async Task Resume_OnTheDayOfThePause_DoesNotMoveADayDeadline()
    {
        using var f = new CalendarFixture(Local(2026, 11, 23));
        var deadline = await f.Clock.ComputeAsync(DeadlineKind.Handling, Local(2026, 11, 23), Local(2026, 11, 23), "simple");

        var resumed = f.Clock.Resume(deadline, Local(2026, 11, 24, 9), Local(2026, 11, 24, 17));

        Assert.Equal(deadline, resumed);
    }

    [Fact]
    public async Task Resume_MovesACalendarDayDeadline_ByTheDaysPaused_EndingOnAWorkingDay()
    {
        using var f = new CalendarFixture(Local(2026, 4, 20));
        var deadline = await f.Clock.ComputeAsync(DeadlineKind.Mediation, Local(2026, 4, 20), Local(2026, 4, 20));

        // A 2-day appraisal: 62 days after Apr 20 is Sunday Jun 21 (still the holiday), so the limit ends on Jun 22 as before.
        var two = f.Clock.Resume(deadline, Local(2026, 5, 11), Local(2026, 5, 13));

        // A 10-day one: 70 days after Apr 20 is Monday Jun 29.
        var ten = f.Clock.Resume(deadline, Local(2026, 5, 11), Local(2026, 5, 21));

        Assert.Equal(EndOfDay(2026, 6, 22), two.DueAt);
        Assert.Equal(EndOfDay(2026, 6, 29), ten.DueAt);
    }

    [Fact]
    public void Resume_MovesAnHourDeadline_ByThePausedTime()
    {
        using var f = new CalendarFixture(Local(2026, 11, 23));
        var deadline = new SlaDeadline(Local(2026, 11, 23, 10), Local(2026, 11, 24, 10), Local(2026, 11, 24, 5, 12), "x", DeadlineUnit.Hours, 24);

        var resumed = f.Clock.Resume(deadline, Local(2026, 11, 23, 12), Local(2026, 11, 23, 15));

        Assert.Equal(Local(2026, 11, 24, 13), resumed.DueAt);
        Assert.Equal(Local(2026, 11, 24, 8, 12), resumed.WarnAt);
    }

    [Fact]
    public async Task ANewRuleSet_AppliesToComplaintsReceivedFromItsDate()
    {
        using var f = new CalendarFixture(Local(2026, 11, 23));
        await f.Service.AddRuleSetAsync(new DeadlineRuleSet { Name = "2027 新规", EffectiveFrom = new DateOnly(2027, 1, 1), AcceptanceWorkingDays = 5 }, "admin");

        var before = await f.Clock.ComputeAsync(DeadlineKind.Acceptance, Local(2026, 12, 31), Local(2026, 12, 31));
        var after = await f.Clock.ComputeAsync(DeadlineKind.Acceptance, Local(2027, 1, 4), Local(2027, 1, 4));

        Assert.Equal(7, before.Amount);
        Assert.Equal(5, after.Amount);
        Assert.Equal("2027 新规", after.RuleSet);
    }
}
