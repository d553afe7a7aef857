using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ComplaintWorkflows.Activities.Attachments;
using ComplaintWorkflows.SmsEmulator;
using ComplaintWorkflows.WorkflowHost.Tests.Complaints;
using Microsoft.Extensions.DependencyInjection;

namespace ComplaintWorkflows.WorkflowHost.Tests.Speech;

/// <summary>
/// Voice intake through the host and the speech provider's emulator (signature V1, token, task id polling, errors):
/// a recording is stored, its transcript answered, and filing the complaint with its id attaches it.
/// </summary>
public sealed class VoiceIntakeTests
{
    private static Dictionary<string, string?> Settings(SpeechProviderEmulator emulator, string secret = SpeechProviderEmulator.AccessKeySecret) => new()
    {
        ["Workflows:Speech:Provider"] = "Aliyun",
        ["Workflows:Speech:Aliyun:TokenEndpoint"] = emulator.BaseAddress.ToString(),
        ["Workflows:Speech:Aliyun:FileTranscriptionEndpoint"] = emulator.BaseAddress.ToString(),
        ["Workflows:Speech:Aliyun:ShortSentenceEndpoint"] = new Uri(emulator.BaseAddress, "stream/v1/asr").ToString(),
        ["Workflows:Speech:Aliyun:AccessKeyId"] = SpeechProviderEmulator.AccessKeyId,
        ["Workflows:Speech:Aliyun:AccessKeySecret"] = secret,
        ["Workflows:Speech:Aliyun:AppKey"] = SpeechProviderEmulator.AppKey,
        ["Workflows:Speech:PollInterval"] = "00:00:01",
        ["Workflows:Speech:PublicBaseUrl"] = "https://intake.example.org/",
    };

    /// <summary>A 16 kHz 16-bit mono WAV of a 440 Hz tone, <paramref name="seconds"/> long.</summary>
    internal static byte[] Wav(double seconds, int rate = 16000)
    {
        var samples = (int)(seconds * rate);
        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream);
        w.Write("RIFF"u8); w.Write(36 + (samples * 2)); w.Write("WAVE"u8);
        w.Write("fmt "u8); w.Write(16); w.Write((short)1); w.Write((short)1); w.Write(rate); w.Write(rate * 2); w.Write((short)2); w.Write((short)16);
        w.Write("data"u8); w.Write(samples * 2);
        for (var i = 0; i < samples; i++)
        {
            w.Write((short)(Math.Sin(2 * Math.PI * 440 * i / rate) * 8000));
        }

