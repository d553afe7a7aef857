using System.Text.Json;
using ComplaintWorkflows.WorkflowHost.Identity;
using Microsoft.AspNetCore.Cors.Infrastructure;

namespace ComplaintWorkflows.WorkflowHost.CamundaRest;

/// <summary>The Camunda 7-compatible REST API under <c>/engine-rest</c> (the subset Camunda Modeler and Camunda clients use).</summary>
public static class CamundaRestEndpoints
{
    public const string Root = "/engine-rest";
    public const string Tag = "Camunda REST";
    internal const string CorsPolicy = "CamundaRest";

    public static IServiceCollection AddCamundaRest(this IServiceCollection services)
    {
        services.AddSingleton<DeploymentRegistry>();
        services.AddSingleton<CamundaErrorFilter>();
        services.AddSingleton<ExternalTaskArrivals>();
        services.AddOptions<ExternalTaskOptions>().BindConfiguration(ExternalTaskOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        // Camunda Modeler calls from file:// (origin "null") with Authorization headers (Basic or Bearer): any origin, no cookies.
        services.AddCors(o => o.AddPolicy(CorsPolicy, new CorsPolicyBuilder().AllowAnyOrigin().AllowAnyHeader().AllowAnyMethod().WithExposedHeaders("WWW-Authenticate").Build()));
        return services;
    }

    /// <summary>
    /// Adds CORS and Camunda's error bodies for requests that fail before an endpoint runs; before authentication,
    /// so that a 401 carries the CORS headers (Camunda Modeler must see it to ask for credentials).
    /// </summary>
    public static WebApplication UseCamundaRest(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseCors();
        app.UseWhen(c => c.Request.Path.StartsWithSegments(Root, StringComparison.OrdinalIgnoreCase), branch => branch.Use(CamundaBodiesForBareErrorsAsync));
        return app;
    }

    /// <summary>
    /// A query parameter that does not bind (<c>maxResults=abc</c>) or an unknown path answers 400/404 before
    /// any endpoint filter runs; Camunda clients expect the error body there too, not Problem Details.
    /// </summary>
    private static async Task CamundaBodiesForBareErrorsAsync(HttpContext context, RequestDelegate next)
    {
        // Camunda answers "application/json" without a charset, and clients compare the header as a string (the Node.js
        // external-task client parses a body only when it is exactly that).
        context.Response.OnStarting(static state =>
        {
            var response = (HttpResponse)state;
            if (response.ContentType is { } type && type.StartsWith("application/json;", StringComparison.OrdinalIgnoreCase))
            {
                response.ContentType = "application/json";
            }

            return Task.CompletedTask;
        }, context.Response);
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsJsonAsync(new CamundaError("InvalidRequestException", ex.Message, null), context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (context.Response.HasStarted || context.Response.ContentType is not null || context.Response.StatusCode is not (StatusCodes.Status400BadRequest or StatusCodes.Status404NotFound))
        {
            return;
        }

        var error = context.Response.StatusCode == StatusCodes.Status404NotFound
            ? new CamundaError("RestException", $"No resource {context.Request.Method} {context.Request.Path}", null)
            : new CamundaError("InvalidRequestException", "The request has a parameter that cannot be read (check numbers, booleans and dates).", null);
        context.DisableStatusCodePages();
        await context.Response.WriteAsJsonAsync(error, context.RequestAborted).ConfigureAwait(false);
    }

    public static IEndpointRouteBuilder MapCamundaEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var root = endpoints.MapGroup(Root)
            .WithTags(Tag)
            .RequireCors(CorsPolicy)
            .AddEndpointFilter<CamundaErrorFilter>();
        root.MapGet("/version", () => TypedResults.Ok(new VersionDto("7.24.0")))
            .AllowAnonymous()
            .WithName("CamundaVersion")
            .WithSummary("The Camunda version this API imitates (open without authentication).");

        // The rest is the administrators' (HTTP Basic, a Bearer personal access token or the cookie): tools such as Camunda
        // Modeler and scripts deploy, start, correlate and repair through it. Staff work through /api/inbox and /api/complaints,
        // which check forms, units and roles; here a task could be completed or a signal sent past all of that.
        var api = root.MapGroup("").RequireAuthorization(Policies.Administrator);
        api.MapDeploymentEndpoints();
        api.MapProcessDefinitionEndpoints();
        api.MapProcessInstanceEndpoints();
        api.MapTaskEndpoints();
        api.MapEventEndpoints();
        api.MapJobEndpoints();
        api.MapHistoryEndpoints();
        api.MapExternalTaskEndpoints();
        return endpoints;
    }

    /// <summary>A JSON request body, or null when the body is empty; malformed JSON is a 400 <c>InvalidRequestException</c>.</summary>
    internal static async Task<T?> ReadBodyAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        if (request.ContentLength == 0)
        {
            return null;
        }

        try
        {
            using var reader = new StreamReader(request.Body);
            var text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            return string.IsNullOrWhiteSpace(text) ? null : JsonSerializer.Deserialize<T>(text, JsonSerializerOptions.Web);
        }
        catch (JsonException ex)
        {
            throw CamundaRestException.InvalidRequest($"The request body is not valid JSON for this request: {ex.Message}");
        }
    }

