using System.Data.Common;
using ComplaintWorkflows.Activities.Cases;
using ComplaintWorkflows.Activities.Closure;
using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Messaging;
using ComplaintWorkflows.Activities.Organisation;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Expressions;
using ComplaintWorkflows.Engine.Persistence;
using ComplaintWorkflows.Engine.Runtime;
using ComplaintWorkflows.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ComplaintWorkflows.Activities.Tests.Complaints;

/// <summary>
/// The closing record, its review, a case's stage, a timeline note and a notification are written with the step that runs them, on
/// the engine's SQLite file: a step that fails after them leaves none of them behind (before, each was stored on its
/// own at once, and a step run again after a lost race stored it twice); a step that succeeds stores them all.
/// </summary>
public sealed class StepWrittenActivityTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 2, 0, 0, TimeSpan.Zero);

    private readonly string _path = TestFiles.NewSqliteFile("stepwritten");
    private ServiceProvider _services = null!;
    private IDbContextFactory<DomainDbContext> _domain = null!;
    private WorkflowEngine _engine = null!;

    /// <summary>Record, review, case stage and note in one step, then <c>last</c>: nothing, or work that cannot be stored (the step fails to commit).</summary>
    private const string Process = """
        <bpmn:startEvent id="s" />
        <bpmn:serviceTask id="record" camunda:delegateExpression="${closure.record}" />
        <bpmn:serviceTask id="review" camunda:delegateExpression="${closure.review}">
          <bpmn:extensionElements><camunda:inputOutput><camunda:inputParameter name="level">desk</camunda:inputParameter></camunda:inputOutput></bpmn:extensionElements>
        </bpmn:serviceTask>
        <bpmn:serviceTask id="case" camunda:delegateExpression="${caseFile.stage}">
          <bpmn:extensionElements><camunda:inputOutput>
            <camunda:inputParameter name="status">Investigating</camunda:inputParameter>
            <camunda:inputParameter name="text">立案调查</camunda:inputParameter>
          </camunda:inputOutput></bpmn:extensionElements>
        </bpmn:serviceTask>
        <bpmn:serviceTask id="note" camunda:delegateExpression="${complaint.note}">
          <bpmn:extensionElements><camunda:inputOutput>
            <camunda:inputParameter name="kind">supervision</camunda:inputParameter>
            <camunda:inputParameter name="text">督办</camunda:inputParameter>
          </camunda:inputOutput></bpmn:extensionElements>
        </bpmn:serviceTask>
        <bpmn:serviceTask id="notify" camunda:delegateExpression="${notify.send}">
          <bpmn:extensionElements><camunda:inputOutput>
            <camunda:inputParameter name="template">complaint.progress</camunda:inputParameter>
            <camunda:inputParameter name="to">consumer</camunda:inputParameter>
            <camunda:inputParameter name="text">案件已立案调查</camunda:inputParameter>
          </camunda:inputOutput></bpmn:extensionElements>
        </bpmn:serviceTask>
        <bpmn:serviceTask id="last" camunda:delegateExpression="${last}" />
        <bpmn:userTask id="done" />
        <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="record" />
        <bpmn:sequenceFlow id="f2" sourceRef="record" targetRef="review" />
        <bpmn:sequenceFlow id="f3" sourceRef="review" targetRef="case" />
        <bpmn:sequenceFlow id="f4" sourceRef="case" targetRef="note" />
        <bpmn:sequenceFlow id="f5" sourceRef="note" targetRef="notify" />
        <bpmn:sequenceFlow id="f5b" sourceRef="notify" targetRef="last" />
        <bpmn:sequenceFlow id="f6" sourceRef="last" targetRef="done" />
        """;

    /// <summary>Whether the last activity enlists work that fails to write.</summary>
    private bool _refuse;

    public async Task InitializeAsync()
    {
        var store = EfWorkflowStore.Sqlite(_path);
        await store.MigrateAsync();
        _domain = DomainDatabase.Sqlite(_path);
        await DomainDatabase.MigrateAsync(_domain);
        await using (var db = await _domain.CreateDbContextAsync())
        {
            db.Add(new Complaint
            {
                Id = "c1",
                TrackingNumber = "TS20260302000001",
                ConsumerName = "张三",
                ConsumerPhone = "13800000000",
                RespondentName = "某商店",
                RespondentAddress = "温州市鹿城区",
                Request = "退货",
                Facts = "手机屏幕有坏点",
                NotifyBy = MessageChannel.Sms,
                ReceivedAt = Now,
                RegisteredAt = Now,
            });
            db.Add(new StaffMember { UserName = "handler_a", DisplayName = "承办人甲", UnitId = "u1" });
            db.Add(new StaffMember { UserName = "handler_b", DisplayName = "承办人乙", UnitId = "u1" });
            db.Add(new CaseFile { Id = "case1", CaseNumber = "AJ2026-0001", ComplaintId = "c1", Source = "complaint", Status = CaseStatus.Opened, CreatedAt = Now });
            await db.SaveChangesAsync();
        }

        var time = new FakeTimeProvider(Now);
        await new NotificationTemplateService(_domain, time).SeedDefaultsAsync();
        _services = new ServiceCollection()
            .AddSingleton(_domain)
            .AddSingleton<TimeProvider>(time)
            .AddSingleton<NotificationSignal>()
            .AddSingleton(Options.Create(new NotificationOptions()))
            .AddSingleton<ConsumerNotifications>()
            .AddSingleton<ILogger<NotificationService>>(NullLogger<NotificationService>.Instance)
            .AddSingleton<NotificationService>()
            .BuildServiceProvider();
        var activities = WorkflowActivities.CreateRegistry()
            .Register(new ActivityDescriptor("last", "Last", "Test", "Enlists work that cannot be stored when told to.", [], []), new LastActivity(this));
        _engine = new WorkflowEngine(activities, new ExpressionEngine(), time, store: store, services: _services);
        await _engine.DeployAsync(Calendar.SlaEngineFixture.Wrap(Process), "closure-step.bpmn");
    }

    [Fact]
    public async Task AStepThatFailsAfterTheClosureActivities_LeavesNoClosingRecord_NoReview_NoCaseStage_AndNoTimelineEntry()
    {
        _refuse = true;
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => _engine.StartProcessAsync("p", Variables(), "c1"));

        Assert.Equal("the step cannot be stored", failure.Message);

        await using var db = await _domain.CreateDbContextAsync();
        Assert.Empty(await db.Set<ClosureRecord>().ToListAsync());
        Assert.Empty(await db.Set<ComplaintEvent>().ToListAsync());
        Assert.Empty(await db.Set<Notification>().ToListAsync());
        Assert.Equal(CaseStatus.Opened, (await db.Set<CaseFile>().SingleAsync()).Status);
        Assert.Empty(await _engine.GetInstancesAsync());
    }

    [Fact]
    public async Task AStepThatSucceeds_StoresTheClosingRecordWithItsReview_TheCaseStage_AndTheTimeline()
    {
        var instance = await _engine.StartProcessAsync("p", Variables(), "c1");

        await using var db = await _domain.CreateDbContextAsync();
        var record = await db.Set<ClosureRecord>().SingleAsync();
        Assert.Equal(1, record.Round);
        Assert.Equal("handler_a,handler_b", record.Signatures);
        Assert.Equal("sendBack", record.DeskDecision);
        Assert.Equal("补充调解过程", record.DeskComment);
        Assert.Equal(CaseStatus.Investigating, (await db.Set<CaseFile>().SingleAsync()).Status);
        Assert.Equal(
            ["review-desk-sent-back", "case-investigating", "supervision"],
            await db.Set<ComplaintEvent>().OrderBy(e => e.Id).Select(e => e.Kind).ToListAsync());
        var notice = Assert.Single(await db.Set<Notification>().ToListAsync());
        Assert.Equal("13800000000", notice.Recipient);
        Assert.Contains("案件已立案调查", notice.Text, StringComparison.Ordinal);
        Assert.Equal(instance.Id, Assert.Single(await _engine.GetInstancesAsync()).Id);
    }

    private static Dictionary<string, object?> Variables() => new()
    {
        ["complaintId"] = "c1",
        ["caseId"] = "case1",
        ["basicFacts"] = "消费者购买手机后发现屏幕坏点",
        ["disputePoints"] = "是否属于质量问题",
        ["mediationProcess"] = "组织双方调解",
        ["result"] = "商家同意退货",
        ["signatures"] = "handler_a,handler_b",
        ["decision"] = "sendBack",
        ["comment"] = "补充调解过程",
    };

    /// <summary>When told to, enlists work that fails to write: the step's commit then fails (as when another host changed the instance).</summary>
    private sealed class LastActivity(StepWrittenActivityTests test) : IActivity
    {
        public ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default)
        {
            if (test._refuse)
            {
                _ = context.StepWork(() => new RefusedWork(test._path)) ?? throw new InvalidOperationException("The store did not take the work.");
            }

            return ValueTask.CompletedTask;
        }
    }

    private sealed class RefusedWork(string path) : IStepWork
    {
        private readonly SqliteConnection _database = new(new SqliteConnectionStringBuilder { DataSource = path }.ToString());

        public DbConnection Database => _database;

        public Task WriteAsync(DbTransaction transaction, CancellationToken cancellationToken) => throw new InvalidOperationException("the step cannot be stored");

        public void Committed()
        {
        }

        public void Dispose() => _database.Dispose();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        File.Delete(_path);
        File.Delete(_path + "-wal");
        File.Delete(_path + "-shm");
    }
}
