using System.Net;
using System.Net.Http.Json;
using ComplaintWorkflows.TestSupport;
using ComplaintWorkflows.WorkflowHost.Complaints;
using ComplaintWorkflows.WorkflowHost.Tests.Complaints;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.WorkflowHost.Tests.Operations;

/// <summary>The whole log of a complaint from intake to archive, at debug level, holds none of the consumer's personal data.</summary>
public abstract class PersonalDataLogTestsBase : IDisposable
{
    private const string Name = "欧阳晓岚";
    private const string Phone = "13957712468";
    private const string Address = "温州市鹿城区五马街道信河街188号3幢502室";
    private const string Email = "ouyang.xiaolan@example.com";
    private const string IdNumber = "330302199001011234";

    private readonly ComplaintHost _host;

    protected PersonalDataLogTestsBase(Dictionary<string, string?> database)
    {
        var settings = new Dictionary<string, string?>(database, StringComparer.Ordinal)
        {
            ["Logging:LogLevel:Default"] = "Debug",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Information",
            ["Workflows:Operations:JsonConsoleLogs"] = "true",
        };
        _host = new ComplaintHost { Settings = settings };
    }

    [Fact]
    public async Task AComplaintFromIntakeToArchive_LogsNoneOfTheConsumersNamePhoneAddressEmailOrIdNumber()
    {
        var scenario = new ComplaintScenario(_host);
        var id = await scenario.FileAsync($"本人{Name}（身份证号{IdNumber}，电话{Phone}，邮箱{Email}）在商家购买的手机一周后屏幕出现竖线，商家拒绝退换。",
            name: Name, phone: Phone, address: Address, email: Email, notifyBy: "Email", consumer: "consumer:c1");
        await scenario.ConfirmDispatchAsync(id);
        await scenario.AcceptAsync(id);
        await scenario.CompleteAsync(id, "mediate", new { outcome = "mediated", mediationSucceeded = true, progressNote = $"已电话联系{Name}（{Phone}），商家同意退款" });
        await scenario.CloseRecordAsync(id);
        await scenario.CompleteAsync(id, "deskReview", new { decision = "approve" });
        using (var consumer = _host.As("consumer:c1"))
        {
            using var answer = await consumer.PostAsJsonAsync($"/api/complaints/{id}/survey", new { speed = 5, attitude = 5, communication = 4, fairness = 5, professionalism = 4, overall = 5, comment = "处理很及时" });
            Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
        }

        var file = await scenario.FileOfAsync(id);
        Assert.Equal("Archived", file.GetProperty("complaint").GetProperty("status").GetString());

        // The consumer follows the complaint publicly: the phone number is in the query string the server logs.
        var tracking = file.GetProperty("complaint").GetProperty("trackingNumber").GetString();
        using (var anonymous = _host.Anonymous())
        using (var progress = await anonymous.GetAsync(new Uri($"/api/public/track?trackingNumber={tracking}&phone={Phone}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, progress.StatusCode);
        }

        var log = _host.Logs.Messages;
        Assert.True(log.Count > 50, $"the scenario was logged ({log.Count} entries)");
        Assert.Contains(log, m => m.Contains("Request starting", StringComparison.Ordinal) && m.Contains("/api/public/track", StringComparison.Ordinal));
        foreach (var value in new[] { Name, Phone, Address, Email, IdNumber, Address[6..], "ouyang.xiaolan" })
        {
            Assert.DoesNotContain(log, m => m.Contains(value, StringComparison.Ordinal));
        }

        Assert.Contains(log, m => m.Contains(PersonalData.MaskPhone(Phone), StringComparison.Ordinal));

        // The JSON console formatter is the one configured.
        Assert.Equal(ConsoleFormatterNames.Json, _host.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
    }

    public void Dispose()
    {
        _host.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>On SQLite; and the masker itself on the shapes it must find and those it must leave.</summary>
public sealed class PersonalDataLogTests() : PersonalDataLogTestsBase([])
{
    [Theory]
    [InlineData("电话13957712468，", "电话139****2468，")]
    [InlineData("+86 13957712468", "+86 139****2468")]
    [InlineData("mail ouyang.xiaolan@example.com.", "mail o***@example.com.")]
    [InlineData("身份证330302199001011234号", "身份证330302********1234号")]
    [InlineData("instance 0196b1f0c4a37b2c8e13957712468abc job 1764806400000", "instance 0196b1f0c4a37b2c8e13957712468abc job 1764806400000")]
    [InlineData("user abc13957712468 called", "user abc139****2468 called")]
    [InlineData("phone=13957712468abc;", "phone=139****2468abc;")]
    [InlineData("tracking SF1395771246890 order 1395771246801", "tracking SF1395771246890 order 1395771246801")]
    public void MaskText_MasksNumbersAddressesAndIdNumbers_AndLeavesIdsAndTimestamps(string text, string masked)
        => Assert.Equal(masked, PersonalData.MaskText(text));
}

public sealed class PersonalDataLogPostgresTests() : PersonalDataLogTestsBase(new Dictionary<string, string?>
{
    ["Workflows:Database"] = "Postgres",
    ["Workflows:ConnectionString"] = TestPostgres.NewDatabase("logscan"),
});