        w.Flush();
        return stream.ToArray();
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, byte[] audio, string type = "audio/wav")
    {
        using var content = new ByteArrayContent(audio);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
        return await client.PostAsync(new Uri("/api/public/speech/recordings", UriKind.Relative), content);
    }

    [Fact]
    public async Task WithoutProvider_StatusSaysNotConfigured_AndUploadIs503()
    {
        await using var host = new ComplaintHost();
        using var client = host.Anonymous();
        var status = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/public/speech", UriKind.Relative));
        Assert.False(status.GetProperty("configured").GetBoolean());
        Assert.Equal("未配置语音识别服务", status.GetProperty("message").GetString());
        using var response = await PostAsync(client, Wav(2));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("speech-not-configured", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task ShortRecording_IsTranscribed_AndAttachedToTheComplaintFiledWithIt()
    {
        await using var emulator = await SpeechProviderEmulator.StartAsync();
        await using var host = new ComplaintHost { Settings = Settings(emulator) };
        using var client = host.Anonymous();
        using var response = await PostAsync(client, Wav(3));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        var answer = JsonDocument.Parse(body).RootElement;
        Assert.Equal(emulator.Transcript, answer.GetProperty("transcript").GetString());
        Assert.Equal("ShortSentence", answer.GetProperty("method").GetString());
        Assert.Equal(1, emulator.ShortSentenceCalls);
        var recordingId = answer.GetProperty("recordingId").GetString()!;

        using var filed = await client.PostAsJsonAsync("/api/complaints", new
        {
            consumerName = "李四", consumerPhone = "13812345670", consumerAddress = "温州市鹿城区五马街道县前头1号",
            respondentName = "鹿城区小王家电店", respondentAddress = "温州市鹿城区五马街道解放街12号", request = "要求退货",
            facts = emulator.Transcript, voiceRecordingId = recordingId,
        });
        Assert.True(filed.StatusCode == HttpStatusCode.Created, await filed.Content.ReadAsStringAsync());
        var complaintId = (await filed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var attachments = await host.Services.GetRequiredService<AttachmentService>().ListAsync(complaintId);
        var recording = Assert.Single(attachments);
        Assert.Equal((recordingId, "audio/wav", true), (recording.Id, recording.ContentType, recording.FromConsumer));
        Assert.DoesNotContain(host.Logs.Messages, m => m.Contains(emulator.Transcript, StringComparison.Ordinal));

        using var unknown = await client.PostAsJsonAsync("/api/complaints", new
        {
            consumerName = "李四", consumerPhone = "13812345671", consumerAddress = "温州市鹿城区五马街道县前头2号",
            respondentName = "鹿城区小李超市", respondentAddress = "温州市鹿城区五马街道解放街14号", request = "要求退货",
            facts = "另一件投诉", voiceRecordingId = "0123456789abcdef0123456789abcdef",
        });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("voiceRecordingId", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LongRecording_GoesToFileTranscription_PolledByTaskId()
    {
        await using var emulator = await SpeechProviderEmulator.StartAsync();
        emulator.PollsBeforeDone = 2;
        await using var host = new ComplaintHost { Settings = Settings(emulator) };
        using var client = host.Anonymous();
        var posting = PostAsync(client, Wav(70));
        while (!posting.IsCompleted)
        {
            host.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }

        using var response = await posting;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        var answer = JsonDocument.Parse(body).RootElement;
        Assert.Equal(("FileTranscription", emulator.Transcript), (answer.GetProperty("method").GetString(), answer.GetProperty("transcript").GetString()));
        Assert.Equal(3, emulator.TaskPolls);
        Assert.Equal(0, emulator.ShortSentenceCalls);
    }

    [Fact]
    public async Task ProviderRefusesTheSignature_AnswerNamesItsCode_InChinese_AndKeepsTheRecording()
    {
        await using var emulator = await SpeechProviderEmulator.StartAsync();
        await using var host = new ComplaintHost { Settings = Settings(emulator, secret: "a-wrong-speech-secret") };
        using var client = host.Anonymous();
        using var response = await PostAsync(client, Wav(2));
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("speech-provider", "SignatureDoesNotMatch"), (problem.GetProperty("code").GetString(), problem.GetProperty("providerCode").GetString()));
        Assert.Contains("语音识别服务返回错误 SignatureDoesNotMatch", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.NotNull(await host.Services.GetRequiredService<AttachmentService>().GetRecordingAsync(problem.GetProperty("recordingId").GetString()!));
        Assert.DoesNotContain(host.Logs.Messages, m => m.Contains("a-wrong-speech-secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ContentNotMatchingItsType_Is415_AndTooLong_Is413()
    {
        await using var emulator = await SpeechProviderEmulator.StartAsync();
        var settings = Settings(emulator);
        settings["Workflows:Speech:MaxDuration"] = "00:01:00";
        await using var host = new ComplaintHost { Settings = settings };
        using var client = host.Anonymous();
        using (var wrong = await PostAsync(client, Wav(2), "audio/ogg"))
        {
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrong.StatusCode);
        }

        using (var text = await PostAsync(client, "hello"u8.ToArray(), "text/plain"))
        {
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        }

        using var tooLong = await PostAsync(client, Wav(61));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLong.StatusCode);
        Assert.Equal("recording-too-long", (await tooLong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(0, emulator.ShortSentenceCalls);
    }
}
