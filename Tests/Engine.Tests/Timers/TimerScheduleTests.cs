using ComplaintWorkflows.Engine.Model;
using ComplaintWorkflows.Engine.Timers;

namespace ComplaintWorkflows.Engine.Tests.Timers;

public class TimerScheduleTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 31, 10, 0, 0, TimeSpan.FromHours(8));
    private static readonly TimeZoneInfo China = TimeZoneInfo.CreateCustomTimeZone("CST", TimeSpan.FromHours(8), "CST", "CST");

    [Theory]
    [InlineData("PT30M", 0, 0, 0, 0, 0, 30, 0)]
    [InlineData("P1Y2M10DT2H30M", 1, 2, 0, 10, 2, 30, 0)]
    [InlineData("P2W", 0, 0, 2, 0, 0, 0, 0)]
    [InlineData("PT36H", 0, 0, 0, 0, 36, 0, 0)]
    [InlineData("PT0.5S", 0, 0, 0, 0, 0, 0, 0.5)]
    public void IsoDuration_Parses_AndPrintsBack(string text, int y, int mo, int w, int d, int h, int mi, double s)
    {
        var duration = IsoDuration.Parse(text);

        Assert.Equal(new IsoDuration(y, mo, w, d, h, mi, (decimal)s), duration);
        Assert.Equal(text, duration.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("30M")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("P1H")]
    [InlineData("PT1D")]
    [InlineData("P1D1D")]
    [InlineData("P-1D")]
    [InlineData("P99999999Y")]
    [InlineData("three days")]
    public void IsoDuration_RefusesWhatIsNotADuration_NamingTheText(string text)
    {
        Assert.False(IsoDuration.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
        if (text.Length > 0)
        {
            Assert.Contains(text.Length > 20 ? text[..20] : text, error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void IsoDuration_AddsMonthsByTheCalendar()
    {
        Assert.Equal(new DateTimeOffset(2026, 2, 28, 10, 0, 0, TimeSpan.FromHours(8)), IsoDuration.Parse("P1M").AddTo(Now));
    }

    [Fact]
    public void Date_WithOffset_IsThatInstant_AndWithoutOffset_IsInTheDefaultZone()
    {
        var withOffset = TimerSchedule.Parse(TimerKind.Date, "2026-02-01T09:00:00+08:00");
        var local = TimerSchedule.Parse(TimerKind.Date, "2026-02-01T09:00:00", China);
        var dateOnly = TimerSchedule.Parse(TimerKind.Date, "2026-02-01", China);

        Assert.Equal(new DateTimeOffset(2026, 2, 1, 1, 0, 0, TimeSpan.Zero), withOffset.GetFirstDue(Now));
        Assert.Equal(withOffset.GetFirstDue(Now), local.GetFirstDue(Now));
        Assert.Equal(new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.FromHours(8)), dateOnly.GetFirstDue(Now));
        Assert.Null(withOffset.GetNextDue(withOffset.GetFirstDue(Now)!.Value, 1));
        Assert.Equal(1, withOffset.Repetitions);
    }

    [Fact]
    public void Duration_IsDueThatLongAfterTheWaitBegins_Once()
    {
        var schedule = TimerSchedule.Parse(TimerKind.Duration, "P3D");

        Assert.Equal(Now.AddDays(3), schedule.GetFirstDue(Now));
        Assert.Null(schedule.GetNextDue(Now.AddDays(3), 1));
    }

    [Fact]
    public void Cycle_R3_FiresThreeTimes()
    {
        var schedule = TimerSchedule.Parse(TimerKind.Cycle, "R3/PT10S");
        var first = schedule.GetFirstDue(Now)!.Value;
        var second = schedule.GetNextDue(first, 1)!.Value;
        var third = schedule.GetNextDue(second, 2)!.Value;

        Assert.Equal(Now.AddSeconds(10), first);
        Assert.Equal(Now.AddSeconds(30), third);
        Assert.Null(schedule.GetNextDue(third, 3));
        Assert.Equal(3, schedule.Repetitions);
    }

    [Fact]
    public void Cycle_WithoutCount_NeverEnds_AndWithAStart_BeginsThere()
    {
        var unbounded = TimerSchedule.Parse(TimerKind.Cycle, "R/PT1H");
        var started = TimerSchedule.Parse(TimerKind.Cycle, "R5/2026-03-01T08:00:00+08:00/P1D");

        Assert.Null(unbounded.Repetitions);
        Assert.Equal(Now.AddHours(10_001), unbounded.GetNextDue(Now.AddHours(10_000), 10_000));
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.FromHours(8)), started.GetFirstDue(Now));
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.FromHours(8)), started.GetNextDue(started.GetFirstDue(Now)!.Value, 1));
    }

    [Fact]
    public void Cycle_WithAnEnd_StopsAfterIt()
    {
        var schedule = TimerSchedule.Parse(TimerKind.Cycle, "R/P1D/2026-02-02T12:00:00+08:00");

        var first = schedule.GetFirstDue(Now)!.Value;
        var second = schedule.GetNextDue(first, 1)!.Value;

        Assert.Equal(Now.AddDays(2), second);
        Assert.Null(schedule.GetNextDue(second, 2));
    }

    [Fact]
    public void Cycle_AcceptsQuartzCron_InTheDefaultZone()
    {
        var schedule = TimerSchedule.Parse(TimerKind.Cycle, "0 0 9 ? * MON-FRI", China);

        var first = schedule.GetFirstDue(Now)!.Value;

        Assert.Equal(new DateTimeOffset(2026, 2, 2, 9, 0, 0, TimeSpan.FromHours(8)), first);
        Assert.Equal(new DateTimeOffset(2026, 2, 3, 9, 0, 0, TimeSpan.FromHours(8)), schedule.GetNextDue(first, 1));
        Assert.Null(schedule.Repetitions);
    }

    [Theory]
    [InlineData(TimerKind.Date, "tomorrow")]
    [InlineData(TimerKind.Duration, "3 days")]
    [InlineData(TimerKind.Cycle, "R0/PT1H")]
    [InlineData(TimerKind.Cycle, "R999999999999/PT1H")]
    [InlineData(TimerKind.Cycle, "R3/PT0S")]
    [InlineData(TimerKind.Cycle, "every day")]
    [InlineData(TimerKind.Cycle, "R3/2026-13-45T99:00:00/PT1H")]
    public void TryParse_RefusesBadDefinitions_WithAReason(TimerKind kind, string text)
    {
        Assert.False(TimerSchedule.TryParse(kind, text, out var schedule, out var error));
        Assert.Null(schedule);
        var head = text.Split('/')[0];
        Assert.Contains(head[..Math.Min(8, head.Length)], error, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => TimerSchedule.Parse(kind, text));
    }

    [Fact]
    public void TryParse_RefusesAbsurdlyLongText_Quickly()
    {
        var text = "R/" + new string('P', 10_000);

        Assert.False(TimerSchedule.TryParse(TimerKind.Cycle, text, out _, out var error));
        Assert.Contains("256", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, 3, 0)]
    [InlineData("R5/PT10S", 5, 10)]
    [InlineData("PT1M,PT5M,PT10M", 3, 60)]
    public void RetrySchedule_ReadsCamundaRetryCycles(string? text, int retries, int firstDelaySeconds)
    {
        var schedule = RetrySchedule.Parse(text);

        Assert.Equal(retries, schedule.Retries);
        Assert.Equal(Now.AddSeconds(firstDelaySeconds), schedule.DueAfterFailure(1, Now));
    }

    [Fact]
    public void RetrySchedule_UsesEachDelayOfAList_InTurn()
    {
        var schedule = RetrySchedule.Parse("PT1M,PT5M,PT10M");

        Assert.Equal(Now.AddMinutes(5), schedule.DueAfterFailure(2, Now));
        Assert.Equal(Now.AddMinutes(10), schedule.DueAfterFailure(3, Now));
        Assert.Throws<FormatException>(() => RetrySchedule.Parse("R3/soon"));
    }
}
