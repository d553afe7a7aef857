using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;

namespace ComplaintWorkflows.WorkflowHost.Tests.Web;

/// <summary>
/// The demo organisation and complaints on a real SQLite file, signed in for real (HTTP Basic with the demo staff
/// accounts), with small attachment limits (64 KiB a file, 3 files a complaint) and live updates polling every 200 ms.
/// </summary>
public sealed class WebStaffHost : DemoStaffHost
{
    public const int MaxFileBytes = 64 * 1024;
    public const int MaxFiles = 3;

    /// <summary>Files a complaint through the API (the client is disposed); answers its id and tracking number.</summary>
    public static async Task<(string Id, string TrackingNumber)> FileAsync(HttpClient client, string phone, string facts, string respondentName = "鹿城区五马街道某超市")
    {
        using (client)
        {
            using var response = await client.PostAsJsonAsync("/api/complaints", new
            {
                consumerName = "测试消费者",
                consumerPhone = phone,
                consumerAddress = "温州市鹿城区五马街道",
                respondentName,
                respondentAddress = "温州市鹿城区五马街道解放街1号",
                request = "退款",
                facts,
            });
            Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            return (body.GetProperty("id").GetString()!, body.GetProperty("trackingNumber").GetString()!);
        }
    }

    protected override async Task<string> FileAsAsync(string consumer, string phone) => (await FileAsync(As(consumer), phone, "买到过期食品 " + consumer)).Id;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Workflows:Domain:Attachments:MaxFileBytes", MaxFileBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Workflows:Domain:Attachments:MaxFilesPerComplaint", MaxFiles.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Workflows:LiveUpdates:PollInterval", "00:00:00.200");
    }
}

/// <summary>Small files of each kind, made here: real signatures, so content sniffing sees what a browser would send.</summary>
public static class Files
{
    /// <summary>A 1×1 PNG (signature, IHDR, IDAT, IEND), made distinct by a trailing comment chunk.</summary>
    public static byte[] Png(string tag = "")
    {
        byte[] head = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        return [.. head, .. System.Text.Encoding.ASCII.GetBytes("fake-png-body-" + tag)];
    }

    public static byte[] Jpeg(int size = 2048)
    {
        var bytes = new byte[size];
        bytes[0] = 0xFF;
        bytes[1] = 0xD8;
        bytes[2] = 0xFF;
        bytes[3] = 0xE0;
        Random.Shared.NextBytes(bytes.AsSpan(4));
        return bytes;
    }

    public static byte[] Pdf(string tag = "") => System.Text.Encoding.ASCII.GetBytes("%PDF-1.4\n% test " + tag + "\n%%EOF\n");

    public static byte[] Html() => System.Text.Encoding.UTF8.GetBytes("<html><script>alert('x')</script></html>");

    public static MultipartFormDataContent Form(params (string Name, byte[] Content, string ClaimedType)[] files)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, content, type) in files)
        {
            var part = new ByteArrayContent(content);
            part.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(type);
            form.Add(part, "files", name);
        }

        return form;
    }
}
