using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ComplaintWorkflows.SmsEmulator;

namespace ComplaintWorkflows.Benchmarks;

/// <summary>
/// <c>metrics-scenario</c>: one host (a process of its own, SQLite, the demo organisation, the SMS emulator as Alibaba)
/// takes a few complaints from intake to the archive, the demo staff completing every task and the survey's short waits
/// running out into the desk's follow-up call, while the emulator throttles one SMS and refuses one number; beside them
/// a process whose script fails (an incident) and one with a short timer (its lag). Then <c>/metrics</c> is scraped with
/// the scrape token and every <c>cw_*</c> sample printed (with <c>--all</c> the HELP/TYPE lines and the other meters
/// too). Exit code 1 when a complaint did not reach the archive in <c>--minutes</c> or a figure contradicts the scenario.
/// </summary>
internal static class MetricsScenario
{
    private const string AdminPassword = "Metrics-Admin-2026";
    private const string ScrapeToken = "metrics-scenario-scrape-token-0123456789abcdef";

    public static async Task<int> RunAsync(int complaints, TimeSpan patience, bool all, TextWriter output)
    {
        var password = "metrics-" + Guid.NewGuid().ToString("N")[..12];
        await using var emulator = await SmsProviderEmulator.StartAsync();
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Workflows__SeedDemoComplaints"] = "false",
            ["Workflows__Identity__DemoPassword"] = password,
            ["Workflows__Identity__InitialAdminPassword"] = AdminPassword,
            ["Workflows__Domain__Emergency__ScheduledWork"] = "false",
            ["Workflows__Notifications__Survey__FirstWait"] = "PT10S",
            ["Workflows__Notifications__Survey__ReminderWait"] = "PT10S",
            ["Workflows__Operations__ScrapeToken"] = ScrapeToken,
            ["Workflows__Operations__FigureCacheDuration"] = "00:00:01",
        };
        foreach (var (key, value) in EmulatorSettings.For(emulator))
        {
            if (!key.Contains("Templates", StringComparison.Ordinal) && !key.Contains("TemplateParameters", StringComparison.Ordinal))
            {
                settings[key.Replace(":", "__", StringComparison.Ordinal)] = value!;
            }
        }

        var clock = Stopwatch.StartNew();
        void Say(string line) => output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{clock.Elapsed:mm\\:ss} {line}"));
        using var host = await HostProcess.StartAsync(output, settings);
        var url = new Uri(host.Url);
        using var admin = await StaffSession.SignInAsync(url, "admin", AdminPassword, TimeSpan.FromMinutes(1));
        await FaultCampaign.SetSmsTemplateCodesAsync(admin.Http, CancellationToken.None);
        var people = await CampaignStaff.SignInAllAsync(url, password);
        var desk = people.First(p => p.UserName == "zx-desk-a");
        Say($"host up on {host.Url}; {people.Count} staff signed in");

