using ComplaintWorkflows.Activities.Calendar;
using static ComplaintWorkflows.Activities.Tests.Calendar.CalendarFixture;
using static ComplaintWorkflows.Activities.Tests.Calendar.SlaEngineFixture;

namespace ComplaintWorkflows.Activities.Tests.Calendar;

public sealed class SlaActivityTests
{
    [Fact]
    public async Task Deadline_SetsThePrefixedVariables_AsIsoStringsInBeijingTime()
    {
        using var f = new SlaEngineFixture(Local(2026, 9, 30, 15));

        var instance = await f.RunAsync($$"""
            <bpmn:startEvent id="s" />
            {{Task("d", "sla.deadline", ("kind", "handling"), ("tier", "${tier}"), ("receivedAt", "${receivedAt}"))}}
            <bpmn:userTask id="u" />
            {{Chain("s", "d", "u")}}
            """, new { tier = "Simple", receivedAt = "2026-09-30T07:00:00Z" });

        Assert.Equal("2026-10-11T00:00:00+08:00", await f.VariableAsync(instance.Id, "handlingDueAt"));
        Assert.Equal("2026-10-10", await f.VariableAsync(instance.Id, "handlingDueDate"));
        Assert.Equal("2026-10-08T22:12:00+08:00", await f.VariableAsync(instance.Id, "handlingWarnAt"));
        Assert.Contains("第121号", await f.VariableAsync(instance.Id, "handlingRuleSet"), StringComparison.Ordinal);
        Assert.Equal("2026-10-11T00:00:00+08:00", await f.VariableAsync(instance.Id, "dueAt"));
        Assert.Equal("2026-10-08T22:12:00+08:00", await f.VariableAsync(instance.Id, "warnAt"));
    }

    [Fact]
    public async Task Deadline_UsesTheVariablePrefix_AndTheStartGiven()
    {
        using var f = new SlaEngineFixture(Local(2026, 11, 23));

        var instance = await f.RunAsync($$"""
            <bpmn:startEvent id="s" />
            {{Task("d", "sla.deadline", ("kind", "caseOpeningExtension"), ("startAt", "2026-12-11T00:00:00+08:00"), ("variablePrefix", "caseOpening"))}}
            <bpmn:userTask id="u" />
            {{Chain("s", "d", "u")}}
            """);

        // Extended by 15 working days from the end of Dec 10: Dec 11 is the first of them, Dec 31 the last.
        Assert.Equal("2027-01-01T00:00:00+08:00", await f.VariableAsync(instance.Id, "caseOpeningDueAt"));
        Assert.Null(await f.VariableAsync(instance.Id, "caseOpeningExtensionDueAt"));
    }

