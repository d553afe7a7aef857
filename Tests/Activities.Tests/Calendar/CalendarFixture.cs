using ComplaintWorkflows.Activities.Calendar;
using ComplaintWorkflows.Activities.Data;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ComplaintWorkflows.Activities.Tests.Calendar;

/// <summary>An in-memory domain database with the seeded 2026 calendar and rule sets, on a fake clock.</summary>
internal sealed class CalendarFixture : IDisposable
{
    public static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    public CalendarFixture(DateTimeOffset now)
    {
        Database = DomainDatabase.InMemory();
        Time = new FakeTimeProvider(now);
        Calendar = new WorkingCalendar(Database, Time, Options.Create(new CalendarOptions()));
        Service = new CalendarService(Database, Calendar, Time);
        Clock = new SlaClock(Database, Calendar);
        Service.SeedAsync().GetAwaiter().GetResult();
    }

    public InMemoryDomainDatabase Database { get; }

    public FakeTimeProvider Time { get; }

    public WorkingCalendar Calendar { get; }

    public CalendarService Service { get; }

    public SlaClock Clock { get; }

    public static DateTimeOffset Local(int year, int month, int day, int hour = 10, int minute = 0) => new(year, month, day, hour, minute, 0, Beijing);

    public void Dispose() => Database.Dispose();
}
