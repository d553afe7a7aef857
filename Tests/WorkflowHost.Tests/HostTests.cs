using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ComplaintWorkflows.TestSupport;
using ComplaintWorkflows.WorkflowHost.Identity;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace ComplaintWorkflows.WorkflowHost.Tests;

public sealed class HostTests(HostFactory factory) : IClassFixture<HostFactory>
{
    [Fact]
    public async Task Health_IsHealthy_AndTheDatabaseFileExists()
    {
        using var client = factory.CreateClient();

        var health = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());
        Assert.True(File.Exists(Path.Combine(factory.DataFolder, "complaintworkflows.db")));
    }

    [Fact]
    public async Task Activities_AreListedWithTheirDescriptors()
    {
        using var client = factory.CreateClient();

        var activities = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/activities", UriKind.Relative));

        var noop = activities.EnumerateArray().Single(a => a.GetProperty("name").GetString() == "noop");
        Assert.Contains("空操作", noop.GetProperty("displayName").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ReportsFindingsByElement_ForAnUploadedFile()
    {
        using var client = factory.CreateClient();
        const string xml = """
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d">
              <bpmn:process id="p" isExecutable="true">
                <bpmn:startEvent id="s" />
                <bpmn:serviceTask id="classify" camunda:delegateExpression="${classify}" />
                <bpmn:sequenceFlow id="f" sourceRef="s" targetRef="classify" />
              </bpmn:process>
            </bpmn:definitions>
            """;

        using var content = new StringContent(xml, Encoding.UTF8, "application/xml");
        var response = await client.PostAsync(new Uri("/api/validate", UriKind.Relative), content);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(report.GetProperty("executable").GetBoolean());
        var finding = report.GetProperty("findings").EnumerateArray().Single();
        Assert.Equal("classify", finding.GetProperty("elementId").GetString());
        Assert.Equal("unknown-activity", finding.GetProperty("code").GetString());
        Assert.Equal(4, finding.GetProperty("line").GetInt32());
    }
}
