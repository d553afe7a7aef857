using System.Net.Http.Json;
using System.Text.Json;

namespace ComplaintWorkflows.TestSupport;

/// <summary>
/// The real SMTP server <c>./test.sh</c> starts (maildev on loopback, with sign-in): where to send, and its REST API to
/// read back what arrived. Without it the email tests fail, saying how to get it.
/// </summary>
public static class MailDev
{
    public static (string Host, int Port) Smtp
    {
        get
        {
            var value = Environment.GetEnvironmentVariable("COMPLAINTWORKFLOWS_TEST_SMTP")
                ?? throw new InvalidOperationException("The email tests need an SMTP server: run ./test.sh (it starts maildev), or set COMPLAINTWORKFLOWS_TEST_SMTP=host:port, COMPLAINTWORKFLOWS_TEST_SMTP_USER/_PASSWORD and COMPLAINTWORKFLOWS_TEST_MAILDEV_API.");
            var colon = value.LastIndexOf(':');
            return (value[..colon], int.Parse(value[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    public static string User => Environment.GetEnvironmentVariable("COMPLAINTWORKFLOWS_TEST_SMTP_USER") ?? throw new InvalidOperationException("COMPLAINTWORKFLOWS_TEST_SMTP_USER is not set (run ./test.sh).");

    public static string Password => Environment.GetEnvironmentVariable("COMPLAINTWORKFLOWS_TEST_SMTP_PASSWORD") ?? throw new InvalidOperationException("COMPLAINTWORKFLOWS_TEST_SMTP_PASSWORD is not set (run ./test.sh).");

    public static Uri Api => new((Environment.GetEnvironmentVariable("COMPLAINTWORKFLOWS_TEST_MAILDEV_API")
        ?? throw new InvalidOperationException("COMPLAINTWORKFLOWS_TEST_MAILDEV_API is not set (run ./test.sh).")).TrimEnd('/') + "/");

    /// <summary>The host settings that send email through this server.</summary>
    public static Dictionary<string, string?> HostSettings() => new()
    {
        ["Workflows:Email:Host"] = Smtp.Host,
        ["Workflows:Email:Port"] = Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Workflows:Email:Security"] = "None",
        ["Workflows:Email:UserName"] = User,
        ["Workflows:Email:Password"] = Password,
        ["Workflows:Email:FromAddress"] = "noreply@12315.example",
        ["Workflows:Email:FromName"] = "温州市12315投诉举报中心",
    };

    /// <summary>A recipient address no other test uses.</summary>
    public static string NewAddress(string who = "consumer") => $"{who}-{Guid.NewGuid():N}@example.com";

    /// <summary>Every message the server received for an address, oldest first.</summary>
    public static async Task<IReadOnlyList<JsonElement>> MessagesToAsync(string address)
    {
        using var client = new HttpClient { BaseAddress = Api };
        var all = await client.GetFromJsonAsync<JsonElement>(new Uri("email", UriKind.Relative));
        return [.. all.EnumerateArray()
            .Where(m => m.GetProperty("to").EnumerateArray().Any(t => string.Equals(t.GetProperty("address").GetString(), address, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(m => m.GetProperty("time").GetDateTimeOffset())];
    }
}
