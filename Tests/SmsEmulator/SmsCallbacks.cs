using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace ComplaintWorkflows.SmsEmulator;

/// <summary>A consumer's reply, as Alibaba's SmsUp pushes it. <see cref="SequenceId"/> is a string or a number (both occur).</summary>
public sealed record EmulatedReply(string PhoneNumber, string Content, DateTimeOffset SendTime, object SequenceId, string DestCode = "01", string? SignName = SmsProviderEmulator.SignName);

/// <summary>
/// The providers' callback pushes: Alibaba's HTTP batch push (SmsUp, SmsReport: JSON arrays) and Tencent's reply
/// callback (one JSON object), delivered to our host as the platforms do: POST, and again on a non-200 answer.
/// </summary>
public static class SmsCallbacks
{
    /// <summary>An SmsUp batch body.</summary>
    public static string SmsUp(params EmulatedReply[] replies)
    {
        ArgumentNullException.ThrowIfNull(replies);
        return new JsonArray([.. replies.Select(r =>
        {
            var item = new JsonObject
            {
                ["phone_number"] = r.PhoneNumber,
                ["content"] = r.Content,
                ["send_time"] = SmsProviderEmulator.ChinaText(r.SendTime),
                ["dest_code"] = r.DestCode,
                ["sequence_id"] = r.SequenceId switch
                {
                    long n => JsonValue.Create(n),
                    int n => JsonValue.Create(n),
                    var other => JsonValue.Create(Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture)),
                },
            };
            if (r.SignName is not null)
            {
                item["sign_name"] = r.SignName;
            }

            return (JsonNode)item;
        })]).ToJsonString();
    }

    /// <summary>An SmsReport batch body for messages the emulator accepted (delivered, or failed with the given code).</summary>
    public static string SmsReport(IEnumerable<EmulatedSms> messages, bool success = true, string errorCode = "DELIVERED")
    {
        ArgumentNullException.ThrowIfNull(messages);
        return new JsonArray([.. messages.Select(m => (JsonNode)new JsonObject
        {
            ["phone_number"] = m.PhoneNumber,
            ["send_time"] = SmsProviderEmulator.ChinaText(m.At),
            ["report_time"] = SmsProviderEmulator.ChinaText(m.At.AddSeconds(5)),
            ["success"] = success,
            ["err_code"] = success ? "DELIVERED" : errorCode,
            ["err_msg"] = success ? "用户接收成功" : "用户接收失败",
            ["sms_size"] = "1",
            ["biz_id"] = m.BizId,
            ["out_id"] = m.OutId,
        })]).ToJsonString();
    }

    /// <summary>Tencent's reply callback body.</summary>
    public static string TencentReply(string mobile, string text, DateTimeOffset time, string sign = SmsProviderEmulator.SignName)
        => new JsonObject
        {
            ["extend"] = "",
            ["mobile"] = mobile,
            ["nationcode"] = "86",
            ["sign"] = sign,
            ["text"] = text,
            ["time"] = time.ToUnixTimeSeconds(),
        }.ToJsonString();

    /// <summary>
    /// POSTs a body as the platform does and, like it, again while the answer is not 200 (up to <paramref name="maxAttempts"/>;
    /// the platform waits 1, 5, 10 minutes between them, the emulator does not). Every answer is returned, in order.
    /// </summary>
    public static async Task<IReadOnlyList<(HttpStatusCode Status, string Body)>> PushAsync(HttpClient client, string path, string body, int maxAttempts = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var answers = new List<(HttpStatusCode, string)>();
        for (var attempt = 0; attempt < maxAttempts; attempt++)
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await client.PostAsync(new Uri(path, UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
            answers.Add((response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                break;
            }
        }

        return answers;
    }
}
