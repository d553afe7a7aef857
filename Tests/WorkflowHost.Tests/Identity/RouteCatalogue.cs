using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace ComplaintWorkflows.WorkflowHost.Tests.Identity;

/// <summary>Every route of a host, read from its endpoint data source, and a URL that matches each (the route tests' shared enumeration).</summary>
internal static class RouteCatalogue
{
    /// <summary>"METHOD pattern" with its endpoint, once per method; the host is started first.</summary>
    public static List<(string Route, RouteEndpoint Endpoint)> Routes(HostFactory factory)
    {
        using (factory.CreateAnonymousClient())
        {
        }

        return [.. factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => ($"{m} {e.RoutePattern.RawText}", e)))
            .DistinctBy(r => r.Item1)];
    }

    /// <summary>A URL that matches the pattern: parameters as <c>1</c> when constrained to numbers, else <c>x</c>.</summary>
    public static string Url(RoutePattern pattern)
        => "/" + string.Join("/", pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart parameter => parameter.ParameterPolicies.Any(p => p.Content is "int" or "long") ? "1" : "x",
            _ => "",
        }))));
}
