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
            .WithSummary("Process instances, running and ended (filters processInstanceId, processDefinitionKey, businessKey).");
        api.MapGet("/history/activity-instance", GetActivityInstancesAsync)
            .WithName("CamundaGetHistoricActivityInstances")
            .WithSummary("The elements an instance went through, from its journal (filter processInstanceId, activityId).");
    }

    private static async Task<Ok<List<HistoricProcessInstanceDto>>> GetProcessInstancesAsync(
        WorkflowEngine engine, string? processInstanceId, string? processDefinitionKey, string? businessKey, int? firstResult, int? maxResults, CancellationToken cancellationToken)
    {
        var instances = await engine.GetInstancesAsync(processDefinitionKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        var result = instances
            .Where(i => (processInstanceId is null || i.Id == processInstanceId) && (businessKey is null || i.BusinessKey == businessKey))
            .Select(i => new HistoricProcessInstanceDto(
                i.Id,
                i.BusinessKey,
                i.DefinitionKey,
                i.DefinitionVersion,
                i.DefinitionId,
                CamundaVariables.FormatDate(i.StartedAt),
                CamundaVariables.FormatDate(i.EndedAt),
                i.EndedAt is { } ended ? (long)(ended - i.StartedAt).TotalMilliseconds : null,
                i.Status switch
                {
                    InstanceStatus.Active => "ACTIVE",
                    InstanceStatus.Completed => "COMPLETED",
                    _ => "INTERNALLY_TERMINATED",
                }));
        return TypedResults.Ok(Page(result, firstResult, maxResults));
    }

    private static async Task<Ok<List<HistoricActivityInstanceDto>>> GetActivityInstancesAsync(
        WorkflowEngine engine, string? processInstanceId, string? activityId, int? firstResult, int? maxResults, CancellationToken cancellationToken)
    {
        if (processInstanceId is null)
        {
            throw CamundaRestException.InvalidRequest("Give processInstanceId: activity history is read per instance.");
        }

        var journal = await engine.GetJournalAsync(processInstanceId, cancellationToken).ConfigureAwait(false);
        var open = new Dictionary<int, JournalEntry>();
        var result = new List<HistoricActivityInstanceDto>();
        foreach (var entry in journal)
        {
            switch (entry.Kind)
            {
                case JournalKind.ElementEntered:
                    open[entry.NodeId] = entry;
                    break;
                case JournalKind.ElementCompleted or JournalKind.ElementCancelled when open.Remove(entry.NodeId, out var entered):
                    result.Add(Dto(entered, entry, processInstanceId));
                    break;
            }
        }

        result.AddRange(open.Values.Select(e => Dto(e, null, processInstanceId)));
        return TypedResults.Ok(Page(result.Where(a => activityId is null || a.ActivityId == activityId).OrderBy(a => a.StartTime, StringComparer.Ordinal), firstResult, maxResults));
    }

    private static HistoricActivityInstanceDto Dto(JournalEntry entered, JournalEntry? ended, string instanceId) => new(
        $"{entered.ElementId}:{instanceId}:{entered.NodeId}",
        entered.ElementId,
        entered.ElementType,
        instanceId,
        instanceId,
        entered.UserId ?? ended?.UserId,
        CamundaVariables.FormatDate(entered.At),
        CamundaVariables.FormatDate(ended?.At),
        ended is null ? null : (long)(ended.At - entered.At).TotalMilliseconds,
        ended?.Kind == JournalKind.ElementCancelled);

    public sealed record HistoricProcessInstanceDto(
        string Id,
        string? BusinessKey,
        string ProcessDefinitionKey,
        int ProcessDefinitionVersion,
        string ProcessDefinitionId,
        string StartTime,
        string? EndTime,
        long? DurationInMillis,
        string State);

    public sealed record HistoricActivityInstanceDto(
        string Id,
        string ActivityId,
        string ActivityType,
        string ProcessInstanceId,
        string ExecutionId,
        string? Assignee,
        string StartTime,
        string? EndTime,
        long? DurationInMillis,
        bool Canceled);
}
