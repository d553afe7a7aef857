using System.ComponentModel.DataAnnotations;

namespace ComplaintWorkflows.Activities.Messaging;

/// <summary>The <c>Workflows:Notifications</c> section: delivery of notifications and the survey link.</summary>
public sealed class NotificationOptions
{
    public const string Section = "Workflows:Notifications";

    /// <summary>Run the delivery worker in this host (off: another host delivers, or tests deliver by hand).</summary>
    public bool DeliveryEnabled { get; set; } = true;

    /// <summary>How often the worker looks for due notifications (it also wakes when this host stores one).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Notifications one worker takes at a time.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 20;

    /// <summary>How long a taken notification stays the worker's; another host takes it after this (a crashed host's work).</summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan LockDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Attempts before a notification that keeps failing for a passing reason (rate limit, network) is given up and an alert raised.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Delay before the first retry; each next retry waits twice as long, up to <see cref="RetryMaxDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMinutes(1);

    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(6);

    /// <summary>With no SMS provider or SMTP server configured, how often waiting notifications are looked at again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan NoProviderRetryInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The SMS provider whose template codes are used (<c>aliyun</c>, <c>tencent</c>) when the configured sender does not
    /// name its provider itself.
    /// </summary>
    [RegularExpression("^[a-z0-9-]{1,32}$")]
    public string? SmsProvider { get; set; }

    /// <summary>The process started for a notification that needs a person (invalid number, account problem).</summary>
    [Required]
    public string FailureProcessKey { get; set; } = "notification-failure";

    /// <summary>The task group that looks into account, quota and template problems (system administrators).</summary>
    [Required]
    public string AlertGroup { get; set; } = "administrator@wz-12315";

    /// <summary>The task group that corrects a consumer's contact when the complaint has no unit yet.</summary>
    [Required]
    public string DeskGroup { get; set; } = "intake_desk";

    /// <summary>The address consumers reach the product at (links in messages: tracking page, survey page).</summary>
    [Required]
    [Url]
    public string PublicBaseUrl { get; set; } = "http://localhost:5080";

    public SurveyOptions Survey { get; set; } = new();
}

/// <summary>The <c>Workflows:Notifications:Survey</c> section: the satisfaction survey's link and waits.</summary>
public sealed class SurveyOptions
{
    /// <summary>How long a survey link is accepted after it was sent.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "90.00:00:00")]
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How long the survey waits for an answer before the one reminder (ISO-8601 duration, as BPMN timers take).</summary>
    [Required]
    [RegularExpression(@"^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$")]
    public string FirstWait { get; set; } = "P3D";

    /// <summary>How long it waits after the reminder before staff call the consumer (回访).</summary>
    [Required]
    [RegularExpression(@"^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$")]
    public string ReminderWait { get; set; } = "P2D";

    /// <summary>The web survey page, relative to <see cref="NotificationOptions.PublicBaseUrl"/>; the token is appended.</summary>
    [Required]
    public string PagePath { get; set; } = "/survey/?token=";

    /// <summary>
    /// The HMAC key (base64, at least 32 bytes) signing survey links. Empty: a random key is made once and kept in the
    /// database, so every host on it accepts the links the others made.
    /// </summary>
    public string? SigningKey { get; set; }
}
