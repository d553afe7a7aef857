using System.ComponentModel.DataAnnotations;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ComplaintWorkflows.Activities.Messaging;

/// <summary>How the SMTP connection is secured.</summary>
public enum SmtpSecurity
{
    /// <summary>Plain SMTP (a relay on the same machine or a test server).</summary>
    None,

    /// <summary>Upgrade with STARTTLS; refuse a server that does not offer it (port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (SMTPS, port 465).</summary>
    Tls,

    /// <summary>STARTTLS when the server offers it.</summary>
    StartTlsWhenAvailable,
}

/// <summary>The <c>Workflows:Email</c> section: the SMTP server email goes out through.</summary>
public sealed class EmailOptions
{
    public const string Section = "Workflows:Email";

    /// <summary>The SMTP server; empty: no email is sent (email notifications wait, see <see cref="UnconfiguredEmailSender"/>).</summary>
    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    /// <summary>Sign in with this user (and <see cref="Password"/>) when set.</summary>
    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>The sender's address (From).</summary>
    [Required]
    [EmailAddress]
    public string FromAddress { get; set; } = "noreply@12315.example";

    /// <summary>The sender's name as consumers see it.</summary>
    [Required]
    public string FromName { get; set; } = "12315投诉举报中心";

    /// <summary>Connecting, signing in and sending one message must end within this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The domain of Message-IDs (<c>&lt;id@domain&gt;</c>); default: the sender's domain.</summary>
    public string? MessageIdDomain { get; set; }
}

/// <summary>
/// Sends email through an SMTP server with MailKit: STARTTLS or TLS, optional sign-in, a configured sender, HTML with a
/// plain-text alternative (UTF-8, so Chinese subjects and bodies arrive intact), the message id as Message-ID. Failures
/// become <see cref="EmailDeliveryException"/>s saying what to do: a refused recipient is an invalid address; refused
/// credentials an account problem; a passing failure (4xx, network, timeout) is retried later.
/// </summary>
public sealed partial class MailKitEmailSender(IOptions<EmailOptions> options, ILogger<MailKitEmailSender> logger) : IEmailSender
{
    public async Task SendAsync(OutgoingEmail message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var o = options.Value;
        var mime = Build(message, o);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(o.Timeout);
        using var client = new SmtpClient { Timeout = (int)o.Timeout.TotalMilliseconds };
        try
        {
            var security = o.Security switch
            {
                SmtpSecurity.None => SecureSocketOptions.None,
                SmtpSecurity.Tls => SecureSocketOptions.SslOnConnect,
                SmtpSecurity.StartTlsWhenAvailable => SecureSocketOptions.StartTlsWhenAvailable,
                _ => SecureSocketOptions.StartTls,
            };
            await client.ConnectAsync(o.Host ?? throw new EmailDeliveryException(SmsSendOutcome.AccountProblem, $"{EmailOptions.Section}:Host 未配置 (no SMTP server configured).", "smtp-config"), o.Port, security, timeout.Token).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(o.UserName))
            {
                await client.AuthenticateAsync(o.UserName, o.Password ?? "", timeout.Token).ConfigureAwait(false);
            }

            await client.SendAsync(mime, timeout.Token).ConfigureAwait(false);
            await client.DisconnectAsync(true, timeout.Token).ConfigureAwait(false);
            LogSent(logger, message.MessageId, o.Host);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new EmailDeliveryException(SmsSendOutcome.RetryLater, $"SMTP 服务器 {o.Host}:{o.Port} 在 {o.Timeout.TotalSeconds:0} 秒内未完成发送 (the SMTP server did not answer in time).", "smtp-timeout", e);
        }
        catch (SmtpCommandException e)
        {
            var permanent = (int)e.StatusCode >= 500;
            var outcome = e.ErrorCode switch
            {
                SmtpErrorCode.RecipientNotAccepted when permanent => SmsSendOutcome.InvalidNumber,
                SmtpErrorCode.SenderNotAccepted when permanent => SmsSendOutcome.AccountProblem,
                SmtpErrorCode.MessageNotAccepted when permanent => SmsSendOutcome.Rejected,
                _ => SmsSendOutcome.RetryLater,
            };
            throw new EmailDeliveryException(outcome, $"SMTP 服务器拒绝 ({(int)e.StatusCode} {e.ErrorCode}): {e.Message}", $"smtp-{(int)e.StatusCode}", e);
        }
        catch (AuthenticationException e)
        {
            throw new EmailDeliveryException(SmsSendOutcome.AccountProblem, $"SMTP 登录失败，请检查 {EmailOptions.Section}:UserName/Password (SMTP sign-in refused): {e.Message}", "smtp-auth", e);
        }
        catch (SslHandshakeException e)
        {
            throw new EmailDeliveryException(SmsSendOutcome.AccountProblem, $"与 SMTP 服务器的 TLS 握手失败，请检查 {EmailOptions.Section}:Security 与端口 (TLS handshake failed): {e.Message}", "smtp-tls", e);
        }
        catch (NotSupportedException e)
        {
            throw new EmailDeliveryException(SmsSendOutcome.AccountProblem, $"SMTP 服务器不支持所需功能（如 STARTTLS 或登录） (the server does not support what is configured): {e.Message}", "smtp-unsupported", e);
        }
        catch (Exception e) when (e is SmtpProtocolException or ServiceNotConnectedException or IOException or SocketException or TimeoutException)
        {
            throw new EmailDeliveryException(SmsSendOutcome.RetryLater, $"无法连接或与 SMTP 服务器 {o.Host}:{o.Port} 通信中断 (SMTP connection failed): {e.Message}", "smtp-connection", e);
        }
    }

    /// <summary>The MIME message: From, To, Subject, Message-ID and date, multipart/alternative of text and HTML in UTF-8.</summary>
    public static MimeMessage Build(OutgoingEmail message, EmailOptions options)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(options);
        if (!MailboxAddress.TryParse(message.To, out var to) || to.Address.IndexOf('@', StringComparison.Ordinal) <= 0)
        {
            throw new EmailDeliveryException(SmsSendOutcome.InvalidNumber, $"收件人邮箱“{PersonalDataMask.Contact(message.To)}”格式不正确 (the address is not valid).", "invalid-address");
        }

        var mime = new MimeMessage();
        mime.From.Add(new MailboxAddress(options.FromName, options.FromAddress));
        mime.To.Add(to);
        mime.Subject = message.Subject;
        var domain = options.MessageIdDomain ?? options.FromAddress[(options.FromAddress.IndexOf('@', StringComparison.Ordinal) + 1)..];
        mime.MessageId = $"{message.MessageId}@{domain}";
        var body = new BodyBuilder { TextBody = message.TextBody, HtmlBody = message.HtmlBody };
        mime.Body = body.ToMessageBody();
        return mime;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Email {MessageId} handed to {Host}")]
    private static partial void LogSent(ILogger logger, string messageId, string? host);
}
