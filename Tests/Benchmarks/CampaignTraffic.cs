using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ComplaintWorkflows.SmsEmulator;

namespace ComplaintWorkflows.Benchmarks;

/// <summary>A complaint the campaign filed and got a 2xx for: its marker (in the facts), its id, and how the consumer hears.</summary>
internal sealed record FiledComplaint(string Marker, string Id, string Phone, string? Email);

/// <summary>
/// Consumers and the intake desk filing complaints through the load balancer, each with an <c>Idempotency-Key</c> and sent
/// again with the same key when the answer is lost (as a careful client does); every fourth consumer wants to hear by
/// email, every fifth complaint is filed by a desk officer taking a phone call.
/// </summary>
internal sealed class CampaignIntake(HttpClient anonymous, StaffSession desk, string run)
{
    private const int Attempts = 4;
    private long _refused;

    public ConcurrentDictionary<string, FiledComplaint> Accepted { get; } = new(StringComparer.Ordinal);

    public ConcurrentBag<double> Latencies { get; } = [];

    /// <summary>Submissions that got no 2xx after every attempt (never acknowledged, so never counted as lost).</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>The address of a consumer who hears by email (maildev's records are read by these).</summary>
    public string EmailDomain => $"faults-{run}.example.com";

    public Task RunAsync(int clients, TimeSpan pause, CancellationToken stop)
        => Task.WhenAll(Enumerable.Range(0, clients).Select(c => FileAsync(c, pause, stop)));

    private async Task FileAsync(int client, TimeSpan pause, CancellationToken stop)
    {
        for (var n = 1; !stop.IsCancellationRequested; n++)
        {
            var marker = string.Create(CultureInfo.InvariantCulture, $"F{client}-{n}-{run}");
            var phone = string.Create(CultureInfo.InvariantCulture, $"139{client:D2}{n % 1_000_000:D6}");
            var email = n % 4 == 0 ? $"c{client}-{n}@{EmailDomain}" : null;
            var byDesk = n % 5 == 0;
            var body = new
            {
                consumerName = "故障测试" + client,
                consumerPhone = phone,
                consumerAddress = "浙江省温州市鹿城区五马街道" + n + "号",
                consumerEmail = email,
                notifyBy = email is null ? "Sms" : "Email",
                respondentName = string.Create(CultureInfo.InvariantCulture, $"龙湾区好运来超市{client}-{n}号店"),
                respondentAddress = "温州市龙湾区永中街道永宁西路66号",
                request = "要求退款",
                facts = $"购买的牛奶已过保质期（{marker}）",
                channel = byDesk ? "Phone" : null,
            };
            var http = byDesk ? desk.Http : anonymous;
            var done = false;
            for (var attempt = 0; attempt < Attempts && !done; attempt++)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, "/api/complaints") { Content = JsonContent.Create(body) };
                    request.Headers.Add("Idempotency-Key", marker);
                    using var response = await http.SendAsync(request, CancellationToken.None).ConfigureAwait(false);
                    if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
                    {
                        var id = (await response.Content.ReadFromJsonAsync<JsonElement>(CancellationToken.None).ConfigureAwait(false)).GetProperty("id").GetString()!;
                        Accepted[marker] = new FiledComplaint(marker, id, phone, email);
                        Latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                        done = true;
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    // The answer was lost (a host died mid-request): the same key again.
                }

                if (!done)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(500), CancellationToken.None).ConfigureAwait(false);
                }
            }

            if (!done)
            {
                Interlocked.Increment(ref _refused);
            }

            if (pause > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(pause, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}

/// <summary>
/// The consumers who hear by SMS answer the survey invitation by SMS: each invitation the emulator accepted is answered
/// "5 非常满意" from its number, pushed to the host through the load balancer as Alibaba's SmsUp callback does (and
/// pushed again, as the platform does, until it is answered 200).
/// </summary>
internal sealed class CampaignSmsReplies(SmsProviderEmulator emulator, HttpClient platform, string callbackPath, string invitationTemplateCode)
{
    private readonly HashSet<string> _answered = new(StringComparer.Ordinal);
    private long _sequence = 880_000;
    private long _replied;

    /// <summary>Replies the host answered 200.</summary>
    public long Replied => Interlocked.Read(ref _replied);

    public async Task RunAsync(TimeSpan pause, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            foreach (var invitation in emulator.Accepted.Where(a => a.TemplateCode == invitationTemplateCode && a.OutId is not null))
            {
                if (stop.IsCancellationRequested || !_answered.Add(invitation.OutId!))
                {
                    continue;
                }

                var body = SmsCallbacks.SmsUp(new EmulatedReply(invitation.PhoneNumber, "5 非常满意", TimeProvider.System.GetUtcNow(), Interlocked.Increment(ref _sequence)));
                if (!await PushAsync(body, stop).ConfigureAwait(false))
                {
                    _answered.Remove(invitation.OutId!);
                }
            }

            try
            {
                await Task.Delay(pause, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<bool> PushAsync(string body, CancellationToken stop)
    {
        for (var attempt = 0; attempt < 10 && !stop.IsCancellationRequested; attempt++)
        {
            try
            {
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                using var response = await platform.PostAsync(new Uri(callbackPath, UriKind.Relative), content, stop).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref _replied);
                    return true;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        return false;
    }
}
