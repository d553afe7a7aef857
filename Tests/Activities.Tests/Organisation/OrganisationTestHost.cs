using ComplaintWorkflows.Activities.Calendar;
using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Emergency;
using ComplaintWorkflows.Activities.Messaging;
using ComplaintWorkflows.Activities.Organisation;
using ComplaintWorkflows.Engine.Expressions;
using ComplaintWorkflows.Engine.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ComplaintWorkflows.Activities.Tests.Organisation;

/// <summary>
/// The organisation services as the host wires them (AddOrganisation), on an in-memory domain database seeded
/// with the demo organisation, a fake clock (Monday 2026-11-23 10:00 Beijing time) and a small fake calendar.
/// </summary>
internal sealed class OrganisationTestHost : IDisposable
{
    public static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    public static readonly DateTimeOffset Monday = new(2026, 11, 23, 10, 0, 0, Beijing);

    /// <summary>New Year's Day 2027, a holiday in the fake calendar (within the 60-day demo roster).</summary>
    public static readonly DateOnly Holiday = new(2027, 1, 1);

    private readonly ServiceProvider _services;
    private int _complaints;

    private OrganisationTestHost(IReadOnlyDictionary<string, string?>? settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IDbContextFactory<DomainDbContext>>(Database);
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton<IWorkingCalendar>(Calendar);
        services.AddOrganisation(configuration);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    public InMemoryDomainDatabase Database { get; } = DomainDatabase.InMemory();

    public FakeTimeProvider Clock { get; } = new(Monday);

    public FakeCalendar Calendar { get; } = new([Holiday]);

    public static async Task<OrganisationTestHost> CreateAsync(IReadOnlyDictionary<string, string?>? settings = null, bool seed = true)
    {
        var host = new OrganisationTestHost(settings);
        if (seed)
        {
            await DemoOrganisation.SeedAsync(host.Database, host.Calendar, host.Clock, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        }

        return host;
    }

    public IServiceProvider Services => _services;

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    /// <summary>An engine running this project's activities with these services and clock.</summary>
    public WorkflowEngine CreateEngine() => new(WorkflowActivities.CreateRegistry(), new ExpressionEngine(), Clock, services: _services);

    public async Task AddComplaintsAsync(string handler, int count, ComplaintStatus status = ComplaintStatus.Handling)
    {
        await using var db = Database.CreateDbContext();
        for (var i = 0; i < count; i++)
        {
            var n = Interlocked.Increment(ref _complaints);
            db.Add(new Complaint
            {
                Id = $"c{n}",
                TrackingNumber = $"TS{n:D6}",
                ConsumerName = "消费者",
                ConsumerPhone = "13800000000",
                RespondentName = "某商店",
                RespondentAddress = "温州市",
                Request = "退款",
                Facts = "事实",
                Status = status,
                HandlerUserName = handler,
                ReceivedAt = Clock.GetUtcNow(),
            });
        }

        await db.SaveChangesAsync();
    }

    public Task AbsentAsync(string userName, string reason = "年休假")
        => Get<OrganisationService>().AddAbsenceAsync(new Absence { UserName = userName, From = Clock.GetUtcNow().AddDays(-1), To = Clock.GetUtcNow().AddDays(3), Reason = reason });

    /// <summary>The duty roster service on this host's database and clock (the host's calendar from the database; reminders go nowhere).</summary>
    public DutyRosterService Roster()
        => new(Database, new WorkingCalendar(Database, Clock, Options.Create(new CalendarOptions())), Clock, Get<OrganisationCache>(), new NoNotifications(), Options.Create(new EmergencyOptions()));

    /// <summary>Who is on the unit's duty roster on the day.</summary>
    public async Task<IReadOnlyList<string>> DutyAsync(string unitId, DateOnly day)
        => (await Roster().GetAsync(unitId, day, day))!.Days.Single().UserNames;

    public void Dispose()
    {
        _services.Dispose();
        Database.Dispose();
    }
}

internal sealed class NoNotifications : INotificationService
{
    public Task EnqueueAsync(NotificationRequest request, CancellationToken cancellationToken = default) => Task.CompletedTask;
}

/// <summary>Weekends and the given holidays are days off; office hours are 08:30-12:00 and 13:30-17:30 Beijing time on working days.</summary>
internal sealed class FakeCalendar(IEnumerable<DateOnly> holidays) : IWorkingCalendar
{
    private readonly HashSet<DateOnly> _holidays = [.. holidays];

    public bool IsWorkingDay(DateOnly day) => day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !_holidays.Contains(day);

    public bool IsOfficeHours(DateTimeOffset instant)
    {
        var local = instant.ToOffset(OrganisationTestHost.Beijing);
        var time = local.TimeOfDay;
        return IsWorkingDay(DateOnly.FromDateTime(local.DateTime))
            && ((time >= new TimeSpan(8, 30, 0) && time < new TimeSpan(12, 0, 0)) || (time >= new TimeSpan(13, 30, 0) && time < new TimeSpan(17, 30, 0)));
    }

    public DateTimeOffset AddWorkingDays(DateTimeOffset start, int workingDays)
    {
        var day = DateOnly.FromDateTime(start.ToOffset(OrganisationTestHost.Beijing).DateTime);
        for (var counted = 0; counted < workingDays;)
        {
            day = day.AddDays(1);
            counted += IsWorkingDay(day) ? 1 : 0;
        }

        return new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), OrganisationTestHost.Beijing);
    }
}
