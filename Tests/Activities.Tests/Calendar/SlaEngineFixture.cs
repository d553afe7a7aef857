using ComplaintWorkflows.Activities.Calendar;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Engine.Expressions;
using ComplaintWorkflows.Engine.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ComplaintWorkflows.Activities.Tests.Calendar;

/// <summary>
/// The real engine (in-memory store) with every activity of the Activities project, the calendar services wired by
/// <see cref="CalendarServiceCollectionExtensions.AddWorkingCalendar"/> over an in-memory domain database, on a fake clock.
/// </summary>
internal sealed class SlaEngineFixture : IDisposable
{
    private readonly ServiceProvider _services;

    public SlaEngineFixture(DateTimeOffset now, IReadOnlyDictionary<string, string?>? settings = null)
    {
        Database = DomainDatabase.InMemory();
        Time = new FakeTimeProvider(now);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        _services = new ServiceCollection()
            .AddSingleton<TimeProvider>(Time)
            .AddSingleton<IDbContextFactory<DomainDbContext>>(Database)
            .AddWorkingCalendar(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        _services.GetRequiredService<CalendarService>().SeedAsync().GetAwaiter().GetResult();
        Engine = new WorkflowEngine(WorkflowActivities.CreateRegistry(), new ExpressionEngine(), Time, services: _services);
    }

    public InMemoryDomainDatabase Database { get; }

    public FakeTimeProvider Time { get; }

    public WorkflowEngine Engine { get; }

    public IServiceProvider Services => _services;

    public async Task<ProcessInstanceInfo> RunAsync(string process, object? variables = null)
    {
        await Engine.DeployAsync(Wrap(process), "sla-test.bpmn");
        var values = variables?.GetType().GetProperties().ToDictionary(p => p.Name, p => p.GetValue(variables));
        return await Engine.StartProcessAsync("p", values);
    }

    public async Task<string?> VariableAsync(string instanceId, string name)
        => (await Engine.GetVariablesAsync(instanceId)).GetValueOrDefault(name)?.ToString();

    public async Task<IReadOnlyList<string>> ActiveElementsAsync(string instanceId)
        => [.. (await Engine.GetTokensAsync(instanceId)).Where(t => t.ParentNodeId is not null).Select(t => t.ElementId).Order(StringComparer.Ordinal)];

    /// <summary>Moves the fake clock to <paramref name="instant"/> and fires the timers then due.</summary>
    public async Task AdvanceToAsync(DateTimeOffset instant)
    {
        Time.SetUtcNow(instant);
        await Engine.FireDueTimersAsync();
    }

    /// <summary>A service task running an activity with the given input parameters.</summary>
    public static string Task(string id, string activity, params (string Name, string Value)[] inputs) => $"""
        <bpmn:serviceTask id="{id}" camunda:delegateExpression="{"${"}{activity}{"}"}">
          <bpmn:extensionElements><camunda:inputOutput>
            {string.Concat(inputs.Select(i => $"""<camunda:inputParameter name="{i.Name}">{i.Value}</camunda:inputParameter>"""))}
          </camunda:inputOutput></bpmn:extensionElements>
        </bpmn:serviceTask>
        """;

    /// <summary>Sequence flows through the given ids in order.</summary>
    public static string Chain(params string[] ids)
        => string.Concat(ids.Zip(ids.Skip(1)).Select(p => $"""<bpmn:sequenceFlow id="f_{p.First}_{p.Second}" sourceRef="{p.First}" targetRef="{p.Second}" />"""));

    public void Dispose()
    {
        _services.Dispose();
        Database.Dispose();
    }

    /// <summary>A BPMN document with one executable process <c>p</c> of the given elements.</summary>
    public static string Wrap(string process) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                          xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
                          id="defs-sla" targetNamespace="http://complaintworkflows/tests">
          <bpmn:process id="p" isExecutable="true">
            {process}
          </bpmn:process>
        </bpmn:definitions>
        """;
}
