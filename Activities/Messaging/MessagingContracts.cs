namespace ComplaintWorkflows.Activities.Messaging;

// The contract between the processes and the delivery channels (issue "SMS and email"): processes and
// activities ask INotificationService for a notification; the notification service stores it durably and
// delivers it after commit through ISmsSender / IEmailSender, at least once, never making a second message
// for the same Key. Issue 7 (emergency plans) and the survey process use only INotificationService.

/// <summary>The channel a notification goes out on.</summary>
public enum MessageChannel
{
    Sms,
    Email,
}

/// <summary>Who a notification is for: a consumer (phone, email) or a staff member (user name, resolved to their contacts).</summary>
public sealed record NotificationRecipient
{
    public string? UserName { get; init; }

    public string? PhoneNumber { get; init; }

    public string? Email { get; init; }

    /// <summary>The channel the recipient chose; null lets the service pick what the recipient has.</summary>
    public MessageChannel? Channel { get; init; }
}

/// <summary>
/// A notification to send. <see cref="Key"/> is its identity: asking twice with the same key (a retried job,
/// a re-run activity) sends one message. <see cref="Template"/> names an administrator-editable template
/// (for example <c>complaint.accepted</c>, <c>survey.invitation</c>, <c>emergency.alert</c>) filled from
/// <see cref="Values"/>.
/// </summary>
public sealed record NotificationRequest
{
    public required string Key { get; init; }

    public required string Template { get; init; }

    public required NotificationRecipient Recipient { get; init; }

    public IReadOnlyDictionary<string, string> Values { get; init; } = new Dictionary<string, string>();

    /// <summary>The complaint (or incident) the notification is about, for the file's timeline; optional.</summary>
    public long? ComplaintId { get; init; }

    /// <summary>
    /// The id of what the notification is about as text (complaint ids are text); when set it is stored instead of
    /// <see cref="ComplaintId"/>. Added for the complaint processes.
    /// </summary>
    public string? Reference { get; init; }

    /// <summary>Send no earlier than this (a reminder planned ahead); null: as soon as possible.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>True for a drill (演练): the message is marked as such in its text and its record.</summary>
    public bool Drill { get; init; }
}

/// <summary>Accepts notifications for durable, idempotent delivery after the caller's work commits.</summary>
public interface INotificationService
{
    Task EnqueueAsync(NotificationRequest request, CancellationToken cancellationToken = default);
}

/// <summary>One SMS from a provider template. <see cref="MessageId"/> becomes the provider's OutId.</summary>
public sealed record OutgoingSms(string MessageId, string PhoneNumber, string TemplateCode, IReadOnlyDictionary<string, string> Parameters);

/// <summary>How a send ended, as the caller must act on it.</summary>
public enum SmsSendOutcome
{
    /// <summary>Accepted by the provider.</summary>
    Sent,

    /// <summary>Rate limited or a transient failure: try again later.</summary>
    RetryLater,

    /// <summary>The number is invalid: stop retrying, raise a task for staff.</summary>
    InvalidNumber,

    /// <summary>Balance, suspension, quota: stop retrying, raise an incident.</summary>
    AccountProblem,

    /// <summary>Refused for its content, template or parameters: stop retrying, raise an incident.</summary>
    Rejected,
}

public sealed record SmsSendResult(SmsSendOutcome Outcome, string? ProviderMessageId = null, string? ErrorCode = null, string? ErrorMessage = null, TimeSpan? RetryAfter = null);

/// <summary>An SMS provider (Alibaba Cloud, Tencent Cloud), chosen by configuration.</summary>
public interface ISmsSender
{
    Task<SmsSendResult> SendAsync(OutgoingSms message, CancellationToken cancellationToken = default);
}

/// <summary>One email, HTML with a plain-text alternative. <see cref="MessageId"/> becomes its Message-ID.</summary>
public sealed record OutgoingEmail(string MessageId, string To, string Subject, string HtmlBody, string TextBody);

/// <summary>Sends one email; a failure the caller must act on is an <see cref="EmailDeliveryException"/> (anything else is retried later).</summary>
public interface IEmailSender
{
    Task SendAsync(OutgoingEmail message, CancellationToken cancellationToken = default);
}

/// <summary>
/// Optional for an <see cref="ISmsSender"/>: the provider it speaks to (<c>aliyun</c>, <c>tencent</c>), so the notification
/// service picks the template code that provider approved (templates hold one code per provider).
/// </summary>
public interface INamedSmsSender : ISmsSender
{
    string Provider { get; }
}

/// <summary>An email that could not be sent, with what the caller must do about it (the same outcomes as an SMS).</summary>
public sealed class EmailDeliveryException : Exception
{
    public EmailDeliveryException()
        : this(SmsSendOutcome.RetryLater, "email delivery failed")
    {
    }

    public EmailDeliveryException(string message)
        : this(SmsSendOutcome.RetryLater, message)
    {
    }

    public EmailDeliveryException(string message, Exception innerException)
        : this(SmsSendOutcome.RetryLater, message, null, innerException)
    {
    }

    public EmailDeliveryException(SmsSendOutcome outcome, string message, string? errorCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Outcome = outcome;
        ErrorCode = errorCode;
    }

    public SmsSendOutcome Outcome { get; }

    public string? ErrorCode { get; }
}