    /// <summary>Applies <c>firstResult</c> and <c>maxResults</c>.</summary>
    internal static List<T> Page<T>(IEnumerable<T> items, int? firstResult, int? maxResults)
    {
        if (firstResult < 0 || maxResults < 0)
        {
            throw CamundaRestException.InvalidRequest("firstResult and maxResults must not be negative.");
        }

        var page = items.Skip(firstResult ?? 0);
        return [.. maxResults is { } max ? page.Take(max) : page];
    }

    /// <summary>Orders by <c>sortBy</c>/<c>sortOrder</c>, which Camunda accepts only together.</summary>
    internal static IEnumerable<T> Sort<T>(IEnumerable<T> items, string? sortBy, string? sortOrder, IReadOnlyDictionary<string, Func<T, object?>> keys)
    {
        if (sortBy is null && sortOrder is null)
        {
            return items;
        }

        if (sortBy is null || sortOrder is null)
        {
            throw CamundaRestException.InvalidRequest("Only a single sorting parameter specified. sortBy and sortOrder required");
        }

        if (!keys.TryGetValue(sortBy, out var key))
        {
            throw CamundaRestException.InvalidRequest($"Cannot set query parameter 'sortBy' to value '{sortBy}'");
        }

        return sortOrder switch
        {
            "asc" => items.OrderBy(key, NullsFirst.Instance),
            "desc" => items.OrderByDescending(key, NullsFirst.Instance),
            _ => throw CamundaRestException.InvalidRequest($"Cannot set query parameter 'sortOrder' to value '{sortOrder}'"),
        };
    }

    internal static IReadOnlyList<string> SplitList(string? values)
        => values is null ? [] : values.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    internal static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}{Root}";

    internal static LinkDto[] SelfLink(HttpRequest request, string resource, string id)
        => [new LinkDto("GET", $"{BaseUrl(request)}/{resource}/{Uri.EscapeDataString(id)}", "self")];

    public sealed record VersionDto(string Version);

    public sealed record CountDto(int Count);

    public sealed record LinkDto(string Method, string Href, string Rel);

    private sealed class NullsFirst : IComparer<object?>
    {
        public static readonly NullsFirst Instance = new();

        public int Compare(object? x, object? y) => (x, y) switch
        {
            (null, null) => 0,
            (null, _) => -1,
            (_, null) => 1,
            (string a, string b) => string.CompareOrdinal(a, b),
            _ => System.Collections.Comparer.DefaultInvariant.Compare(x, y),
        };
    }
}
