using System.Net;

namespace ComplaintWorkflows.WorkflowHost.Tests.CamundaRest;

public sealed class VariableTests(RestHostFactory factory) : IClassFixture<RestHostFactory>
{
    [Fact]
    public async Task TypedVariables_RoundTripThroughStartAndGetVariables()
    {
        using var client = factory.CreateClient();
        var definitionId = await Rest.DeployAsync(client, Rest.ReviewProcess(Rest.NewKey("vars")));

        var started = await Rest.PostAsync(client, $"/process-definition/{definitionId}/start", new
        {
            variables = new Dictionary<string, object>
            {
                ["text"] = new { value = "投诉", type = "String" },
                ["count"] = new { value = 42, type = "Integer" },
                ["big"] = new { value = 9_000_000_000L, type = "Long" },
                ["ratio"] = new { value = 0.25, type = "Double" },
                ["flag"] = new { value = true, type = "Boolean" },
                ["received"] = new { value = "2013-01-23T13:42:42.657+0200", type = "Date" },
                ["answered"] = new { value = "2013-01-23T13:42:42.000+02:00", type = "Date" },
                ["details"] = new { value = "{\"items\":[1,2],\"who\":\"ann\"}", type = "Json" },
                ["nothing"] = new { value = (string?)null, type = "Null" },
                ["inferred"] = new { value = 7 },
                ["payload"] = new { value = "{\"a\":1}", type = "Object", valueInfo = new { objectTypeName = "java.util.HashMap", serializationDataFormat = "application/json" } },
            },
            withVariablesInReturn = true,
        });
        var instanceId = started.GetProperty("id").GetString()!;
        Assert.Equal("投诉", started.GetProperty("variables").GetProperty("text").GetProperty("value").GetString());

        var variables = await Rest.GetAsync(client, $"/process-instance/{instanceId}/variables");

        Assert.Equal("String", variables.GetProperty("text").GetProperty("type").GetString());
        Assert.Equal("投诉", variables.GetProperty("text").GetProperty("value").GetString());
        Assert.Equal("Integer", variables.GetProperty("count").GetProperty("type").GetString());
        Assert.Equal(42, variables.GetProperty("count").GetProperty("value").GetInt32());
        Assert.Equal("Long", variables.GetProperty("big").GetProperty("type").GetString());
        Assert.Equal(9_000_000_000L, variables.GetProperty("big").GetProperty("value").GetInt64());
        Assert.Equal("Double", variables.GetProperty("ratio").GetProperty("type").GetString());
        Assert.Equal(0.25, variables.GetProperty("ratio").GetProperty("value").GetDouble());
        Assert.Equal("Boolean", variables.GetProperty("flag").GetProperty("type").GetString());
        Assert.True(variables.GetProperty("flag").GetProperty("value").GetBoolean());
        Assert.Equal("Date", variables.GetProperty("received").GetProperty("type").GetString());
        Assert.Equal(
            new DateTimeOffset(2013, 1, 23, 13, 42, 42, 657, TimeSpan.FromHours(2)),
            DateTimeOffset.Parse(variables.GetProperty("received").GetProperty("value").GetString()!.Insert(26, ":"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}$", variables.GetProperty("answered").GetProperty("value").GetString());
        Assert.Equal("Json", variables.GetProperty("details").GetProperty("type").GetString());
        using (var json = System.Text.Json.JsonDocument.Parse(variables.GetProperty("details").GetProperty("value").GetString()!))
        {
            Assert.Equal("ann", json.RootElement.GetProperty("who").GetString());
            Assert.Equal(2, json.RootElement.GetProperty("items").GetArrayLength());
        }

        Assert.Equal("Null", variables.GetProperty("nothing").GetProperty("type").GetString());
        Assert.Equal("Integer", variables.GetProperty("inferred").GetProperty("type").GetString());
        Assert.Equal("Json", variables.GetProperty("payload").GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("{\"x\":{\"value\":1,\"type\":\"Weird\"}}", "unsupported value type 'Weird'")]
    [InlineData("{\"x\":{\"value\":\"abc\",\"type\":\"Integer\"}}", "to type Integer")]
    [InlineData("{\"x\":{\"value\":70000,\"type\":\"Short\"}}", "to type Short")]
    [InlineData("{\"x\":{\"value\":\"not a date\",\"type\":\"Date\"}}", "to type Date")]
    [InlineData("{\"x\":{\"value\":\"{broken\",\"type\":\"Json\"}}", "type Json")]
    [InlineData("{\"x\":{\"value\":\"<a/>\",\"type\":\"Object\",\"valueInfo\":{\"serializationDataFormat\":\"application/x-java-serialized-object\"}}}", "not supported")]
    public async Task BadVariables_Are400InvalidRequest(string variables, string message)
    {
        using var client = factory.CreateClient();
        var definitionId = await Rest.DeployAsync(client, Rest.ReviewProcess(Rest.NewKey("badvars")));
        using var content = new StringContent($"{{\"variables\":{variables}}}", System.Text.Encoding.UTF8, "application/json");

        using var response = await client.PostAsync(Rest.Url($"/process-definition/{definitionId}/start"), content);

        Rest.AssertError(await Rest.JsonAsync(response, HttpStatusCode.BadRequest), "InvalidRequestException", message);
    }
}