    [Fact]
    public async Task Deadline_WithAnUnknownKind_RaisesAnIncidentNamingTheElementAndValue()
    {
        using var f = new SlaEngineFixture(Local(2026, 11, 23));

        var instance = await f.RunAsync($$"""
            <bpmn:startEvent id="s" />
            {{Task("computeDeadline", "sla.deadline", ("kind", "handlng"))}}
            <bpmn:userTask id="u" />
            {{Chain("s", "computeDeadline", "u")}}
            """);

        var incident = Assert.Single(await f.Engine.GetIncidentsAsync(instance.Id));
        Assert.Equal("computeDeadline", incident.ElementId);
        Assert.Contains("'handlng'", incident.Message, StringComparison.Ordinal);
        Assert.Contains("computeDeadline", incident.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deadline_WithAnUnknownTier_RaisesAnIncidentNamingTheInput()
    {
        using var f = new SlaEngineFixture(Local(2026, 11, 23));

        var instance = await f.RunAsync($$"""
            <bpmn:startEvent id="s" />
            {{Task("d", "sla.deadline", ("kind", "handling"), ("tier", "urgent"))}}
            <bpmn:userTask id="u" />
            {{Chain("s", "d", "u")}}
            """);

        var incident = Assert.Single(await f.Engine.GetIncidentsAsync(instance.Id));
        Assert.Contains("input 'tier'", incident.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WarningAndDeadlineTimers_FireAtTheComputedInstants()
    {
        using var f = new SlaEngineFixture(Local(2026, 11, 23, 9));
        var instance = await f.RunAsync($$"""
            <bpmn:startEvent id="s" />
            {{Task("d", "sla.deadline", ("kind", "handling"), ("tier", "simple"))}}
            <bpmn:userTask id="mediate" camunda:dueDate="${handlingDueAt}" />
            <bpmn:boundaryEvent id="warning" attachedToRef="mediate" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeDate>${handlingWarnAt}</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:boundaryEvent>
            <bpmn:boundaryEvent id="breach" attachedToRef="mediate" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeDate>${handlingDueAt}</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:boundaryEvent>
            <bpmn:userTask id="warned" />
            <bpmn:userTask id="supervise" />
            <bpmn:endEvent id="e" />
            {{Chain("s", "d", "mediate", "e")}}
            {{Chain("warning", "warned")}}
            {{Chain("breach", "supervise")}}
            """);

        // Simple: 3 working days after Monday Nov 23, due at 24:00 Thursday; warning at 80% of the 87 hours.
        var due = EndOfDay(2026, 11, 26);
        var warn = new DateTimeOffset(2026, 11, 26, 6, 36, 0, Beijing);
        Assert.Equal([warn, due], (await f.Engine.GetTimersAsync(instance.Id)).Select(t => t.DueAt).Order());
        Assert.Equal(due, (await f.Engine.GetTasksAsync()).Single(t => t.ElementId == "mediate").DueDate);

        await f.AdvanceToAsync(warn.AddSeconds(-1));
        Assert.Equal(["mediate"], await f.ActiveElementsAsync(instance.Id));
        await f.AdvanceToAsync(warn);
        Assert.Equal(["mediate", "warned"], await f.ActiveElementsAsync(instance.Id));
        await f.AdvanceToAsync(due.AddSeconds(-1));
        Assert.Equal(["mediate", "warned"], await f.ActiveElementsAsync(instance.Id));
        await f.AdvanceToAsync(due);
        Assert.Equal(["mediate", "supervise", "warned"], await f.ActiveElementsAsync(instance.Id));
    }

    [Fact]
    public async Task PauseAndResume_MoveTheDeadline_AndTheReArmedTimersFireAtTheNewInstants()
    {
        using var f = new SlaEngineFixture(Local(2026, 11, 23, 9));
        var instance = await f.RunAsync($$"""
            <bpmn:startEvent id="s" />
            {{Task("d", "sla.deadline", ("kind", "handling"), ("tier", "simple"))}}
            {{Task("pause", "sla.pause", ("kind", "handling"), ("reason", "检测/鉴定"))}}
            <bpmn:userTask id="testing" />
            {{Task("resume", "sla.resume", ("kind", "handling"))}}
            <bpmn:userTask id="mediate" />
            <bpmn:boundaryEvent id="breach" attachedToRef="mediate" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeDate>${handlingDueAt}</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:boundaryEvent>
            <bpmn:userTask id="supervise" />
            <bpmn:endEvent id="e" />
            {{Chain("s", "d", "pause", "testing", "resume", "mediate", "e")}}
            {{Chain("breach", "supervise")}}
            """);
        Assert.Equal("2026-11-23T09:00:00+08:00", await f.VariableAsync(instance.Id, "handlingPausedAt"));
        Assert.Equal("检测/鉴定", await f.VariableAsync(instance.Id, "handlingPauseReason"));

        // The appraisal report arrives the next Monday: Nov 24-27 and Nov 30 (5 working days) do not count.
        f.Time.SetUtcNow(Local(2026, 11, 30, 10));
        await f.Engine.CompleteTaskAsync((await f.Engine.GetTasksAsync()).Single(t => t.ElementId == "testing").Id);

        var due = EndOfDay(2026, 12, 3);
        Assert.Equal("2026-12-04T00:00:00+08:00", await f.VariableAsync(instance.Id, "handlingDueAt"));
        Assert.Equal("2026-12-03T06:36:00+08:00", await f.VariableAsync(instance.Id, "handlingWarnAt"));
        Assert.Null(await f.VariableAsync(instance.Id, "handlingPausedAt"));
        Assert.Equal(due, Assert.Single(await f.Engine.GetTimersAsync(instance.Id)).DueAt);
        await f.AdvanceToAsync(due.AddSeconds(-1));
        Assert.Equal(["mediate"], await f.ActiveElementsAsync(instance.Id));
        await f.AdvanceToAsync(due);
        Assert.Equal(["mediate", "supervise"], await f.ActiveElementsAsync(instance.Id));
    }

    [Fact]
    public async Task Pause_Twice_KeepsTheFirstPause_AndResumeWithoutAPause_ChangesNothing()
    {
        using var f = new SlaEngineFixture(Local(2026, 11, 23, 9));
        var instance = await f.RunAsync($$"""
            <bpmn:startEvent id="s" />
            {{Task("d", "sla.deadline", ("kind", "acceptance"))}}
            {{Task("resumeFirst", "sla.resume", ("variablePrefix", "acceptance"))}}
            {{Task("pause", "sla.pause", ("variablePrefix", "acceptance"))}}
            <bpmn:userTask id="wait" />
            {{Task("pauseAgain", "sla.pause", ("variablePrefix", "acceptance"))}}
            <bpmn:userTask id="u" />
            {{Chain("s", "d", "resumeFirst", "pause", "wait", "pauseAgain", "u")}}
            """);
        Assert.Equal("2026-12-03T00:00:00+08:00", await f.VariableAsync(instance.Id, "acceptanceDueAt"));

        f.Time.SetUtcNow(Local(2026, 11, 24, 9));
        await f.Engine.CompleteTaskAsync((await f.Engine.GetTasksAsync()).Single(t => t.ElementId == "wait").Id);

        Assert.Equal("2026-11-23T09:00:00+08:00", await f.VariableAsync(instance.Id, "acceptancePausedAt"));
    }

    [Fact]
    public async Task Pause_WithoutADeadline_RaisesAnIncident()
    {
        using var f = new SlaEngineFixture(Local(2026, 11, 23, 9));

        var instance = await f.RunAsync($$"""
            <bpmn:startEvent id="s" />
            {{Task("pause", "sla.pause", ("kind", "mediation"))}}
            <bpmn:userTask id="u" />
            {{Chain("s", "pause", "u")}}
            """);

        Assert.Contains("mediationDueAt", Assert.Single(await f.Engine.GetIncidentsAsync(instance.Id)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddWorkingCalendar_ReportsABadTimeZoneAndOfficeHours_AtOnce()
    {
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() =>
        {
            using var f = new SlaEngineFixture(Local(2026, 11, 23), new Dictionary<string, string?>
            {
                ["Workflows:Domain:Calendar:TimeZone"] = "Mars/Olympus",
                ["Workflows:Domain:Calendar:OfficeHours:0"] = "12:00-08:30",
            });
        });

        Assert.Contains(error.Failures, m => m.Contains("Mars/Olympus", StringComparison.Ordinal));
        Assert.Contains(error.Failures, m => m.Contains("12:00-08:30", StringComparison.Ordinal));
    }

    [Fact]
    public void AddWorkingCalendar_BindsTheOfficeHoursFromConfiguration()
    {
        using var f = new SlaEngineFixture(Local(2026, 11, 23), new Dictionary<string, string?>
        {
            ["Workflows:Domain:Calendar:OfficeHours:0"] = "09:00-17:00",
        });
        var calendar = (IWorkingCalendar)f.Services.GetService(typeof(IWorkingCalendar))!;

        Assert.True(calendar.IsOfficeHours(Local(2026, 11, 23, 12, 30)));
        Assert.False(calendar.IsOfficeHours(Local(2026, 11, 23, 8, 45)));
    }
}
