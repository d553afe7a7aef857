using System.Globalization;
using ComplaintWorkflows.Engine.Runtime;
using Microsoft.AspNetCore.Http.HttpResults;
using static ComplaintWorkflows.WorkflowHost.CamundaRest.CamundaRestEndpoints;

namespace ComplaintWorkflows.WorkflowHost.CamundaRest;

/// <summary><c>/message</c> and <c>/signal</c>.</summary>
internal static class EventEndpoints
{
    public static void MapEventEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/message", CorrelateAsync)
            .WithName("CamundaCorrelateMessage")
            .WithSummary("Correlates a message by business key, instance id or correlation key (correlationKeys or localCorrelationKeys, one key); 200 with results when resultEnabled, with the instance's variables when variablesInResultEnabled.")
            .Accepts<MessageRequest>("application/json");
        api.MapPost("/signal", SignalAsync)
            .WithName("CamundaThrowSignal")
            .WithSummary("Broadcasts a signal to every waiting catch event and signal start event.")
            .Accepts<SignalRequest>("application/json");
    }

    private static async Task<Results<NoContent, Ok<List<CorrelationResultDto>>>> CorrelateAsync(HttpRequest request, WorkflowEngine engine, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync<MessageRequest>(request, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(body?.MessageName))
        {
            throw CamundaRestException.InvalidRequest("No message name supplied");
        }

        if (body.ProcessVariablesLocal is { Count: > 0 })
        {
            throw CamundaRestException.InvalidRequest("processVariablesLocal is not supported: the engine sets a message's variables on the process (give them as processVariables).");
        }

        if (body.CorrelationKeys is { Count: > 0 } && body.LocalCorrelationKeys is { Count: > 0 })
        {
            throw CamundaRestException.InvalidRequest("Give correlationKeys or localCorrelationKeys, not both: the engine correlates messages by a single correlation key.");
        }

        var correlation = new MessageCorrelation(body.MessageName)
        {
            BusinessKey = body.BusinessKey,
            ProcessInstanceId = body.ProcessInstanceId,
            CorrelationKey = CorrelationKey(body.CorrelationKeys is { Count: > 0 } ? body.CorrelationKeys : body.LocalCorrelationKeys),
            Variables = CamundaVariables.FromDtos(body.ProcessVariables),
            All = body.All == true,
        };

        CorrelationResult result;
        try
        {
            result = await engine.CorrelateMessageAsync(correlation, cancellationToken).ConfigureAwait(false);
        }
        catch (WorkflowException ex) when (ex.Code == "no-match" && correlation.All)
        {
            result = new CorrelationResult(0, [], false);
        }
        catch (WorkflowException ex) when (ex.Code is "no-match" or "ambiguous")
        {
            throw new CamundaRestException(StatusCodes.Status400BadRequest, "RestException", $"org.camunda.bpm.engine.MismatchingMessageCorrelationException: Cannot correlate message '{body.MessageName}': {ex.Message}");
        }

        if (body.ResultEnabled != true)
        {
            return TypedResults.NoContent();
        }

        var results = new List<CorrelationResultDto>();
        foreach (var instanceId in result.ProcessInstanceIds)
        {
            ProcessInstanceInfo? instance = null;
            try
            {
                instance = await engine.GetInstanceAsync(instanceId, cancellationToken).ConfigureAwait(false);
            }
            catch (WorkflowException ex) when (ex.Code == "not-found")
            {
            }

            var ended = instance is null || instance.Status != InstanceStatus.Active;
            var variables = body.VariablesInResultEnabled == true
                ? CamundaVariables.ToDtos(await ProcessInstanceEndpoints.VariablesOrAsync(engine, instanceId, correlation.Variables ?? new Dictionary<string, object?>(), cancellationToken).ConfigureAwait(false))
                : null;
            results.Add(result.StartedNewInstance
                ? new CorrelationResultDto("ProcessDefinition", null, instance is null ? null : ProcessInstanceEndpoints.ToDto(request, instance, withLinks: false), variables)
                : new CorrelationResultDto("Execution", new ExecutionDto(instanceId, instanceId, ended, null), null, variables));
        }

        return TypedResults.Ok(results);
    }

    /// <summary>The engine correlates by one key: an entry named <c>correlationKey</c>, or the only entry.</summary>
    private static string? CorrelationKey(Dictionary<string, VariableValueDto>? keys)
    {
        if (keys is null || keys.Count == 0)
        {
            return null;
        }

        (string Name, VariableValueDto Value) key;
        if (keys.TryGetValue("correlationKey", out var named))
        {
            key = ("correlationKey", named);
        }
        else if (keys.Count == 1)
        {
            key = (keys.First().Key, keys.First().Value);
        }
        else
        {
            throw CamundaRestException.InvalidRequest("correlationKeys may hold one key (or one named 'correlationKey'): the engine correlates messages by a single correlation key.");
        }

        return CamundaVariables.FromDto(key.Name, key.Value) switch
        {
            null => null,
            DateTimeOffset date => CamundaVariables.FormatDate(date),
            var value => Convert.ToString(value, CultureInfo.InvariantCulture),
        };
    }

    private static async Task<NoContent> SignalAsync(HttpRequest request, WorkflowEngine engine, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync<SignalRequest>(request, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(body?.Name))
        {
            throw CamundaRestException.InvalidRequest("No signal name given");
        }

        if (body.ExecutionId is not null)
        {
            throw CamundaRestException.InvalidRequest("Signals to one execution (executionId) are not supported; the signal is broadcast to every waiting process.");
        }

        await engine.BroadcastSignalAsync(body.Name, CamundaVariables.FromDtos(body.Variables), cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    public sealed record MessageRequest(
        string? MessageName,
        string? BusinessKey,
        string? ProcessInstanceId,
        Dictionary<string, VariableValueDto>? CorrelationKeys,
        Dictionary<string, VariableValueDto>? LocalCorrelationKeys,
        Dictionary<string, VariableValueDto>? ProcessVariables,
        Dictionary<string, VariableValueDto>? ProcessVariablesLocal,
        bool? All,
        bool? ResultEnabled,
        bool? VariablesInResultEnabled);

    public sealed record SignalRequest(string? Name, string? ExecutionId, Dictionary<string, VariableValueDto>? Variables);

    public sealed record ExecutionDto(string Id, string ProcessInstanceId, bool Ended, string? TenantId);

    /// <summary>One correlation result; <c>variables</c> are the instance's when <c>variablesInResultEnabled</c>, else null.</summary>
    public sealed record CorrelationResultDto(string ResultType, ExecutionDto? Execution, ProcessInstanceEndpoints.ProcessInstanceDto? ProcessInstance, Dictionary<string, VariableOutDto>? Variables);
}
