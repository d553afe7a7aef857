using System.Text;
using ComplaintWorkflows.Activities.Messaging.Sms;
using ComplaintWorkflows.SmsEmulator;

namespace ComplaintWorkflows.Activities.Tests.Messaging;

/// <summary>The providers' documented signature examples, for our client and for the emulator's own verifier.</summary>
public sealed class SmsSignatureTests
{
    /// <summary>Alibaba's SMS signature example (https://help.aliyun.com/document_detail/56189.html), GET, secret "testSecret".</summary>
    private static readonly Dictionary<string, string> AliyunExample = new(StringComparer.Ordinal)
    {
        ["AccessKeyId"] = "testId",
        ["Action"] = "SendSms",
        ["Format"] = "XML",
        ["OutId"] = "123",
        ["PhoneNumbers"] = "15300000001",
        ["RegionId"] = "cn-hangzhou",
        ["SignName"] = "阿里云短信测试专用",
        ["SignatureMethod"] = "HMAC-SHA1",
        ["SignatureNonce"] = "45e25e9b-0a6f-4070-8c85-2956eda1b466",
        ["SignatureVersion"] = "1.0",
        ["TemplateCode"] = "SMS_71390007",
        ["TemplateParam"] = "{\"customer\":\"test\"}",
        ["Timestamp"] = "2017-07-12T02:42:19Z",
        ["Version"] = "2017-05-25",
    };

    // Tencent Cloud API 3.0 "Signature v3" example (CVM DescribeInstances, the same page in every product's API docs):
    // SecretKey Gu5t9xGARNpq86cd98joQYCN3EXAMPLE, X-TC-Timestamp 1551113065, this exact body, headers content-type and host.
    private const string TencentPayload = "{\"Limit\": 1, \"Filters\": [{\"Values\": [\"\\u672a\\u547d\\u540d\"], \"Name\": \"instance-name\"}]}";
    private const string TencentSecretKey = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
    private const long TencentTimestamp = 1551113065;

    [Fact]
    public void AliyunV1_MatchesTheDocumentedExample()
    {
        var signature = AliyunSignature.Sign("GET", AliyunExample, "testSecret");

        Assert.Equal("zJDF+Lrzhj/ThnlvIToysFRq6t4=", signature);
        Assert.Equal("zJDF%2BLrzhj%2FThnlvIToysFRq6t4%3D", PercentEncoding.Encode(signature));
    }

    [Fact]
    public void AliyunV1_TheEmulatorsOwnComputation_MatchesTheDocumentedExample_AndAnotherSecretDoesNot()
    {
        Assert.Equal("zJDF+Lrzhj/ThnlvIToysFRq6t4=", EmulatorSignatures.AliyunV1("GET", AliyunExample, "testSecret"));
        Assert.NotEqual("zJDF+Lrzhj/ThnlvIToysFRq6t4=", EmulatorSignatures.AliyunV1("GET", AliyunExample, "testsecret"));
        Assert.NotEqual("zJDF+Lrzhj/ThnlvIToysFRq6t4=", AliyunSignature.Sign("POST", AliyunExample, "testSecret"));
    }

    [Theory]
    [InlineData("a b", "a%20b")]
    [InlineData("a*b", "a%2Ab")]
    [InlineData("a~b-_.", "a~b-_.")]
    [InlineData("a+b", "a%2Bb")]
    [InlineData("{\"k\":\"v\"}", "%7B%22k%22%3A%22v%22%7D")]
    [InlineData("满意", "%E6%BB%A1%E6%84%8F")]
    [InlineData("/=&", "%2F%3D%26")]
    public void PercentEncoding_IsRfc3986WithUpperCaseHex(string value, string expected)
    {
        Assert.Equal(expected, PercentEncoding.Encode(value));
        Assert.Equal(expected, EmulatorSignatures.Escape(value));
    }

    [Fact]
    public void TencentTc3_MatchesTheDocumentedExample_StepByStep()
    {
        KeyValuePair<string, string>[] headers = [new("content-type", "application/json; charset=utf-8"), new("host", "cvm.tencentcloudapi.com")];

        var canonical = TencentSignature.CanonicalRequest("POST", "", headers, TencentPayload);
        var stringToSign = TencentSignature.StringToSign(TencentTimestamp, "cvm", canonical);
        var signature = TencentSignature.Sign(TencentSecretKey, TencentTimestamp, "cvm", stringToSign);

        Assert.Equal("35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064", TencentSignature.Sha256Hex(TencentPayload));
        Assert.Equal("POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064", canonical);
        Assert.Equal("TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031", stringToSign);
        Assert.Equal("72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168", signature);
        Assert.Equal(
            "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168",
            TencentSignature.Authorization("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", TencentSecretKey, TencentTimestamp, "cvm", headers, TencentPayload));
    }

    [Fact]
    public void TencentTc3_TheEmulatorsOwnComputation_MatchesTheDocumentedExample()
    {
        (string, string)[] headers = [("host", "cvm.tencentcloudapi.com"), ("content-type", "application/json; charset=utf-8")];

        Assert.Equal("72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168",
            EmulatorSignatures.TencentTc3(TencentSecretKey, "cvm", TencentTimestamp, headers, Encoding.UTF8.GetBytes(TencentPayload)));
        Assert.NotEqual("72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168",
            EmulatorSignatures.TencentTc3(TencentSecretKey, "cvm", TencentTimestamp + 86_400, headers, Encoding.UTF8.GetBytes(TencentPayload)));
    }
}
