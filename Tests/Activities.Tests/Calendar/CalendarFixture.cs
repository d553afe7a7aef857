using ComplaintWorkflows.Activities.Calendar;
using ComplaintWorkflows.Activities.Data;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ComplaintWorkflows.Activities.Tests.Calendar;

/// <summary>An in-memory domain database with the seeded 2026 calendar and rule sets, on a fake clock.</summary>
internal sealed class CalendarFixture : IDisposable
{
    public static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    public CalendarFixture(DateTimeOffset now, CalendarOptions? options = null)
    {
        Database = DomainDatabase.InMemory();
        Time = new FakeTimeProvider(now);
        Calendar = new WorkingCalendar(Database, Time, Options.Create(options ?? new CalendarOptions()));
        Service = new CalendarService(Database, Calendar, Time);
        Clock = new SlaClock(Calendar);
        Service.SeedAsync().GetAwaiter().GetResult();
    }

    public InMemoryDomainDatabase Database { get; }

    public FakeTimeProvider Time { get; }

    public WorkingCalendar Calendar { get; }

    public CalendarService Service { get; }

    public SlaClock Clock { get; }

    public static DateTimeOffset Local(int year, int month, int day, int hour = 10, int minute = 0) => new(year, month, day, hour, minute, 0, Beijing);

    /// <summary>The end of a day in Beijing: 24:00, i.e. 00:00 of the next day.</summary>
    public static DateTimeOffset EndOfDay(int year, int month, int day) => new DateTimeOffset(year, month, day, 0, 0, 0, Beijing).AddDays(1);

    public void Dispose() => Database.Dispose();
}
