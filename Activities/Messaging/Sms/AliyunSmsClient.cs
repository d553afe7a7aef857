using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Messaging.Sms;

/// <summary>SendSms: one template to up to 1000 numbers (comma separated).</summary>
public sealed record AliyunSendSmsRequest(string PhoneNumbers, string SignName, string TemplateCode)
{
    /// <summary>The template's variables as a JSON object string, e.g. <c>{"code":"1234"}</c>.</summary>
    public string? TemplateParam { get; init; }

    public string? SmsUpExtendCode { get; init; }

    /// <summary>Our id of the message, echoed as <c>out_id</c> in delivery receipts and returned by QuerySendDetails.</summary>
    public string? OutId { get; init; }
}

/// <summary>SendBatchSms: one template to up to 100 numbers, each with its own signature and parameters.</summary>
public sealed record AliyunSendBatchSmsRequest(IReadOnlyList<string> PhoneNumbers, IReadOnlyList<string> SignNames, string TemplateCode)
{
    /// <summary>One JSON object per number.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>>? TemplateParams { get; init; }

    public IReadOnlyList<string>? SmsUpExtendCodes { get; init; }

    public string? OutId { get; init; }
}

/// <summary>QuerySendDetails: what happened to the messages sent to one number on one day (Beijing date, within 30 days).</summary>
public sealed record AliyunQuerySendDetailsRequest(string PhoneNumber, DateOnly SendDate, int PageSize = 50, int CurrentPage = 1)
{
    public string? BizId { get; init; }
}

/// <summary>The answer to SendSms / SendBatchSms. Only <c>Code == "OK"</c> is success.</summary>
public sealed record AliyunSendResponse(HttpStatusCode HttpStatus, string Code, string? Message, string? BizId, string? RequestId)
{
    public bool IsOk => string.Equals(Code, "OK", StringComparison.Ordinal);
}

/// <summary>One message in a QuerySendDetails answer; <see cref="SendStatus"/> 1 waiting, 2 failed, 3 delivered.</summary>
public sealed record AliyunSendDetail(string PhoneNum, int SendStatus, string? ErrCode, string? TemplateCode, string? Content, string? SendDate, string? ReceiveDate, string? OutId);

public sealed record AliyunQuerySendDetailsResponse(HttpStatusCode HttpStatus, string Code, string? Message, string? RequestId, int TotalCount, IReadOnlyList<AliyunSendDetail> Details)
{
    public bool IsOk => string.Equals(Code, "OK", StringComparison.Ordinal);
}

/// <summary>The provider could not be reached or answered with a server error: the outcome of the call is unknown.</summary>
public sealed class SmsProviderUnavailableException : Exception
{
    public SmsProviderUnavailableException()
    {
    }

    public SmsProviderUnavailableException(string message)
        : base(message)
    {
    }

    public SmsProviderUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Alibaba Cloud SMS (Dysmsapi, API version 2017-05-25) over plain HTTP: every parameter in the query string of a
/// POST, signed with signature V1 (<see cref="AliyunSignature"/>), JSON answers. The keys come from
/// <c>Workflows:Sms:Aliyun</c> and never appear in logs or exceptions.
/// </summary>
public sealed class AliyunSmsClient(IHttpClientFactory httpClients, IOptions<SmsOptions> options, TimeProvider time)
{
    public const string HttpClientName = "sms-aliyun";
    public const string ApiVersion = "2017-05-25";

    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    public async Task<AliyunSendResponse> SendSmsAsync(AliyunSendSmsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PhoneNumbers"] = request.PhoneNumbers,
            ["SignName"] = request.SignName,
            ["TemplateCode"] = request.TemplateCode,
        };
        AddIfSet(parameters, "TemplateParam", request.TemplateParam);
        AddIfSet(parameters, "SmsUpExtendCode", request.SmsUpExtendCode);
        AddIfSet(parameters, "OutId", request.OutId);
        var (status, body) = await CallAsync("SendSms", parameters, cancellationToken).ConfigureAwait(false);
        return SendResponse(status, body);
    }

    public async Task<AliyunSendResponse> SendBatchSmsAsync(AliyunSendBatchSmsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.PhoneNumbers.Count is 0 or > 100 || request.SignNames.Count != request.PhoneNumbers.Count)
        {
            throw new ArgumentException("SendBatchSms takes 1 to 100 numbers and one signature per number.", nameof(request));
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PhoneNumberJson"] = JsonSerializer.Serialize(request.PhoneNumbers),
            ["SignNameJson"] = JsonSerializer.Serialize(request.SignNames),
            ["TemplateCode"] = request.TemplateCode,
        };
        if (request.TemplateParams is { } templateParams)
        {
            parameters["TemplateParamJson"] = JsonSerializer.Serialize(templateParams);
        }

