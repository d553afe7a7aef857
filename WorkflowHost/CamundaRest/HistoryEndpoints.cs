using ComplaintWorkflows.Engine.Model;
using ComplaintWorkflows.Engine.Runtime;
using Microsoft.AspNetCore.Http.HttpResults;
using static ComplaintWorkflows.WorkflowHost.CamundaRest.CamundaRestEndpoints;

namespace ComplaintWorkflows.WorkflowHost.CamundaRest;

/// <summary><c>/history/process-instance</c> and <c>/history/activity-instance</c>, read from the engine's journal.</summary>
internal static class HistoryEndpoints
{
    public static void MapHistoryEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/history/process-instance", GetProcessInstancesAsync)
            .WithName("CamundaGetHistoricProcessInstances")
            .WithSummary("Process instances, running and ended (filters processInstanceId, processDefinitionKey, businessKey, superProcessInstanceId).");
        api.MapGet("/history/activity-instance", GetActivityInstancesAsync)
            .WithName("CamundaGetHistoricActivityInstances")
            .WithSummary("The elements an instance went through, from its journal, with Camunda's activity types (filter processInstanceId, activityId, activityType).");
    }

    private static async Task<Ok<List<HistoricProcessInstanceDto>>> GetProcessInstancesAsync(
        WorkflowEngine engine, string? processInstanceId, string? processDefinitionKey, string? businessKey, string? superProcessInstanceId, int? firstResult, int? maxResults, CancellationToken cancellationToken)
    {
        var instances = await engine.GetInstancesAsync(processDefinitionKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        var parents = instances.ToDictionary(i => i.Id, i => i.ParentInstanceId, StringComparer.Ordinal);
        var page = Page(
            instances.Where(i => (processInstanceId is null || i.Id == processInstanceId)
                && (businessKey is null || i.BusinessKey == businessKey)
                && (superProcessInstanceId is null || i.ParentInstanceId == superProcessInstanceId)),
            firstResult,
            maxResults);
        var result = new List<HistoricProcessInstanceDto>(page.Count);
        foreach (var i in page)
        {
            // The start event and the one who started it are the journal's first entries (one read per instance listed).
            var journal = await engine.GetJournalAsync(i.Id, cancellationToken).ConfigureAwait(false);
            var start = journal.FirstOrDefault(e => e.Kind == JournalKind.ElementEntered);
            var started = journal.FirstOrDefault(e => e.Kind == JournalKind.ProcessStarted);
            result.Add(new HistoricProcessInstanceDto(
                i.Id,
                RootOf(i.Id, parents),
                i.ParentInstanceId,
                null,
                null,
                DefinitionName(engine, i.DefinitionId),
                i.DefinitionKey,
                i.DefinitionVersion,
                i.DefinitionId,
                i.BusinessKey,
                CamundaVariables.FormatDate(i.StartedAt),
                CamundaVariables.FormatDate(i.EndedAt),
                null,
                i.EndedAt is { } ended ? (long)(ended - i.StartedAt).TotalMilliseconds : null,
                started?.UserId,
                start?.ElementId,
                i.Status == InstanceStatus.Terminated ? journal.LastOrDefault(e => e.Kind == JournalKind.ProcessTerminated)?.Detail ?? "terminated" : null,
                null,
                i.Status switch
                {
                    InstanceStatus.Active => "ACTIVE",
                    InstanceStatus.Completed => "COMPLETED",
                    _ => "INTERNALLY_TERMINATED",
                }));
        }

        return TypedResults.Ok(result);
    }

    private static string RootOf(string id, Dictionary<string, string?> parents)
    {
        var root = id;
        for (var depth = 0; depth < 100 && parents.GetValueOrDefault(root) is { } parent; depth++)
        {
            root = parent;
        }

        return root;
    }

    private static string? DefinitionName(WorkflowEngine engine, string definitionId)
    {
        try
        {
            return engine.GetDefinitionById(definitionId).Name;
        }
        catch (WorkflowException)
        {
            return null;
        }
    }

    private static async Task<Ok<List<HistoricActivityInstanceDto>>> GetActivityInstancesAsync(
        WorkflowEngine engine, string? processInstanceId, string? activityId, string? activityType, int? firstResult, int? maxResults, CancellationToken cancellationToken)
    {
        if (processInstanceId is null)
        {
            throw CamundaRestException.InvalidRequest("Give processInstanceId: activity history is read per instance.");
        }

        var instance = await engine.GetInstanceAsync(processInstanceId, cancellationToken).ConfigureAwait(false);
        var model = engine.GetDefinitionById(instance.DefinitionId).Model;
        var journal = await engine.GetJournalAsync(processInstanceId, cancellationToken).ConfigureAwait(false);
        var openTasks = (await engine.GetTasksAsync(new TaskQuery(ProcessInstanceId: processInstanceId), cancellationToken).ConfigureAwait(false)).ToList();
        var calledInstances = new Queue<string>((await engine.GetInstancesAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
            .Where(i => i.ParentInstanceId == processInstanceId).OrderBy(i => i.StartedAt).Select(i => i.Id));
        var context = new HistoryContext(instance, model, openTasks, calledInstances);

        var open = new Dictionary<int, (JournalEntry Entered, string Id, string Parent)>();
        var result = new List<HistoricActivityInstanceDto>();
        foreach (var entry in journal)
        {
            switch (entry.Kind)
            {
                case JournalKind.ElementEntered when entry.NodeId != 0 && model.ElementsById.ContainsKey(entry.ElementId) && entry.ElementId != model.Id:
                    var id = $"{entry.ElementId}:{processInstanceId}:{entry.NodeId}";
                    open[entry.NodeId] = (entry, id, ParentOf(model.ElementsById[entry.ElementId], open.Values, processInstanceId));
                    break;
                case JournalKind.ElementCompleted or JournalKind.ElementCancelled when open.Remove(entry.NodeId, out var entered):
                    result.Add(Dto(context, entered.Entered, entry, entered.Id, entered.Parent));
                    break;
            }
        }

        result.AddRange(open.Values.Select(e => Dto(context, e.Entered, null, e.Id, e.Parent)));
        var matching = result
            .Where(a => (activityId is null || a.ActivityId == activityId) && (activityType is null || a.ActivityType == activityType))
            .OrderBy(a => a.StartTime, StringComparer.Ordinal);
        return TypedResults.Ok(Page(matching, firstResult, maxResults));
    }

    /// <summary>The activity instance an element's instance runs in: the open one of its sub-process, else the process instance.</summary>
    private static string ParentOf(BaseElement element, IEnumerable<(JournalEntry Entered, string Id, string Parent)> open, string instanceId)
    {
        var scope = (element as FlowNode)?.Scope;
        if (scope is null or ProcessModel)
        {
            return instanceId;
        }

        return open.Where(o => o.Entered.ElementId == scope.Id).OrderByDescending(o => o.Entered.Sequence).Select(o => o.Id).FirstOrDefault() ?? instanceId;
    }

    private sealed record HistoryContext(ProcessInstanceInfo Instance, ProcessModel Model, List<TaskInfo> OpenTasks, Queue<string> CalledInstances);

    private static HistoricActivityInstanceDto Dto(HistoryContext context, JournalEntry entered, JournalEntry? ended, string id, string parentId)
    {
        var element = context.Model.ElementsById[entered.ElementId];
        string? taskId = null;
        if (element.Kind == ElementKind.UserTask)
        {
            // A task that is done: its id is in the journal entry that ended it; an open one is in the task list.
            taskId = ended?.Detail;
            if (ended is null && context.OpenTasks.FirstOrDefault(t => t.ElementId == element.Id) is { } task)
            {
                context.OpenTasks.Remove(task);
                taskId = task.Id;
            }
        }

        var called = element.Kind == ElementKind.CallActivity && context.CalledInstances.Count > 0 ? context.CalledInstances.Dequeue() : null;
        var instanceId = context.Instance.Id;
        return new HistoricActivityInstanceDto(
            id,
            parentId,
            entered.ElementId,
            element.Name,
            ActivityType(element),
            context.Instance.DefinitionKey,
            context.Instance.DefinitionId,
            instanceId,
            instanceId,
            taskId,
            entered.UserId ?? ended?.UserId,
            called,
            null,
            CamundaVariables.FormatDate(entered.At),
            CamundaVariables.FormatDate(ended?.At),
            ended is null ? null : (long)(ended.At - entered.At).TotalMilliseconds,
            ended?.Kind == JournalKind.ElementCancelled,
            ended?.Kind == JournalKind.ElementCompleted && element.Kind == ElementKind.EndEvent,
            null,
            null,
            instanceId);
    }

    /// <summary>Camunda's activity type names (<c>ActivityTypes</c> in Camunda 7), from the element and its event definition.</summary>
    internal static string ActivityType(BaseElement element) => element switch
    {
        StartEvent start => start.Definition switch
        {
            MessageEventDefinition => "messageStartEvent",
            TimerEventDefinition => "startTimerEvent",
            SignalEventDefinition => "signalStartEvent",
            ErrorEventDefinition => "errorStartEvent",
            EscalationEventDefinition => "escalationStartEvent",
            _ => "startEvent",
        },
        EndEvent end => end.Definition switch
        {
            TerminateEventDefinition => "terminateEndEvent",
            ErrorEventDefinition => "errorEndEvent",
            MessageEventDefinition => "messageEndEvent",
            SignalEventDefinition => "signalEndEvent",
            EscalationEventDefinition => "escalationEndEvent",
            _ => "noneEndEvent",
        },
        IntermediateCatchEvent catchEvent => catchEvent.Definition switch
        {
            MessageEventDefinition => "intermediateMessageCatch",
            TimerEventDefinition => "intermediateTimer",
            SignalEventDefinition => "intermediateSignalCatch",
            LinkEventDefinition => "intermediateLinkCatch",
            _ => "intermediateCatchEvent",
        },
        IntermediateThrowEvent throwEvent => throwEvent.Definition switch
        {
            MessageEventDefinition => "intermediateMessageThrowEvent",
            SignalEventDefinition => "intermediateSignalThrow",
            EscalationEventDefinition => "intermediateEscalationThrowEvent",
            LinkEventDefinition => "intermediateLinkThrow",
            _ => "intermediateNoneThrowEvent",
        },
        BoundaryEvent boundary => boundary.Definition switch
        {
            MessageEventDefinition => "boundaryMessage",
            TimerEventDefinition => "boundaryTimer",
            SignalEventDefinition => "boundarySignal",
            ErrorEventDefinition => "boundaryError",
            EscalationEventDefinition => "boundaryEscalation",
            _ => "boundaryEvent",
        },
        _ => element.Kind switch
        {
            ElementKind.EventSubProcess => "subProcess",
            _ => element.TypeName,
        },
    };

    public sealed record HistoricProcessInstanceDto(
        string Id,
        string RootProcessInstanceId,
        string? SuperProcessInstanceId,
        string? SuperCaseInstanceId,
        string? CaseInstanceId,
        string? ProcessDefinitionName,
        string ProcessDefinitionKey,
        int ProcessDefinitionVersion,
        string ProcessDefinitionId,
        string? BusinessKey,
        string StartTime,
        string? EndTime,
        string? RemovalTime,
        long? DurationInMillis,
        string? StartUserId,
        string? StartActivityId,
        string? DeleteReason,
        string? TenantId,
        string State);

    public sealed record HistoricActivityInstanceDto(
        string Id,
        string ParentActivityInstanceId,
        string ActivityId,
        string? ActivityName,
        string ActivityType,
        string ProcessDefinitionKey,
        string ProcessDefinitionId,
        string ProcessInstanceId,
        string ExecutionId,
        string? TaskId,
        string? Assignee,
        string? CalledProcessInstanceId,
        string? CalledCaseInstanceId,
        string StartTime,
        string? EndTime,
        long? DurationInMillis,
        bool Canceled,
        bool CompleteScope,
        string? TenantId,
        string? RemovalTime,
        string RootProcessInstanceId);
}
