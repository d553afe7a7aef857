using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Organisation;
using ComplaintWorkflows.Activities.Calendar;
using ComplaintWorkflows.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Tests.Organisation;

/// <summary>
/// The handler workload dispatch reads is kept by triggers: after any mix of inserts, handler changes, status
/// changes and deletes it equals a count of each handler's open complaints, on a migrated database.
/// </summary>
public abstract class HandlerLoadTests
{
    private static readonly string[] Handlers = ["wang", "li", "zhao"];

    protected abstract Task<IDbContextFactory<DomainDbContext>> MigratedDatabaseAsync();

    [Fact]
    public async Task Load_FollowsIntake_Reassignment_Closing_AndDeletion()
    {
        var contexts = await MigratedDatabaseAsync();
        await using (var db = await contexts.CreateDbContextAsync())
        {
            for (var i = 0; i < 6; i++)
            {
                db.Add(Complaint($"c{i}", i < 4 ? "wang" : "li", i == 5 ? ComplaintStatus.Closed : ComplaintStatus.Handling));
            }

            db.Add(Complaint("c6", null, ComplaintStatus.Registered));
            await db.SaveChangesAsync();
        }

        Assert.Equal(new Dictionary<string, int> { ["wang"] = 4, ["li"] = 1, ["zhao"] = 0 }, await LoadsAsync(contexts));

        await using (var db = await contexts.CreateDbContextAsync())
        {
            var complaints = await db.Set<Complaint>().ToDictionaryAsync(c => c.Id);
            complaints["c0"].HandlerUserName = "li";                 // reassigned
            complaints["c1"].Status = ComplaintStatus.Closed;         // finished
            complaints["c2"].Status = ComplaintStatus.InReview;       // still open: no change
            complaints["c5"].Status = ComplaintStatus.Handling;       // reopened
            complaints["c6"].HandlerUserName = "zhao";                // first assignment
            complaints["c6"].Status = ComplaintStatus.Dispatched;
            db.Remove(complaints["c3"]);                              // deleted while open
            await db.SaveChangesAsync();
        }

        await using (var db = await contexts.CreateDbContextAsync())
        {
            await db.Set<Complaint>().Where(c => c.Id == "c4").ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ComplaintStatus.Refused));
        }

        var expected = new Dictionary<string, int> { ["wang"] = 1, ["li"] = 2, ["zhao"] = 1 };
        Assert.Equal(expected, await LoadsAsync(contexts));
        Assert.Equal(expected, await CountedAsync(contexts));
    }

    private static async Task<Dictionary<string, int>> LoadsAsync(IDbContextFactory<DomainDbContext> contexts)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var time = TimeProvider.System;
        var resolver = new AssigneeResolver(contexts, new WorkingCalendar(contexts, time, Options.Create(new CalendarOptions())), time, Options.Create(new OrganisationOptions()));
        return await resolver.OpenComplaintsAsync(db, Handlers, CancellationToken.None);
    }

    /// <summary>The definition the counts stand for, counted the slow way.</summary>
    private static async Task<Dictionary<string, int>> CountedAsync(IDbContextFactory<DomainDbContext> contexts)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var open = await db.Set<Complaint>().AsNoTracking().Where(c => c.HandlerUserName != null).ToListAsync();
        return Handlers.ToDictionary(
            n => n,
            n => open.Count(c => c.HandlerUserName == n && !HandlerLoadTriggers.Finished.Contains(c.Status)));
    }

    private static Complaint Complaint(string id, string? handler, ComplaintStatus status) => new()
    {
        Id = id,
        TrackingNumber = "TS" + id,
        ConsumerName = "消费者",
        ConsumerPhone = "13800000000",
        RespondentName = "某商店",
        RespondentAddress = "温州市",
        Request = "退款",
        Facts = "事实",
        Status = status,
        HandlerUserName = handler,
        ReceivedAt = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8)),
    };
}

public sealed class HandlerLoadTests_Sqlite : HandlerLoadTests, IDisposable
{
    private readonly string _folder = TestFiles.NewFolder("load");

    protected override async Task<IDbContextFactory<DomainDbContext>> MigratedDatabaseAsync()
    {
        var contexts = DomainDatabase.Sqlite(Path.Combine(_folder, "domain.db"));
        await DomainDatabase.MigrateAsync(contexts);
        return contexts;
    }

    public void Dispose()
    {
        TestFiles.DeleteFolder(_folder);
    }
}

/// <summary>The in-memory database of the feature tests is created from the model, and gets the triggers too.</summary>
public sealed class HandlerLoadTests_InMemory : HandlerLoadTests, IDisposable
{
    private readonly InMemoryDomainDatabase _database = DomainDatabase.InMemory();

    protected override Task<IDbContextFactory<DomainDbContext>> MigratedDatabaseAsync() => Task.FromResult<IDbContextFactory<DomainDbContext>>(_database);

    public void Dispose() => _database.Dispose();
}

public sealed class HandlerLoadTests_Postgres : HandlerLoadTests
{
    protected override async Task<IDbContextFactory<DomainDbContext>> MigratedDatabaseAsync()
    {
        var connectionString = await TestPostgres.NewDatabaseAsync("load");

        var contexts = DomainDatabase.Postgres(connectionString);
        await DomainDatabase.MigrateAsync(contexts);
        return contexts;
    }
}
