using Microsoft.Extensions.Time.Testing;

namespace ComplaintWorkflows.TestSupport;

/// <summary>The tests' fake clock: it starts on Monday 2026-11-23 10:00 in Beijing (office hours) and moves only when a test moves it.</summary>
public static class TestClock
{
    /// <summary>Monday 2026-11-23 10:00 +08:00 (02:00 UTC).</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 10, 0, 0, TimeSpan.FromHours(8));

    /// <summary>A fake clock at <see cref="Start"/>, or at <paramref name="start"/> when given.</summary>
    public static FakeTimeProvider New(DateTimeOffset? start = null) => new(start ?? Start);
}
