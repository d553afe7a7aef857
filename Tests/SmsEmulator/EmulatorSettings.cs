namespace ComplaintWorkflows.SmsEmulator;

/// <summary>The configuration that points the product's SMS senders at an emulator: its address, its keys and the template codes it knows.</summary>
public static class EmulatorSettings
{
    /// <summary>
    /// Settings (<c>Workflows:Sms:*</c>) to send through <paramref name="emulator"/> as <paramref name="provider"/>
    /// (<c>Aliyun</c> or <c>Tencent</c>), with the survey invitation's template on both; callers add more templates.
    /// </summary>
    public static Dictionary<string, string?> For(SmsProviderEmulator emulator, string provider = "Aliyun")
    {
        ArgumentNullException.ThrowIfNull(emulator);
        var endpoint = emulator.BaseAddress.ToString();
        return new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Workflows:Sms:Provider"] = provider,
            ["Workflows:Sms:Aliyun:Endpoint"] = endpoint,
            ["Workflows:Sms:Aliyun:AccessKeyId"] = SmsProviderEmulator.AliyunAccessKeyId,
            ["Workflows:Sms:Aliyun:AccessKeySecret"] = SmsProviderEmulator.AliyunAccessKeySecret,
            ["Workflows:Sms:Aliyun:SignName"] = SmsProviderEmulator.SignName,
            ["Workflows:Sms:Aliyun:Templates:survey.invitation"] = "SMS_480000001",
            ["Workflows:Sms:Tencent:Endpoint"] = endpoint,
            ["Workflows:Sms:Tencent:SecretId"] = SmsProviderEmulator.TencentSecretId,
            ["Workflows:Sms:Tencent:SecretKey"] = SmsProviderEmulator.TencentSecretKey,
            ["Workflows:Sms:Tencent:SmsSdkAppId"] = SmsProviderEmulator.TencentSdkAppId,
            ["Workflows:Sms:Tencent:SignName"] = SmsProviderEmulator.SignName,
            ["Workflows:Sms:Tencent:Templates:survey.invitation"] = "2000001",
            ["Workflows:Sms:Tencent:TemplateParameters:survey.invitation:0"] = "trackingNumber",
        };
    }
}
