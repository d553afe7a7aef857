using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace ComplaintWorkflows.WorkflowHost.Tests.CamundaRest;

/// <summary>
/// The host over a real SQLite file in a folder of its own (see <see cref="HostFactory"/>), with every <c>/engine-rest</c>
/// answer checked against Camunda 7's OpenAPI document (<see cref="CamundaOpenApiCheck"/>); subclasses add settings.
/// </summary>
public class RestHostFactory : HostFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter, CamundaOpenApiCheck>());
    }
}

/// <summary>A host whose poller waits long, so tests run jobs and timers themselves.</summary>
public sealed class ManualJobsHostFactory : RestHostFactory
{
    protected override string PollInterval => "00:30:00";
}

/// <summary>Requests as Camunda Modeler and Camunda clients send them, and BPMN files to send.</summary>
internal static class Rest
{
    public static Uri Url(string path) => new("/engine-rest" + path, UriKind.Relative);

    /// <summary>Deploys like Camunda Modeler: name, source, duplicate filtering and one text/xml part named after the file.</summary>
    public static async Task<HttpResponseMessage> DeployAsModelerAsync(HttpClient client, string xml, string fileName = "diagram_1.bpmn", string? name = null)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(name ?? Path.GetFileNameWithoutExtension(fileName)), "deployment-name");
        form.Add(new StringContent("Camunda Modeler"), "deployment-source");
        form.Add(new StringContent("true"), "enable-duplicate-filtering");
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(xml));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/xml");
        form.Add(file, fileName, fileName);
        using var request = new HttpRequestMessage(HttpMethod.Post, Url("/deployment/create")) { Content = form };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return await client.SendAsync(request);
    }

    /// <summary>Deploys and answers the id of the one deployed definition.</summary>
    public static async Task<string> DeployAsync(HttpClient client, string xml, string? name = null)
    {
        using var response = await DeployAsModelerAsync(client, xml, name: name ?? Guid.NewGuid().ToString("N"));
        var body = await JsonAsync(response, HttpStatusCode.OK);
        return body.GetProperty("deployedProcessDefinitions").EnumerateObject().Single().Name;
    }

    public static async Task<JsonElement> PostAsync(HttpClient client, string path, object? body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.PostAsJsonAsync(Url(path), body);
        return await JsonAsync(response, expected);
    }

    public static async Task<JsonElement> GetAsync(HttpClient client, string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.GetAsync(Url(path));
        return await JsonAsync(response, expected);
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {expected}, got {response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts Camunda's error body: <c>{"type","message","code"}</c>.</summary>
    public static void AssertError(JsonElement error, string type, string? messageContains = null)
    {
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.True(error.TryGetProperty("code", out _), "Camunda errors carry a code (possibly null)");
        if (messageContains is not null)
        {
            Assert.Contains(messageContains, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
    }

    public static string NewKey(string prefix) => $"{prefix}_{Guid.NewGuid():N}";

    public static string Bpmn(string processId, string body, string messages = "") => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn">
          <bpmn:process id="{processId}" name="Test {processId}" isExecutable="true">
        {body}
          </bpmn:process>
        {messages}
        </bpmn:definitions>
        """;

    /// <summary>start → user task "review" (candidate group desk) → noop service task → end.</summary>
    public static string ReviewProcess(string processId) => Bpmn(processId, """
            <bpmn:startEvent id="start" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
            <bpmn:userTask id="review" name="Review" camunda:candidateGroups="desk" />
            <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="work" />
            <bpmn:serviceTask id="work" camunda:delegateExpression="${noop}" />
            <bpmn:sequenceFlow id="f3" sourceRef="work" targetRef="end" />
            <bpmn:endEvent id="end" />
        """);
}