        // The provider throttles the first SMS (sent again later) and refuses the second consumer's number for good.
        emulator.FailNext("isv.BUSINESS_LIMIT_CONTROL");
        emulator.FailFor(Phone(1), "isv.MOBILE_NUMBER_ILLEGAL");
        using var anonymous = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(60) };
        var ids = new List<string>();
        var byChannel = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var n = 0; n < complaints; n++)
        {
            var byPhone = n % 3 == 2;
            var channel = byPhone ? "Phone" : "Web";
            using var filed = await (byPhone ? desk.Http : anonymous).PostAsJsonAsync("/api/complaints", new
            {
                consumerName = "指标测试" + n,
                consumerPhone = Phone(n),
                consumerAddress = "浙江省温州市鹿城区五马街道" + (n + 1) + "号",
                respondentName = string.Create(CultureInfo.InvariantCulture, $"鹿城区小王数码店{n}号店"),
                respondentAddress = "温州市鹿城区五马街道解放街12号",
                request = "要求退货退款",
                facts = string.Create(CultureInfo.InvariantCulture, $"购买的蓝牙耳机没有声音（M{n}）"),
                channel = byPhone ? "Phone" : null,
            });
            if (filed.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.OK))
            {
                output.WriteLine($"intake {n}: {(int)filed.StatusCode} {await filed.Content.ReadAsStringAsync()}");
                return 1;
            }

            ids.Add((await filed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
            byChannel[channel] = byChannel.GetValueOrDefault(channel) + 1;
        }

        await DeployAndStartAsync(admin.Http, "metrics-failing", """
            <bpmn:startEvent id="s" />
            <bpmn:scriptTask id="check" scriptFormat="javascript" camunda:asyncBefore="true">
              <bpmn:extensionElements><camunda:failedJobRetryTimeCycle>R1/PT1M</camunda:failedJobRetryTimeCycle></bpmn:extensionElements>
              <bpmn:script>throw new Error('the printer is on fire')</bpmn:script>
            </bpmn:scriptTask>
            <bpmn:userTask id="review" />
            <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="check" />
            <bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="review" />
            """);
        await DeployAndStartAsync(admin.Http, "metrics-timer", """
            <bpmn:startEvent id="s" />
            <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>PT2S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
            <bpmn:endEvent id="e" />
            <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="wait" />
            <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="e" />
            """);
        Say($"{ids.Count} complaints filed ({string.Join(", ", byChannel.Select(c => $"{c.Value} {c.Key}"))}); a failing and a timer process started");

        var staff = new CampaignStaff(people, output);
        using var workStop = new CancellationTokenSource();
        var work = staff.RunAsync(2, TimeSpan.FromMilliseconds(500), workStop.Token);
        var deadline = clock.Elapsed + patience;
        var archived = 0;
        while (clock.Elapsed < deadline)
        {
            archived = 0;
            foreach (var id in ids)
            {
                var file = await admin.Http.GetFromJsonAsync<JsonElement>(new Uri($"/api/complaints/{id}", UriKind.Relative));
                archived += file.GetProperty("complaint").GetProperty("status").GetString() == "Archived" ? 1 : 0;
            }

            if (archived == ids.Count)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromSeconds(2));
        }

        await workStop.CancelAsync();
        await work;
        Say($"{archived} of {ids.Count} complaints archived; {staff.Completed} tasks completed, {staff.Refused} refused");

        // The gauges' cache (1 s) runs out before the scrape.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        using var scraper = new HttpClient { BaseAddress = url };
        scraper.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ScrapeToken);
        var text = await scraper.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Say($"/metrics: {text.Length} characters; load average {File.ReadAllText("/proc/loadavg").Trim()}");
        foreach (var line in text.Split('\n').Where(l => all || l.StartsWith("cw_", StringComparison.Ordinal)))
        {
            output.WriteLine(line);
        }

        // The counters must say what happened.
        var checks = new List<(string What, double Got, double Expected)>();
        foreach (var (channel, count) in byChannel)
        {
            checks.Add(($"cw_complaints_received_total{{channel=\"{channel}\"}}", Sum(text, "cw_complaints_received_total", $"channel=\"{channel}\""), count));
        }

        checks.Add(("cw_sms_provider_errors_total{code=\"isv.BUSINESS_LIMIT_CONTROL\"}", Sum(text, "cw_sms_provider_errors_total", "code=\"isv.BUSINESS_LIMIT_CONTROL\""), 1));
        checks.Add(("cw_engine_instances_failed_total{process_key=\"metrics-failing\"}", Sum(text, "cw_engine_instances_failed_total", "process_key=\"metrics-failing\""), 1));
        checks.Add(("cw_engine_incidents_open", Sum(text, "cw_engine_incidents_open"), 1));
        checks.Add(("cw_engine_instances_completed_total{process_key=\"metrics-timer\"}", Sum(text, "cw_engine_instances_completed_total", "process_key=\"metrics-timer\""), 1));
        checks.Add(("cw_engine_timer_lag_seconds_count", Sum(text, "cw_engine_timer_lag_seconds_count") >= 1 ? 1 : 0, 1));
        checks.Add(("cw_engine_steps_committed_total = cw_engine_step_commit_duration_seconds_count", Sum(text, "cw_engine_steps_committed_total"), Sum(text, "cw_engine_step_commit_duration_seconds_count")));
        var wrong = checks.Where(c => c.Got != c.Expected).ToList();
        foreach (var (what, got, expected) in wrong)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"check failed: {what} is {got}, expected {expected}"));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"metrics-scenario: {archived}/{ids.Count} archived, {checks.Count - wrong.Count}/{checks.Count} checks passed"));
        return archived == ids.Count && wrong.Count == 0 && staff.Refused == 0 ? 0 : 1;
    }

    private static string Phone(int n) => string.Create(CultureInfo.InvariantCulture, $"1397778{n:D4}");

    private static async Task DeployAndStartAsync(HttpClient admin, string key, string body)
    {
        var bpmn = $"""
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d">
              <bpmn:process id="{key}" isExecutable="true">
            {body}
              </bpmn:process>
            </bpmn:definitions>
            """;
        using var xml = new StringContent(bpmn, Encoding.UTF8, "text/xml");
        using var deployed = await admin.PostAsync(new Uri("/api/process-definitions", UriKind.Relative), xml);
        if (!deployed.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"deploying {key}: {(int)deployed.StatusCode} {await deployed.Content.ReadAsStringAsync()}");
        }

        using var started = await admin.PostAsJsonAsync($"/api/process-definitions/{key}/start", new { });
        if (!started.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"starting {key}: {(int)started.StatusCode} {await started.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>The sum of the samples of <paramref name="name"/> whose labels include every one given.</summary>
    private static double Sum(string text, string name, params string[] labels)
        => text.Split('\n')
            .Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal))
            .Where(l => labels.All(label => l.Contains(label, StringComparison.Ordinal)))
            .Sum(l => double.Parse(l[(l.LastIndexOf('}') is var end and >= 0 ? end + 1 : name.Length)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture));
}
