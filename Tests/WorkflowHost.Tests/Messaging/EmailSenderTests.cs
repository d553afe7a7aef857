using System.Net;
using System.Net.Sockets;
using ComplaintWorkflows.Activities.Messaging;
using ComplaintWorkflows.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.WorkflowHost.Tests.Messaging;

/// <summary>MailKit against the real SMTP server on loopback: what arrives, and what a failure says.</summary>
public sealed class EmailSenderTests
{
    private static MailKitEmailSender Sender(Action<EmailOptions>? change = null)
    {
        var options = new EmailOptions
        {
            Host = MailDev.Smtp.Host,
            Port = MailDev.Smtp.Port,
            Security = SmtpSecurity.None,
            UserName = MailDev.User,
            Password = MailDev.Password,
            FromAddress = "noreply@12315.example",
            FromName = "温州市12315投诉举报中心",
            Timeout = TimeSpan.FromSeconds(10),
        };
        change?.Invoke(options);
        return new MailKitEmailSender(Options.Create(options), NullLogger<MailKitEmailSender>.Instance);
    }

    [Fact]
    public async Task ChineseEmail_ArrivesWithSubjectHtmlTextSenderAndMessageId()
    {
        var to = MailDev.NewAddress();
        var id = NotificationService.MessageIdOf("test:" + to);

        await Sender().SendAsync(new OutgoingEmail(id, to, "请评价您的投诉处理（受理号 TS20261123000001）",
            "<p>张三您好：</p><p>您的投诉<b>已办结</b>。</p>", "张三您好：\n您的投诉已办结。"));

        var message = Assert.Single(await MailDev.MessagesToAsync(to));
        Assert.Equal("请评价您的投诉处理（受理号 TS20261123000001）", message.GetProperty("subject").GetString());
        Assert.Contains("<b>已办结</b>", message.GetProperty("html").GetString(), StringComparison.Ordinal);
        Assert.Contains("您的投诉已办结。", message.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal($"<{id}@12315.example>", message.GetProperty("headers").GetProperty("message-id").GetString());
        var from = message.GetProperty("from")[0];
        Assert.Equal("noreply@12315.example", from.GetProperty("address").GetString());
        Assert.Equal("温州市12315投诉举报中心", from.GetProperty("name").GetString());
    }

    [Fact]
    public async Task WrongPassword_IsAnAccountProblem_AndNothingArrives()
    {
        var to = MailDev.NewAddress();

        var e = await Assert.ThrowsAsync<EmailDeliveryException>(() => Sender(o => o.Password = "not-the-password")
            .SendAsync(new OutgoingEmail("cwwrongpassword", to, "主题", "<p>正文</p>", "正文")));

        Assert.Equal(SmsSendOutcome.AccountProblem, e.Outcome);
        Assert.Equal("smtp-auth", e.ErrorCode);
        Assert.Empty(await MailDev.MessagesToAsync(to));
    }

    [Fact]
    public async Task NoServerListening_IsRetriedLater()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var e = await Assert.ThrowsAsync<EmailDeliveryException>(() => Sender(o => o.Port = port)
            .SendAsync(new OutgoingEmail("cwnoserver", MailDev.NewAddress(), "主题", "<p>正文</p>", "正文")));

        Assert.Equal(SmsSendOutcome.RetryLater, e.Outcome);
    }

    [Fact]
    public async Task MalformedAddress_IsAnInvalidRecipient()
    {
        var e = await Assert.ThrowsAsync<EmailDeliveryException>(() => Sender().SendAsync(new OutgoingEmail("cwbad", "not an address", "主题", "<p>正文</p>", "正文")));

        Assert.Equal(SmsSendOutcome.InvalidNumber, e.Outcome);
    }
}
