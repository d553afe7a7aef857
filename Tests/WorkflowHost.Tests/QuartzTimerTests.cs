using ComplaintWorkflows.Engine.Runtime;
using ComplaintWorkflows.TestSupport;
using ComplaintWorkflows.WorkflowHost.Timers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace ComplaintWorkflows.WorkflowHost.Tests;

/// <summary>A host whose timers are fired by Quartz only: the safety-net sweep is an hour away.</summary>
public sealed class QuartzHostFactory : HostFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Workflows:Timers:SafetyNetInterval", "01:00:00");
    }
}

/// <summary>The same on PostgreSQL, where Quartz runs clustered (needs the server ./test.sh starts).</summary>
public sealed class QuartzPostgresHostFactory : HostFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        var connectionString = TestPostgres.NewDatabase("host");

        builder.UseSetting("Workflows:Database", "Postgres");
        builder.UseSetting("Workflows:ConnectionString", connectionString);
        builder.UseSetting("Workflows:Timers:SafetyNetInterval", "01:00:00");
    }
}

public sealed class QuartzTimerTests_Sqlite(QuartzHostFactory factory) : QuartzTimerTests(factory), IClassFixture<QuartzHostFactory>;

public sealed class QuartzTimerTests_Postgres(QuartzPostgresHostFactory factory) : QuartzTimerTests(factory), IClassFixture<QuartzPostgresHostFactory>;

public abstract class QuartzTimerTests(HostFactory factory)
{
    private const string Process = """
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
          <bpmn:process id="quartz-timers" isExecutable="true">
            <bpmn:startEvent id="s" />
            <bpmn:parallelGateway id="fork" />
            <bpmn:intermediateCatchEvent id="soon"><bpmn:timerEventDefinition><bpmn:timeDuration>PT2S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
            <bpmn:userTask id="afterTimer" />
            <bpmn:userTask id="handle" />
            <bpmn:boundaryEvent id="late" attachedToRef="handle"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
            <bpmn:userTask id="supervise" />
            <bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="fork" />
            <bpmn:sequenceFlow id="f1" sourceRef="fork" targetRef="soon" />
            <bpmn:sequenceFlow id="f2" sourceRef="soon" targetRef="afterTimer" />
            <bpmn:sequenceFlow id="f3" sourceRef="fork" targetRef="handle" />
            <bpmn:sequenceFlow id="f4" sourceRef="late" targetRef="supervise" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    [Fact]
    public async Task Quartz_FiresATimerAtItsDueTime_AndEndedWaitsLoseTheirTriggers()
    {
        using var client = factory.CreateClient();
        var engine = factory.Services.GetRequiredService<WorkflowEngine>();
        var scheduler = await factory.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await engine.DeployAsync(Process, "quartz-timers.bpmn");

        var instance = await engine.StartProcessAsync("quartz-timers");
        var timers = await engine.GetTimersAsync(instance.Id);
        Assert.Equal(2, timers.Count);
        foreach (var timer in timers)
        {
            var trigger = await scheduler.GetTrigger(QuartzTimerScheduler.TriggerKeyOf(timer.Id));
            Assert.NotNull(trigger);
            Assert.Equal(timer.DueAt.ToUnixTimeMilliseconds(), trigger.StartTimeUtc.ToUnixTimeMilliseconds());
        }

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await engine.GetTasksAsync(new TaskQuery(instance.Id, ElementId: "afterTimer"))).Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.Single(await engine.GetTasksAsync(new TaskQuery(instance.Id, ElementId: "afterTimer")));
        var boundary = Assert.Single(await engine.GetTimersAsync(instance.Id));
        await engine.CompleteTaskAsync((await engine.GetTasksAsync(new TaskQuery(instance.Id, ElementId: "handle"))).Single().Id);

        Assert.Empty(await engine.GetTimersAsync(instance.Id));
        Assert.Null(await scheduler.GetTrigger(QuartzTimerScheduler.TriggerKeyOf(boundary.Id)));
    }
}
