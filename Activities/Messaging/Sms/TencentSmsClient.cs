using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Messaging.Sms;

/// <summary>SendSms (2021-01-11): one template to up to 200 numbers in E.164 (<c>+8613800000000</c>).</summary>
public sealed record TencentSendSmsRequest(IReadOnlyList<string> PhoneNumberSet, string SmsSdkAppId, string TemplateId, string SignName)
{
    /// <summary>The template's positional parameters {1}, {2}, ...</summary>
    public IReadOnlyList<string> TemplateParamSet { get; init; } = [];

    public string? ExtendCode { get; init; }

    /// <summary>Echoed back in receipts and replies: our message id.</summary>
    public string? SessionContext { get; init; }
}

/// <summary>The outcome for one number: <c>Code == "Ok"</c> is success.</summary>
public sealed record TencentSendStatus(string? SerialNo, string PhoneNumber, string Code, string? Message, string? SessionContext);

/// <summary>SendSms' answer: either <see cref="ErrorCode"/> (the whole request failed) or one status per number.</summary>
public sealed record TencentSendSmsResponse(string? RequestId, string? ErrorCode, string? ErrorMessage, IReadOnlyList<TencentSendStatus> SendStatusSet);

/// <summary>
/// Tencent Cloud SMS (API 2021-01-11) over plain HTTP: POST of a JSON body with <c>X-TC-*</c> headers, signed with
/// TC3-HMAC-SHA256 (<see cref="TencentSignature"/>) over <c>content-type</c> and <c>host</c>. Keys from
/// <c>Workflows:Sms:Tencent</c>; never logged.
/// </summary>
public sealed class TencentSmsClient(IHttpClientFactory httpClients, IOptions<SmsOptions> options, TimeProvider time)
{
    public const string HttpClientName = "sms-tencent";
    public const string ApiVersion = "2021-01-11";
    public const string Service = "sms";
    private const string ContentType = "application/json; charset=utf-8";

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public async Task<TencentSendSmsResponse> SendSmsAsync(TencentSendSmsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var payload = JsonSerializer.Serialize(new
        {
            request.PhoneNumberSet,
            request.SmsSdkAppId,
            request.TemplateId,
            request.SignName,
            request.TemplateParamSet,
            request.ExtendCode,
            request.SessionContext,
        }, Json);
        var response = await CallAsync("SendSms", payload, cancellationToken).ConfigureAwait(false);
        var statuses = new List<TencentSendStatus>();
        if (response.TryGetProperty("SendStatusSet", out var set) && set.ValueKind == JsonValueKind.Array)
        {
            foreach (var s in set.EnumerateArray())
            {
                statuses.Add(new TencentSendStatus(AliyunSmsClient.Text(s, "SerialNo"), AliyunSmsClient.Text(s, "PhoneNumber") ?? "", AliyunSmsClient.Text(s, "Code") ?? "", AliyunSmsClient.Text(s, "Message"), AliyunSmsClient.Text(s, "SessionContext")));
            }
        }

        string? errorCode = null, errorMessage = null;
        if (response.TryGetProperty("Error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            errorCode = AliyunSmsClient.Text(error, "Code");
            errorMessage = AliyunSmsClient.Text(error, "Message");
        }

        return new TencentSendSmsResponse(AliyunSmsClient.Text(response, "RequestId"), errorCode, errorMessage, statuses);
    }

    private async Task<JsonElement> CallAsync(string action, string payload, CancellationToken cancellationToken)
    {
        var o = options.Value.Tencent;
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        var host = o.Endpoint.Authority;
        var authorization = TencentSignature.Authorization(
            o.SecretId ?? throw new InvalidOperationException($"{SmsOptions.Section}:Tencent:SecretId is not set."),
            o.SecretKey ?? throw new InvalidOperationException($"{SmsOptions.Section}:Tencent:SecretKey is not set."),
            timestamp, Service, [new("content-type", ContentType), new("host", host)], payload);

        var http = httpClients.CreateClient(HttpClientName);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.RequestTimeout);
        try
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, o.Endpoint);
            message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(payload));
            message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType);
            message.Headers.Host = host;
            message.Headers.TryAddWithoutValidation("Authorization", authorization);
            message.Headers.Add("X-TC-Action", action);
            message.Headers.Add("X-TC-Version", ApiVersion);
            message.Headers.Add("X-TC-Region", o.Region);
            message.Headers.Add("X-TC-Timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
            using var response = await http.SendAsync(message, timeout.Token).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            if ((int)response.StatusCode >= 500)
            {
                throw new SmsProviderUnavailableException($"Tencent Cloud SMS {action} answered HTTP {(int)response.StatusCode}.");
            }

            try
            {
                using var json = JsonDocument.Parse(text);
                return json.RootElement.TryGetProperty("Response", out var inner) && inner.ValueKind == JsonValueKind.Object
                    ? inner.Clone()
                    : throw new SmsProviderUnavailableException($"Tencent Cloud SMS {action} answered HTTP {(int)response.StatusCode} without a Response object.");
            }
            catch (JsonException e)
            {
                throw new SmsProviderUnavailableException($"Tencent Cloud SMS {action} answered HTTP {(int)response.StatusCode} with a body that is not JSON.", e);
            }
        }
        catch (HttpRequestException e)
        {
            throw new SmsProviderUnavailableException($"Tencent Cloud SMS {action} could not be reached ({e.HttpRequestError}).", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SmsProviderUnavailableException($"Tencent Cloud SMS {action} did not answer within {options.Value.RequestTimeout}.", e);
        }
    }
}
