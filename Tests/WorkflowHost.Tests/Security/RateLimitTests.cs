using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ComplaintWorkflows.WorkflowHost.Identity;
using ComplaintWorkflows.WorkflowHost.Security;

namespace ComplaintWorkflows.WorkflowHost.Tests.Security;

/// <summary>
/// Floods each anonymous route (and sign-in) from one address with the default limits: the first requests are
/// answered, the next one is 429 with <c>Retry-After</c> and a zh-CN Problem Details, while signed-in staff, and the
/// same route from another address, are still answered.
/// </summary>
public sealed class RateLimitTests(KestrelHostFactory factory) : IClassFixture<KestrelHostFactory>
{
    private static readonly RateLimitOptions Defaults = new();

    /// <summary>Each flood from an address of its own (the last number), so that the cases do not share a window.</summary>
    [Theory]
    [InlineData("POST", "/api/complaints", "{}", nameof(RateLimitOptions.Intake), 10)]
    [InlineData("GET", "/api/public/survey?token=not-a-link", "", nameof(RateLimitOptions.Survey), 11)]
    [InlineData("POST", "/api/public/survey?token=not-a-link", "{}", nameof(RateLimitOptions.Survey), 12)]
    [InlineData("POST", "/api/sms/aliyun/not-the-secret/sms-up", "[]", nameof(RateLimitOptions.SmsCallbacks), 13)]
    [InlineData("POST", "/api/auth/login", "{}", nameof(RateLimitOptions.SignIn), 14)]
    [InlineData("GET", "/metrics", "", nameof(RateLimitOptions.Metrics), 15)]
    public async Task Flooding_IsRefused429_AfterTheDefaultLimit_WhileStaffAndOtherAddressesAreAnswered(string method, string url, string body, string rule, int host)
    {
        var window = (RateLimitRule)typeof(RateLimitOptions).GetProperty(rule)!.GetValue(Defaults)!;
        var limit = window.PermitLimit;
        var address = $"198.51.100.{host}";
        using var anonymous = factory.CreateAnonymousClient();
        using var staff = await factory.CreateUserClientAsync($"flood-desk-{host}", "wz-lucheng", RoleNames.DeskOfficer);

        var answered = 0;
        for (var i = 0; i < limit; i++)
        {
            using var response = await anonymous.SendAsync(Request(address, method, url, body));
            answered += response.StatusCode == HttpStatusCode.TooManyRequests ? 0 : 1;
            if (i % 50 == 0)
            {
                // Signed-in staff are answered in the middle of the flood.
                using var inbox = await staff.GetAsync(new Uri("/api/inbox/tasks", UriKind.Relative));
                Assert.Equal(HttpStatusCode.OK, inbox.StatusCode);
            }
        }

        using var refused = await anonymous.SendAsync(Request(address, method, url, body));
        using var otherAddress = await anonymous.SendAsync(Request($"203.0.113.{host}", method, url, body));
        using var staffAfter = await staff.GetAsync(new Uri("/api/complaints", UriKind.Relative));

        Assert.Equal(limit, answered);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, (int)Math.Ceiling(window.Window.TotalSeconds));
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("too-many-requests", problem.GetProperty("code").GetString());
        Assert.Contains("请求过于频繁", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, otherAddress.StatusCode);
        Assert.Equal(HttpStatusCode.OK, staffAfter.StatusCode);
    }

    [Fact]
    public async Task Tracking_CannotEnumerate_NumbersFromOneAddress_NorWithOnePhoneFromMany()
    {
        using var anonymous = factory.CreateAnonymousClient();
        using var staff = await factory.CreateUserClientAsync("flood-track-desk", "wz-lucheng", RoleNames.DeskOfficer);

        // Guessed tracking numbers, each with another phone, from one address.
        var fromOne = new List<HttpStatusCode>();
        for (var i = 0; i <= Defaults.Tracking.PermitLimit; i++)
        {
            using var response = await anonymous.SendAsync(KestrelHostFactory.From("198.51.100.200", HttpMethod.Get, $"/api/public/track?trackingNumber=TS2026{i:D6}&phone=1390000{i:D4}"));
            fromOne.Add(response.StatusCode);
        }

        // One phone with guessed tracking numbers, each from another address (a botnet).
        var onePhone = new List<HttpStatusCode>();
        for (var i = 0; i <= Defaults.TrackingPerPhone.PermitLimit; i++)
        {
            using var response = await anonymous.SendAsync(KestrelHostFactory.From($"192.0.2.{i + 1}", HttpMethod.Get, $"/api/public/track?trackingNumber=TP2026{i:D6}&phone=13911112222"));
            onePhone.Add(response.StatusCode);
        }

        // One tracking number with guessed phones, each from another address.
        var oneNumber = new List<HttpStatusCode>();
        for (var i = 0; i <= Defaults.TrackingPerPhone.PermitLimit; i++)
        {
            using var response = await anonymous.SendAsync(KestrelHostFactory.From($"192.0.2.{i + 101}", HttpMethod.Get, $"/api/public/track?trackingNumber=TN2026000001&phone=1370000{i:D4}"));
            oneNumber.Add(response.StatusCode);
        }

        using var staffLookup = await staff.SendAsync(KestrelHostFactory.From("198.51.100.200", HttpMethod.Get, "/api/public/track?trackingNumber=TS2026000001&phone=13911112222"));

        Assert.All(fromOne.SkipLast(1), s => Assert.Equal(HttpStatusCode.NotFound, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, fromOne[^1]);
        Assert.All(onePhone.SkipLast(1), s => Assert.Equal(HttpStatusCode.NotFound, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, onePhone[^1]);
        Assert.All(oneNumber.SkipLast(1), s => Assert.Equal(HttpStatusCode.NotFound, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, oneNumber[^1]);
        Assert.Equal(HttpStatusCode.NotFound, staffLookup.StatusCode);
    }

    [Fact]
    public async Task Intake_IsLimitedPerPhone_FromAnyAddress_AndAttachmentsCountWithIntake()
    {
        using var anonymous = factory.CreateAnonymousClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= Defaults.IntakePerPhone.PermitLimit; i++)
        {
            using var response = await anonymous.SendAsync(KestrelHostFactory.From($"192.0.2.{i + 201}", HttpMethod.Post, "/api/complaints", new
            {
                consumerName = "刷单者", consumerPhone = "139 0000 5555", consumerAddress = "温州市鹿城区五马街道", respondentName = "龙湾区好运来超市",
                respondentAddress = "温州市龙湾区永中街道永宁西路66号", request = "退款", facts = $"第 {i} 次提交的投诉",
            }));
            statuses.Add(response.StatusCode);
        }

        // An address that used its intake permits cannot upload attachments either.
        for (var i = 0; i < Defaults.Intake.PermitLimit; i++)
        {
            using var response = await anonymous.SendAsync(KestrelHostFactory.From("198.51.100.250", HttpMethod.Post, "/api/complaints", new { }));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        using var upload = await anonymous.SendAsync(KestrelHostFactory.From("198.51.100.250", HttpMethod.Post, "/api/public/complaints/TS2026000001/attachments", new { }));

        Assert.All(statuses.SkipLast(1), s => Assert.Equal(HttpStatusCode.Created, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.Equal(HttpStatusCode.TooManyRequests, upload.StatusCode);
    }

    private static HttpRequestMessage Request(string address, string method, string url, string body)
    {
        var request = KestrelHostFactory.From(address, new HttpMethod(method), url);
        if (method != "GET")
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        return request;
    }
}
