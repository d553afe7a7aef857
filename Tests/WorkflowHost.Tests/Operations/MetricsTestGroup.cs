namespace ComplaintWorkflows.WorkflowHost.Tests.Operations;

/// <summary>
/// Tests that read counters run alone: an OpenTelemetry meter provider listens to every meter of its name in the process,
/// so another test host counting at the same time would move the figures these tests expect.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsTestGroup
{
    public const string Name = "metrics";
}
