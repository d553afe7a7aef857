using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Speech;

public static class SpeechServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ISpeechRecognizer"/> for the provider named by <c>Workflows:Speech:Provider</c> (Aliyun, or
    /// None: <see cref="UnconfiguredSpeechRecognizer"/>), its HTTP client, and binds and validates <see cref="SpeechOptions"/> at start-up.
    /// </summary>
    public static IServiceCollection AddSpeechRecognition(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<SpeechOptions>().Bind(configuration.GetSection(SpeechOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SpeechOptions>, SpeechOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(AliyunSpeechClient.HttpClientName);
        services.TryAddSingleton<AliyunSpeechClient>();
        services.TryAddSingleton<AliyunSpeechRecognizer>();
        services.TryAddSingleton<UnconfiguredSpeechRecognizer>();
        services.TryAddSingleton<ISpeechRecognizer>(sp => sp.GetRequiredService<IOptions<SpeechOptions>>().Value.Provider switch
        {
            SpeechProvider.Aliyun => sp.GetRequiredService<AliyunSpeechRecognizer>(),
            _ => sp.GetRequiredService<UnconfiguredSpeechRecognizer>(),
        });
        return services;
    }
}

/// <summary>With the Aliyun provider, its keys and addresses must be set; named by their setting.</summary>
internal sealed class SpeechOptionsValidator : IValidateOptions<SpeechOptions>
{
    public ValidateOptionsResult Validate(string? name, SpeechOptions options)
    {
        var failures = new List<string>();
        const string S = SpeechOptions.Section;
        static bool Http(Uri? uri) => uri is { IsAbsoluteUri: true } && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
        if (options.Provider == SpeechProvider.Aliyun)
        {
            var a = options.Aliyun;
            if (!Http(a.TokenEndpoint) || !Http(a.ShortSentenceEndpoint) || !Http(a.FileTranscriptionEndpoint))
            {
                failures.Add($"{S}:Aliyun:TokenEndpoint / ShortSentenceEndpoint / FileTranscriptionEndpoint 必须是 http(s) 地址 (must be absolute http(s) URLs).");
            }

            foreach (var (value, setting) in new[] { (a.AccessKeyId, "AccessKeyId"), (a.AccessKeySecret, "AccessKeySecret"), (a.AppKey, "AppKey"), (a.RegionId, "RegionId") })
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    failures.Add($"{S}:Aliyun:{setting} 未设置 (is required when Provider is Aliyun).");
                }
            }
        }

        if (options.PublicBaseUrl is { } publicUrl && !Http(publicUrl))
        {
            failures.Add($"{S}:PublicBaseUrl 必须是 http(s) 地址 (must be an absolute http(s) URL).");
        }

        if (options.ShortSentenceMaxDuration > options.MaxDuration)
        {
            failures.Add($"{S}:ShortSentenceMaxDuration 不能大于 MaxDuration (must not exceed MaxDuration).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