        if (request.SmsUpExtendCodes is { } extendCodes)
        {
            parameters["SmsUpExtendCodeJson"] = JsonSerializer.Serialize(extendCodes);
        }

        AddIfSet(parameters, "OutId", request.OutId);
        var (status, body) = await CallAsync("SendBatchSms", parameters, cancellationToken).ConfigureAwait(false);
        return SendResponse(status, body);
    }

    public async Task<AliyunQuerySendDetailsResponse> QuerySendDetailsAsync(AliyunQuerySendDetailsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PhoneNumber"] = request.PhoneNumber,
            ["SendDate"] = request.SendDate.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
            ["PageSize"] = Math.Clamp(request.PageSize, 1, 50).ToString(CultureInfo.InvariantCulture),
            ["CurrentPage"] = Math.Max(request.CurrentPage, 1).ToString(CultureInfo.InvariantCulture),
        };
        AddIfSet(parameters, "BizId", request.BizId);
        var (status, body) = await CallAsync("QuerySendDetails", parameters, cancellationToken).ConfigureAwait(false);
        var details = new List<AliyunSendDetail>();
        if (body.TryGetProperty("SmsSendDetailDTOs", out var dtos) && dtos.ValueKind == JsonValueKind.Object && dtos.TryGetProperty("SmsSendDetailDTO", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var d in list.EnumerateArray())
            {
                details.Add(new AliyunSendDetail(Text(d, "PhoneNum") ?? "", int.TryParse(Text(d, "SendStatus"), CultureInfo.InvariantCulture, out var s) ? s : 0,
                    Text(d, "ErrCode"), Text(d, "TemplateCode"), Text(d, "Content"), Text(d, "SendDate"), Text(d, "ReceiveDate"), Text(d, "OutId")));
            }
        }

        return new AliyunQuerySendDetailsResponse(status, Text(body, "Code") ?? "", Text(body, "Message"), Text(body, "RequestId"),
            int.TryParse(Text(body, "TotalCount"), CultureInfo.InvariantCulture, out var total) ? total : details.Count, details);
    }

    /// <summary>The Beijing date of an instant, as QuerySendDetails' SendDate counts days.</summary>
    public static DateOnly ChinaDate(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(ChinaOffset).DateTime);

    private async Task<(HttpStatusCode Status, JsonElement Body)> CallAsync(string action, Dictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        var o = options.Value.Aliyun;
        var query = AliyunRpc.SignedQuery("POST", action, ApiVersion, o.RegionId,
            o.AccessKeyId ?? throw new InvalidOperationException($"{SmsOptions.Section}:Aliyun:AccessKeyId is not set."),
            o.AccessKeySecret ?? throw new InvalidOperationException($"{SmsOptions.Section}:Aliyun:AccessKeySecret is not set."),
            parameters, time.GetUtcNow());
        var uri = new Uri(o.Endpoint, "?" + query);

        var http = httpClients.CreateClient(HttpClientName);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.RequestTimeout);
        try
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent([]) };
            using var response = await http.SendAsync(message, timeout.Token).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            if ((int)response.StatusCode >= 500)
            {
                throw new SmsProviderUnavailableException($"Alibaba Cloud SMS {action} answered HTTP {(int)response.StatusCode}.");
            }

            try
            {
                using var json = JsonDocument.Parse(text);
                return (response.StatusCode, json.RootElement.Clone());
            }
            catch (JsonException e)
            {
                throw new SmsProviderUnavailableException($"Alibaba Cloud SMS {action} answered HTTP {(int)response.StatusCode} with a body that is not JSON.", e);
            }
        }
        catch (HttpRequestException e)
        {
            throw new SmsProviderUnavailableException($"Alibaba Cloud SMS {action} could not be reached ({e.HttpRequestError}).", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SmsProviderUnavailableException($"Alibaba Cloud SMS {action} did not answer within {options.Value.RequestTimeout}.", e);
        }
    }

    private static AliyunSendResponse SendResponse(HttpStatusCode status, JsonElement body)
        => new(status, Text(body, "Code") ?? "", Text(body, "Message"), Text(body, "BizId"), Text(body, "RequestId"));

    private static void AddIfSet(Dictionary<string, string> parameters, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            parameters[name] = value;
        }
    }

    /// <summary>A property as text, whether the provider sent it as a string or a number.</summary>
    internal static string? Text(JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
                _ => null,
            }
            : null;
}
