using ComplaintWorkflows.Engine.Persistence;
using ComplaintWorkflows.Engine.Runtime;
using ComplaintWorkflows.WorkflowHost.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.WorkflowHost.Operations;

/// <summary>A host as its heartbeat row shows it; silent when its last beat is older than <see cref="OperationsOptions.HostSilentAfter"/>.</summary>
public sealed record HostView(string HostName, DateTimeOffset StartedAt, DateTimeOffset LastSeenAt, int ProcessId, string? Version, bool Silent);

/// <summary>The engine-health page's figures now: the figures, the hosts, open incidents and stuck instances.</summary>
public sealed record EngineHealth(DateTimeOffset Now, IReadOnlyDictionary<string, double> Figures, IReadOnlyDictionary<string, int> NotificationsPending,
    IReadOnlyDictionary<string, int> NotificationsFailed, IReadOnlyList<HostView> Hosts, IReadOnlyList<IncidentInfo> Incidents, IReadOnlyList<StuckInstance> Stuck);

/// <summary>One figure's history: (interval start, value) pairs, oldest first.</summary>
public sealed record FigureSeries(string Name, IReadOnlyList<double[]> Points);

public sealed record FigureHistory(DateTimeOffset From, DateTimeOffset To, TimeSpan Interval, IReadOnlyList<FigureSeries> Series);

/// <summary><c>/api/admin/operations/*</c>: what the engine-health page shows (administrators).</summary>
public static class OperationsApi
{
    private const int MaxListed = 200;

    public static IEndpointRouteBuilder MapOperationsApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var api = endpoints.MapGroup("/api/admin/operations").WithTags("Operations").RequireAuthorization(Policies.Administrator);
        api.MapGet("/health", GetHealthAsync)
            .WithName("GetEngineHealth")
            .WithSummary("The engine's figures now (database-wide, cached), every host's heartbeat, open incidents and stuck instances (running, with no task, wait, job, external task or incident).");
        api.MapGet("/history", GetHistoryAsync)
            .WithName("GetEngineHealthHistory")
            .WithSummary("The sampled figures over the last hour (range=hour) or day (range=day), for the health page's charts.");
        return endpoints;
    }

    private static async Task<Ok<EngineHealth>> GetHealthAsync(OperationsFigures figures, WorkflowEngine engine, IDbContextFactory<AuthDbContext> contexts,
        TimeProvider time, IOptions<OperationsOptions> options, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var o = options.Value;
        var snapshot = await figures.CurrentAsync(cancellationToken).ConfigureAwait(false);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var beats = await db.Set<HostHeartbeat>().AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
        var hosts = beats.OrderBy(b => b.HostName, StringComparer.Ordinal)
            .Select(b => new HostView(b.HostName, b.StartedAt, b.LastSeenAt, b.ProcessId, b.Version, now - b.LastSeenAt > o.HostSilentAfter)).ToList();
        var incidents = (await engine.GetIncidentsAsync(null, cancellationToken).ConfigureAwait(false)).OrderByDescending(i => i.CreatedAt).Take(MaxListed).ToList();
        var stuck = engine.Store is IEngineFigureStore store
            ? await store.QueryStuckInstancesAsync(now - o.StuckAfter, MaxListed, cancellationToken).ConfigureAwait(false)
            : [];
        return TypedResults.Ok(new EngineHealth(now, snapshot.Named().ToDictionary(f => f.Name, f => f.Value, StringComparer.Ordinal),
            snapshot.NotificationsPending, snapshot.NotificationsFailed, hosts, incidents, stuck));
    }

    private static async Task<Results<Ok<FigureHistory>, ProblemHttpResult>> GetHistoryAsync(string? range, IDbContextFactory<AuthDbContext> contexts, TimeProvider time,
        IOptions<OperationsOptions> options, CancellationToken cancellationToken)
    {
        var span = (range ?? "hour") switch
        {
            "hour" => TimeSpan.FromHours(1),
            "day" => TimeSpan.FromDays(1),
            _ => (TimeSpan?)null,
        };
        if (span is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "range 参数无效 (Invalid range)",
                detail: $"Query parameter range must be 'hour' or 'day', not '{range}'.", extensions: new Dictionary<string, object?> { ["code"] = "invalid-range" });
        }

        var now = time.GetUtcNow();
        var from = now - span.Value;
        var since = from.ToUnixTimeMilliseconds();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Set<MetricSample>().AsNoTracking().Where(s => s.At >= since).OrderBy(s => s.At)
            .Select(s => new { s.At, s.Name, s.Value }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var series = rows.GroupBy(r => r.Name, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new FigureSeries(g.Key, [.. g.Select(r => new[] { r.At, r.Value })])).ToList();
        return TypedResults.Ok(new FigureHistory(from, now, options.Value.SampleInterval, series));
    }
}
