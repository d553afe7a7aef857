using ComplaintWorkflows.Activities.Calendar;

namespace ComplaintWorkflows.Activities.Tests.Calendar;

public sealed class SlaClockTests
{
    [Fact]
    public async Task Mediation_FollowsOrder20Before20260415_AndOrder121From()
    {
        using var f = new CalendarFixture(CalendarFixture.Local(2026, 4, 20));
        var accepted = CalendarFixture.Local(2026, 4, 20);

        var old = await f.Clock.ComputeAsync(DeadlineKind.Mediation, accepted, CalendarFixture.Local(2026, 4, 14));
        var current = await f.Clock.ComputeAsync(DeadlineKind.Mediation, accepted, CalendarFixture.Local(2026, 4, 15));

        Assert.Equal(DeadlineUnit.WorkingDays, old.Unit);
        Assert.Equal(45, old.Amount);
        Assert.Contains("第20号", old.RuleSet, StringComparison.Ordinal);
        Assert.Equal(DeadlineUnit.CalendarDays, current.Unit);
        Assert.Equal(new DateTimeOffset(2026, 6, 19, 23, 59, 59, CalendarFixture.Beijing), current.DueAt);
        Assert.Contains("第121号", current.RuleSet, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Warning_ComesAt80PercentOfTheTime()
    {
        using var f = new CalendarFixture(CalendarFixture.Local(2026, 11, 23));
        var start = CalendarFixture.Local(2026, 11, 23, 9);

        var deadline = await f.Clock.ComputeAsync(DeadlineKind.Handling, start, start, "general");

        Assert.Equal(new DateTimeOffset(2026, 12, 2, 23, 59, 59, CalendarFixture.Beijing), deadline.DueAt);
        Assert.Equal(0.8, (deadline.WarnAt - start) / (deadline.DueAt - start), 3);
    }

    [Fact]
    public async Task Resume_MovesAWorkingDayDeadline_ByTheWorkingDaysPaused()
    {
        using var f = new CalendarFixture(CalendarFixture.Local(2026, 11, 23));
        var start = CalendarFixture.Local(2026, 11, 23, 9);
        var deadline = await f.Clock.ComputeAsync(DeadlineKind.Handling, start, start, "simple");
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 23, 59, 59, CalendarFixture.Beijing), deadline.DueAt);

        // Paused on Tuesday, resumed the next Monday: Wed, Thu, Fri and Mon were lost (4 working days).
        var (due, warn) = f.Clock.Resume(deadline.Unit, deadline.DueAt, deadline.WarnAt, CalendarFixture.Local(2026, 11, 24, 10), CalendarFixture.Local(2026, 11, 30, 10));

        Assert.Equal(new DateTimeOffset(2026, 12, 2, 23, 59, 59, CalendarFixture.Beijing), due);
        Assert.Equal(due - deadline.DueAt, warn - deadline.WarnAt);
    }

    [Fact]
    public void Resume_MovesAnHourDeadline_ByThePausedTime()
    {
        using var f = new CalendarFixture(CalendarFixture.Local(2026, 11, 23));
        var due = CalendarFixture.Local(2026, 11, 24, 10);

        var (moved, _) = f.Clock.Resume(DeadlineUnit.Hours, due, due.AddHours(-5), CalendarFixture.Local(2026, 11, 23, 12), CalendarFixture.Local(2026, 11, 23, 15));

        Assert.Equal(CalendarFixture.Local(2026, 11, 24, 13), moved);
    }

    [Fact]
    public async Task AddRuleSet_RefusesAWarningFractionOfOne_AndADuplicateEffectiveDate()
    {
        using var f = new CalendarFixture(CalendarFixture.Local(2026, 11, 23));

        var error = await Assert.ThrowsAsync<CalendarValidationException>(() => f.Service.AddRuleSetAsync(new DeadlineRuleSet { Name = "x", EffectiveFrom = new DateOnly(2026, 4, 15), WarningFraction = 1 }, "admin"));

        Assert.Contains("warningFraction", error.Errors.Keys);
        Assert.Contains("effectiveFrom", error.Errors.Keys);
    }

    [Fact]
    public async Task ANewRuleSet_AppliesToComplaintsReceivedFromItsDate()
    {
        using var f = new CalendarFixture(CalendarFixture.Local(2026, 11, 23));
        await f.Service.AddRuleSetAsync(new DeadlineRuleSet { Name = "2027 新规", EffectiveFrom = new DateOnly(2027, 1, 1), AcceptanceWorkingDays = 5 }, "admin");

        var before = await f.Clock.ComputeAsync(DeadlineKind.Acceptance, CalendarFixture.Local(2026, 12, 31), CalendarFixture.Local(2026, 12, 31));
        var after = await f.Clock.ComputeAsync(DeadlineKind.Acceptance, CalendarFixture.Local(2027, 1, 4), CalendarFixture.Local(2027, 1, 4));

        Assert.Equal(7, before.Amount);
        Assert.Equal(5, after.Amount);
    }
}
