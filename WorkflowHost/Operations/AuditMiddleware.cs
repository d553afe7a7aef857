using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ComplaintWorkflows.Activities.Operations;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.WorkflowHost.Operations;

/// <summary>
/// Writes an audit entry for every administrator action made over HTTP: the routes are known by their endpoint names
/// (<see cref="Audited"/>), so the handlers stay as they are. An entry names the signed-in user, the action, its target
/// (the route's user name or process key, the processes of a deployed file), the answer's status and the request's
/// fields with every password left out.
/// </summary>
internal sealed partial class AuditMiddleware(RequestDelegate next, AuditLog audit, IOptions<AuditOptions> options, ILogger<AuditMiddleware> logger)
{
    /// <summary>Endpoint name → action.</summary>
    public static readonly IReadOnlyDictionary<string, string> Audited = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["DeployBpmn"] = AuditActions.Deploy,
        ["PublishProcess"] = AuditActions.Deploy,
        ["CamundaCreateDeployment"] = AuditActions.Deploy,
        ["CamundaDeleteDeployment"] = AuditActions.DeleteDeployment,
        ["MigrateInstances"] = AuditActions.Migrate,
        ["CreateUser"] = AuditActions.UserCreate,
        ["SetUserRoles"] = AuditActions.UserRoles,
        ["ResetUserPassword"] = AuditActions.UserPassword,
        ["LockUser"] = AuditActions.UserLock,
        ["UnlockUser"] = AuditActions.UserUnlock,
        ["UnlockAddress"] = AuditActions.AddressUnlock,
        ["AddStaffMember"] = AuditActions.StaffAdd,
        ["UpdateStaffMember"] = AuditActions.StaffUpdate,
        ["SetStaffPartner"] = AuditActions.StaffUpdate,
    };

    private static readonly string[] TargetRouteValues = ["userName", "key", "address", "id"];

    public async Task InvokeAsync(HttpContext context)
    {
        var name = context.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;
        if (name is null || !Audited.TryGetValue(name, out var action))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var settings = options.Value;
        var request = context.Request;
        var fields = await ReadFieldsAsync(request, settings, context.RequestAborted).ConfigureAwait(false);
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The action failed with an exception (answered 500): recorded as an attempt, the exception goes on.
            await RecordAsync(context, action, fields, StatusCodes.Status500InternalServerError).ConfigureAwait(false);
            throw;
        }

        await RecordAsync(context, action, fields, context.Response.StatusCode).ConfigureAwait(false);
    }

    private async Task RecordAsync(HttpContext context, string action, JsonObject? fields, int status)
    {
        var request = context.Request;
        var target = TargetRouteValues.Select(v => request.RouteValues.TryGetValue(v, out var value) ? value?.ToString() : null).FirstOrDefault(v => v is { Length: > 0 })
            ?? (fields?["userName"] as JsonValue)?.ToString()
            ?? (fields?["processKeys"] is JsonArray keys && keys.Count > 0 ? string.Join(",", keys.Select(k => k?.ToString())) : null);
        var details = new JsonObject { ["method"] = request.Method, ["path"] = request.Path.Value };
        if (fields is not null)
        {
            details["request"] = fields;
        }

        try
        {
            await audit.RecordAsync(context.User.Identity?.Name ?? "anonymous", action, target, status, details.ToJsonString(), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A durable log or none: the caller learns that the action's record failed (the action itself is done).
            NotRecorded(logger, action, e);
            throw;
        }
    }

    /// <summary>The request's JSON fields (passwords removed, long texts cut), or the processes of a BPMN body; null for no body.</summary>
    private static async Task<JsonObject?> ReadFieldsAsync(HttpRequest request, AuditOptions settings, CancellationToken cancellationToken)
    {
        if (request.ContentLength is null or 0 && request.Headers.TransferEncoding.Count == 0)
        {
            return null;
        }

        if (request.ContentLength > settings.MaxRecordedBodyBytes)
        {
            return new JsonObject { ["bytes"] = request.ContentLength };
        }

        request.EnableBuffering(settings.MaxRecordedBodyBytes);
        string text;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 4096, leaveOpen: true))
        {
            text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        }

        request.Body.Position = 0;
        var fields = new JsonObject { ["bytes"] = Encoding.UTF8.GetByteCount(text) };
        if (request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
        {
            try
            {
                if (JsonNode.Parse(text) is JsonObject body)
                {
                    foreach (var (key, value) in body)
                    {
                        fields[key] = Clean(key, value, settings.MaxRecordedValueLength);
                    }
                }
            }
            catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
            {
                // Not JSON after all, or JSON no object can hold (a name given twice): the size alone is recorded, and
                // the handler answers the caller's mistake.
                fields = new JsonObject { ["bytes"] = Encoding.UTF8.GetByteCount(text) };
            }
        }

        var processKeys = ProcessIds().Matches(text).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToList();
        if (processKeys.Count > 0)
        {
            fields["processKeys"] = new JsonArray([.. processKeys.Select(k => (JsonNode)k)]);
        }

        return fields;
    }

    private static JsonNode? Clean(string key, JsonNode? value, int maxLength)
    {
        if (key.Contains("password", StringComparison.OrdinalIgnoreCase) || key.Contains("secret", StringComparison.OrdinalIgnoreCase))
        {
            return "(not recorded)";
        }

        return value switch
        {
            JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Clean(p.Key, p.Value, maxLength)))),
            JsonArray a => new JsonArray([.. a.Select(v => Clean(key, v, maxLength))]),
            JsonValue v when v.GetValueKind() == JsonValueKind.String && v.ToString() is { } s && s.Length > maxLength => $"{s[..maxLength]}… ({s.Length} characters)",
            null => null,
            _ => value.DeepClone(),
        };
    }

    /// <summary>The ids of the processes in a BPMN file (<c>&lt;bpmn:process id="..."</c>, any prefix).</summary>
    [GeneratedRegex("<(?:[A-Za-z0-9_]+:)?process\\b[^>]*?\\bid=\\\\?\"([^\"\\\\]+)\\\\?\"", RegexOptions.CultureInvariant)]
    private static partial Regex ProcessIds();

    [LoggerMessage(Level = LogLevel.Error, Message = "The audit entry of {Action} could not be written")]
    private static partial void NotRecorded(ILogger logger, string action, Exception exception);
}
