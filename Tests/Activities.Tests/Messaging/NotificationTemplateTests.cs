using ComplaintWorkflows.Activities.Messaging;

namespace ComplaintWorkflows.Activities.Tests.Messaging;

public sealed class NotificationTemplateTests
{
    private static readonly Dictionary<string, string> Values = new()
    {
        ["consumerName"] = "张三",
        ["trackingNumber"] = "TS20261123000001",
        ["respondentName"] = "小王<数码>店",
        ["surveyUrl"] = "http://localhost:5080/survey/?token=abc.def",
        ["expiresAt"] = "2026年12月7日 10:00",
    };

    [Fact]
    public void Render_FillsEveryText_EncodingValuesInHtmlOnly()
    {
        var template = DefaultNotificationTemplates.All.Single(t => t.Key == DefaultNotificationTemplates.SurveyInvitation);

        var rendered = NotificationTemplateService.Render(template, Values, drill: false);

        Assert.Contains("张三您好", rendered.SmsText, StringComparison.Ordinal);
        Assert.Contains("http://localhost:5080/survey/?token=abc.def", rendered.SmsText, StringComparison.Ordinal);
        Assert.Equal("请评价您的投诉处理（受理号 TS20261123000001）", rendered.EmailSubject);
        Assert.Contains("“小王<数码>店”", rendered.EmailText, StringComparison.Ordinal);
        Assert.Contains("小王&lt;数码&gt;店", rendered.EmailHtml, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\{[A-Za-z]", rendered.EmailHtml + rendered.EmailText + rendered.SmsText + rendered.EmailSubject);
        Assert.Equal(["consumerName", "trackingNumber", "respondentName", "surveyUrl", "expiresAt"], rendered.SmsParameters.Keys);
    }

    [Fact]
    public void Render_InADrill_MarksEveryText()
    {
        var template = DefaultNotificationTemplates.All.Single(t => t.Key == DefaultNotificationTemplates.EmergencyAlert);

        var rendered = NotificationTemplateService.Render(template, new Dictionary<string, string> { ["displayName"] = "周建国", ["level"] = "IV", ["title"] = "预付卡群体投诉", ["text"] = "请到场" }, drill: true);

        Assert.StartsWith("【演练】", rendered.SmsText, StringComparison.Ordinal);
        Assert.StartsWith("【演练】", rendered.EmailSubject, StringComparison.Ordinal);
        Assert.Contains("应急演练", rendered.EmailText, StringComparison.Ordinal);
        Assert.Contains("应急演练", rendered.EmailHtml, StringComparison.Ordinal);
        Assert.Single(rendered.SmsText.Split("【演练】"), p => p.Length == 0);
    }

    [Fact]
    public void Render_NamesTheValuesThatAreMissing()
    {
        var template = DefaultNotificationTemplates.All.Single(t => t.Key == DefaultNotificationTemplates.SurveyReminder);

        var e = Assert.Throws<NotificationTemplateException>(() => NotificationTemplateService.Render(template, new Dictionary<string, string> { ["consumerName"] = "张三" }, drill: false));

        Assert.Contains("trackingNumber", e.Message, StringComparison.Ordinal);
        Assert.Contains("surveyUrl", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShippedTemplates_AreValid()
    {
        foreach (var template in DefaultNotificationTemplates.All)
        {
            NotificationTemplateService.Validate(template);
        }
    }

    [Fact]
    public void Validate_NamesEveryProblem_ByField()
    {
        var template = new NotificationTemplate
        {
            Key = "Bad Key",
            Name = "",
            Placeholders = ["ok", "9bad"],
            SmsText = "{ok} {unknown}",
            SmsTemplateCodes = new Dictionary<string, string> { ["Aliyun"] = "SMS_1" },
            EmailSubject = "",
            EmailHtml = "<p>{ok}</p>",
            EmailText = "{alsoUnknown}",
        };

        var e = Assert.Throws<NotificationTemplateException>(() => NotificationTemplateService.Validate(template));

        Assert.Equal(["emailSubject", "emailText", "key", "name", "placeholders", "smsTemplateCodes", "smsText"], e.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("{unknown}", e.Errors["smsText"][0], StringComparison.Ordinal);
        Assert.Contains("{alsoUnknown}", e.Errors["emailText"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void MessageId_IsStablePerKey_AndDiffersBetweenKeys()
    {
        Assert.Equal(NotificationService.MessageIdOf("a:b:0"), NotificationService.MessageIdOf("a:b:0"));
        Assert.NotEqual(NotificationService.MessageIdOf("a:b:0"), NotificationService.MessageIdOf("a:b:1"));
        Assert.Matches("^cw[0-9a-f]{30}$", NotificationService.MessageIdOf("a:b:0"));
    }

    [Fact]
    public void Masking_KeepsLogsFreeOfFullContacts()
    {
        Assert.Equal("138****5678", PersonalDataMask.Contact("13812345678"));
        Assert.Equal("z***@example.com", PersonalDataMask.Contact("zhangsan@example.com"));
    }
}
