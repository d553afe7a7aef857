using ComplaintWorkflows.Engine.Persistence;
using ComplaintWorkflows.Engine.Runtime;
using Microsoft.AspNetCore.Diagnostics;

namespace ComplaintWorkflows.WorkflowHost.CamundaRest;

/// <summary>Camunda's error body: <c>{"type","message","code"}</c> (<c>details</c> only for parse errors).</summary>
public sealed record CamundaError(string Type, string Message, int? Code)
{
    /// <summary>Per resource errors and warnings of a <c>ParseException</c>; left out otherwise.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, ResourceReport>? Details { get; init; }
}

/// <summary>Camunda's 403 body: the error plus the user refused and what they lack (roles here, not Camunda permissions: empty).</summary>
public sealed record CamundaAuthorizationError(string Type, string Message, int? Code, string UserId, IReadOnlyList<MissingAuthorization> MissingAuthorizations);

public sealed record MissingAuthorization(string PermissionName, string ResourceName, string? ResourceId);

public sealed record ResourceReport(IReadOnlyList<ProblemEntry> Errors, IReadOnlyList<ProblemEntry> Warnings);

/// <summary>
/// One problem of a parse error. Camunda's code writes <c>mainBpmnElementId</c> and <c>bpmnElementIds</c>, its OpenAPI
/// document (7.15) <c>mainElementId</c> and <c>elementIds</c>: both are written, with the same values.
/// </summary>
public sealed record ProblemEntry(string Message, int Line, int Column, string? MainBpmnElementId, IReadOnlyList<string> BpmnElementIds)
{
    public string? MainElementId => MainBpmnElementId;

    public IReadOnlyList<string> ElementIds => BpmnElementIds;
}

/// <summary>A request answered with a Camunda error body and status.</summary>
public sealed class CamundaRestException : Exception
{
    public CamundaRestException()
        : this(StatusCodes.Status500InternalServerError, "RestException", "Internal error")
    {
    }

    public CamundaRestException(string message)
        : this(StatusCodes.Status500InternalServerError, "RestException", message)
    {
    }

    public CamundaRestException(string message, Exception innerException)
        : base(message, innerException)
    {
        Type = "RestException";
        StatusCode = StatusCodes.Status500InternalServerError;
    }

    public CamundaRestException(int statusCode, string type, string message, int? code = null)
        : base(message)
    {
        StatusCode = statusCode;
        Type = type;
        Code = code;
    }

    public int StatusCode { get; }

    public string Type { get; }

    public int? Code { get; }

    public IReadOnlyDictionary<string, ResourceReport>? Details { get; init; }

    public static CamundaRestException InvalidRequest(string message) => new(StatusCodes.Status400BadRequest, "InvalidRequestException", message);

    public static CamundaRestException NotFound(string message, string type = "InvalidRequestException") => new(StatusCodes.Status404NotFound, type, message);

    public static CamundaRestException OptimisticLocking(string message) => new(StatusCodes.Status500InternalServerError, "OptimisticLockingException", message, 1);
}

/// <summary>Turns every failure of an <c>/engine-rest</c> endpoint into Camunda's error body and status code.</summary>
internal sealed partial class CamundaErrorFilter(ILogger<CamundaErrorFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var error = ToError(ex, out var status);
            if (status >= StatusCodes.Status500InternalServerError)
            {
                LogFailed(logger, context.HttpContext.Request.Path, ex);
            }

            return TypedResults.Json(error, statusCode: status);
        }
    }

    internal static CamundaError ToError(Exception exception, out int status)
    {
        switch (exception)
        {
            case CamundaRestException rest:
                status = rest.StatusCode;
                return new CamundaError(rest.Type, rest.Message, rest.Code) { Details = rest.Details };
            case ConcurrencyException:
                status = StatusCodes.Status500InternalServerError;
                return new CamundaError("OptimisticLockingException", exception.Message, 1);
            case WorkflowException { Code: "not-found" }:
                status = StatusCodes.Status404NotFound;
                return new CamundaError("NotFoundException", exception.Message, 0);
            case WorkflowException { Code: "conflict" }:
                status = StatusCodes.Status500InternalServerError;
                return new CamundaError("OptimisticLockingException", exception.Message, 1);
            case WorkflowException:
                status = StatusCodes.Status400BadRequest;
                return new CamundaError("BadUserRequestException", exception.Message, 0);
            case BadHttpRequestException bad:
                status = StatusCodes.Status400BadRequest;
                return new CamundaError("InvalidRequestException", bad.Message, null);
            default:
                status = StatusCodes.Status500InternalServerError;
                return new CamundaError("ProcessEngineException", exception.Message, 0);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Camunda REST request {Path} failed")]
    private static partial void LogFailed(ILogger logger, PathString path, Exception exception);
}

internal static class StatusCodePagesSwitch
{
    /// <summary>Camunda answers some statuses without a body; the host's status code pages must not add one.</summary>
    public static void DisableStatusCodePages(this HttpContext context)
    {
        if (context.Features.Get<IStatusCodePagesFeature>() is { } feature)
        {
            feature.Enabled = false;
        }
    }
}
