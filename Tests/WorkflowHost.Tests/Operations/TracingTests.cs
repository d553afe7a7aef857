using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ComplaintWorkflows.Engine.Runtime;
using ComplaintWorkflows.WorkflowHost.Tests.Complaints;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace ComplaintWorkflows.WorkflowHost.Tests.Operations;

/// <summary>
/// Traces: the engine's spans (<c>engine start</c>, <c>engine step</c>) are children of the HTTP request that caused
/// them, in the request's trace; without <c>Workflows:Operations:OtlpEndpoint</c> no tracer (and no exporter) exists,
/// with one it does.
/// </summary>
[Collection(MetricsTestGroup.Name)]
public sealed class TracingTests
{
    [Fact]
    public async Task AStartAndATaskCompletion_AreTracedFromTheHttpRequestDownToTheEngineStep()
    {
        var key = "tracing-" + Guid.NewGuid().ToString("N")[..8];
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Microsoft.AspNetCore" or EngineMetrics.MeterName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        using var host = new ComplaintHost();
        using var admin = host.As("admin");
        var bpmn = $"""
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
              <bpmn:process id="{key}" isExecutable="true">
                <bpmn:startEvent id="s" />
                <bpmn:userTask id="review" name="审核" />
                <bpmn:endEvent id="e" />
                <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="review" />
                <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="e" />
              </bpmn:process>
            </bpmn:definitions>
            """;
        using (var xml = new StringContent(bpmn, Encoding.UTF8, "text/xml"))
        using (var deployed = await admin.PostAsync(new Uri("/api/process-definitions", UriKind.Relative), xml))
        {
            Assert.True(deployed.StatusCode == HttpStatusCode.OK, await deployed.Content.ReadAsStringAsync());
        }

        using (var started = await admin.PostAsJsonAsync($"/api/process-definitions/{key}/start", new { }))
        {
            Assert.True(started.StatusCode == HttpStatusCode.OK, await started.Content.ReadAsStringAsync());
        }

        var instance = Assert.Single(await host.Engine.GetInstancesAsync(key));
        var task = Assert.Single(await host.Engine.GetTasksAsync(new TaskQuery(ProcessInstanceId: instance.Id)));
        using (var completed = await admin.PostAsJsonAsync($"/api/tasks/{task.Id}/complete", new { variables = new Dictionary<string, object>() }))
        {
            Assert.True(completed.StatusCode == HttpStatusCode.NoContent, await completed.Content.ReadAsStringAsync());
        }

        Assert.Equal(InstanceStatus.Completed, (await host.Engine.GetInstanceAsync(instance.Id)).Status);
        var mine = spans.Where(s => s.Source.Name == EngineMetrics.MeterName && (string?)s.GetTagItem("cw.instance_id") == instance.Id).ToList();
        var start = Assert.Single(mine, s => s.OperationName == "engine start");
        var step = Assert.Single(mine, s => s.OperationName == "engine step");
        Assert.Equal(key, start.GetTagItem("cw.process_key"));
        var requests = new List<Activity>();
        foreach (var span in new[] { start, step })
        {
            var request = Assert.Single(spans, s => s.Source.Name == "Microsoft.AspNetCore" && s.SpanId == span.ParentSpanId);
            Assert.Equal(request.TraceId, span.TraceId);
            Assert.Equal(ActivityKind.Server, request.Kind);
            requests.Add(request);
        }

        // Two requests, two traces: the start's and the completion's.
        Assert.NotEqual(requests[0].TraceId, requests[1].TraceId);
    }

    [Fact]
    public void NoTracerExists_WithoutAnOtlpEndpoint_AndOneDoesWithIt()
    {
        using (var plain = new ComplaintHost())
        {
            using (plain.Anonymous())
            {
            }

            Assert.Null(plain.Services.GetService<TracerProvider>());
        }

        using var exporting = new ComplaintHost { Settings = { ["Workflows:Operations:OtlpEndpoint"] = "http://127.0.0.1:9/" } };
        using (exporting.Anonymous())
        {
        }

        Assert.NotNull(exporting.Services.GetService<TracerProvider>());
    }
}
