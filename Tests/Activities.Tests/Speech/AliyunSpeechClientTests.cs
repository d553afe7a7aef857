using ComplaintWorkflows.Activities.Speech;
using ComplaintWorkflows.SmsEmulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Tests.Speech;

public sealed class AliyunSpeechClientTests
{
    private static (AliyunSpeechClient Client, ServiceProvider Services) Client(SpeechProviderEmulator emulator, string secret = SpeechProviderEmulator.AccessKeySecret, string appKey = SpeechProviderEmulator.AppKey)
    {
        var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        var options = Options.Create(new SpeechOptions
        {
            PollInterval = TimeSpan.FromMilliseconds(10),
            Aliyun = new AliyunSpeechOptions
            {
                TokenEndpoint = emulator.BaseAddress,
                FileTranscriptionEndpoint = emulator.BaseAddress,
                ShortSentenceEndpoint = new Uri(emulator.BaseAddress, "stream/v1/asr"),
                AccessKeyId = SpeechProviderEmulator.AccessKeyId,
                AccessKeySecret = secret,
                AppKey = appKey,
            },
        });
        return (new AliyunSpeechClient(services.GetRequiredService<IHttpClientFactory>(), options, TimeProvider.System), services);
    }

    [Fact]
    public async Task ShortSentence_ReturnsTranscript_WithSignedTokenRequest()
    {
        await using var emulator = await SpeechProviderEmulator.StartAsync();
        var (client, services) = Client(emulator);
        using var _ = services;
        var text = await client.RecognizeShortAsync([1, 2, 3, 4], "wav", 16000);
        Assert.Equal(emulator.Transcript, text);
        Assert.Equal(emulator.Transcript, await client.RecognizeShortAsync([5, 6], "wav", 16000));
        Assert.Equal(2, emulator.ShortSentenceCalls);
    }

    [Fact]
    public async Task FileTranscription_PollsTaskUntilSuccess()
    {
        await using var emulator = await SpeechProviderEmulator.StartAsync();
        emulator.PollsBeforeDone = 3;
        var (client, services) = Client(emulator);
        using var _ = services;
        var text = await client.TranscribeFileAsync(new Uri("https://example.org/a.wav"));
        Assert.Equal(emulator.Transcript, text);
        Assert.Equal(4, emulator.TaskPolls);
    }

    [Fact]
    public async Task WrongSecret_IsSignatureError_AndWrongAppKey_IsNamed()
    {
        await using var emulator = await SpeechProviderEmulator.StartAsync();
        var (bad, s1) = Client(emulator, secret: "wrong");
        using var _ = s1;
        var e = await Assert.ThrowsAsync<SpeechRecognitionException>(() => bad.RecognizeShortAsync([1], "wav", 16000));
        Assert.Equal("SignatureDoesNotMatch", e.Code);
        var (noApp, s2) = Client(emulator, appKey: "other");
        using var __ = s2;
        var f = await Assert.ThrowsAsync<SpeechRecognitionException>(() => noApp.TranscribeFileAsync(new Uri("https://example.org/a.wav")));
        Assert.Equal("41050002", f.Code);
    }
}
