using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplaintWorkflows.Activities.Messaging;

/// <summary>
/// A notification template administrators edit (zh-CN): the SMS text with the code the SMS provider approved for it
/// (one per provider), and the email's subject, HTML and plain text. Texts name values as <c>{name}</c>; only the
/// template's <see cref="Placeholders"/> (and <c>{drillMark}</c>) may appear.
/// </summary>
public sealed class NotificationTemplate
{
    /// <summary>The name processes use, e.g. <c>survey.invitation</c>.</summary>
    public required string Key { get; set; }

    /// <summary>What administrators read in the list (Chinese).</summary>
    public required string Name { get; set; }

    public string? Description { get; set; }

    /// <summary>The values the texts may use.</summary>
    public List<string> Placeholders { get; set; } = [];

    public required string SmsText { get; set; }

    /// <summary>The provider's template code per provider (<c>aliyun</c> → <c>SMS_123456789</c>, <c>tencent</c> → <c>1234567</c>).</summary>
    public Dictionary<string, string> SmsTemplateCodes { get; set; } = new(StringComparer.Ordinal);

    public required string EmailSubject { get; set; }

    public required string EmailHtml { get; set; }

    public required string EmailText { get; set; }

    /// <summary>Shipped with the product (seeded); it can be edited but not deleted.</summary>
    public bool BuiltIn { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public string? UpdatedBy { get; set; }

    public long Version { get; set; }
}

internal sealed class NotificationTemplateConfiguration : IEntityTypeConfiguration<NotificationTemplate>
{
    public void Configure(EntityTypeBuilder<NotificationTemplate> builder)
    {
        builder.ToTable("cw_notification_template");
        builder.HasKey(t => t.Key);
        builder.Property(t => t.Key).HasMaxLength(64);
        builder.Property(t => t.Name).HasMaxLength(100);
        builder.Property(t => t.Description).HasMaxLength(500);
        builder.PrimitiveCollection(t => t.Placeholders);
        builder.Property(t => t.SmsText).HasMaxLength(1000);
        builder.Property(t => t.SmsTemplateCodes).HasConversion(
                v => System.Text.Json.JsonSerializer.Serialize(v, (System.Text.Json.JsonSerializerOptions?)null),
                v => System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(v, (System.Text.Json.JsonSerializerOptions?)null) ?? new Dictionary<string, string>(),
                new Microsoft.EntityFrameworkCore.ChangeTracking.ValueComparer<Dictionary<string, string>>(
                    (a, b) => a!.Count == b!.Count && !a.Except(b).Any(),
                    v => v.Aggregate(0, (h, p) => HashCode.Combine(h, p.Key.GetHashCode(StringComparison.Ordinal), p.Value.GetHashCode(StringComparison.Ordinal))),
                    v => new Dictionary<string, string>(v, StringComparer.Ordinal)))
            .HasMaxLength(1000);
        builder.Property(t => t.EmailSubject).HasMaxLength(300);
        builder.Property(t => t.EmailHtml).HasMaxLength(20000);
        builder.Property(t => t.EmailText).HasMaxLength(8000);
        builder.Property(t => t.UpdatedBy).HasMaxLength(64);
        builder.Property(t => t.Version).IsConcurrencyToken();
    }
}

/// <summary>The templates the product ships (seeded at start when missing; administrators' edits are kept).</summary>
public static class DefaultNotificationTemplates
{
    public const string Progress = "complaint.progress";
    public const string SurveyInvitation = "survey.invitation";
    public const string SurveyReminder = "survey.reminder";
    public const string StaffTask = "staff.task";
    public const string EmergencyAlert = "emergency.alert";

    /// <summary>Every template may use it: 【演练】 in a drill, empty otherwise.</summary>
    public const string DrillMark = "drillMark";

    private const string Style = "font-family:'PingFang SC','Microsoft YaHei',sans-serif;font-size:15px;line-height:1.7;color:#1f2328";

    public static IReadOnlyList<NotificationTemplate> All { get; } =
    [
        new()
        {
            Key = Progress,
            Name = "投诉进度通知",
            Description = "投诉每个阶段告知消费者进展（受理、调解、办结等）。Progress at each stage of a complaint.",
            Placeholders = ["consumerName", "trackingNumber", "respondentName", "text", "trackUrl"],
            SmsText = "{drillMark}【12315】{consumerName}您好，您的投诉（受理号{trackingNumber}）有新进展：{text}。查询：{trackUrl}",
            EmailSubject = "{drillMark}您的投诉（受理号 {trackingNumber}）有新进展",
            EmailHtml = $"<div style=\"{Style}\"><p>{{consumerName}}您好：</p><p>您对“{{respondentName}}”的投诉（受理号 <b>{{trackingNumber}}</b>）有新进展：</p><p style=\"padding:8px 12px;background:#f3f6fa;border-left:3px solid #1f6feb\">{{text}}</p><p>您可以随时<a href=\"{{trackUrl}}\">查询办理进度</a>。</p><p>12315 投诉举报中心</p></div>",
            EmailText = "{consumerName}您好：\n\n您对“{respondentName}”的投诉（受理号 {trackingNumber}）有新进展：\n{text}\n\n查询办理进度：{trackUrl}\n\n12315 投诉举报中心",
            BuiltIn = true,
        },
        new()
        {
            Key = SurveyInvitation,
            Name = "满意度回访邀请",
            Description = "办结后请消费者评价（网页链接，或直接回复短信 1-5）。Survey invitation after closure.",
            Placeholders = ["consumerName", "trackingNumber", "respondentName", "surveyUrl", "expiresAt"],
            SmsText = "{drillMark}【12315】{consumerName}您好，您的投诉（受理号{trackingNumber}）已办结。请回复数字评价：5非常满意 4满意 3一般 2不满意 1非常不满意，或点击 {surveyUrl} 填写评价（{expiresAt}前有效）。",
            EmailSubject = "{drillMark}请评价您的投诉处理（受理号 {trackingNumber}）",
            EmailHtml = $"<div style=\"{Style}\"><p>{{consumerName}}您好：</p><p>您对“{{respondentName}}”的投诉（受理号 <b>{{trackingNumber}}</b>）已办结。请花一分钟对处理速度、服务态度、沟通情况、处理结果公正、专业水平和总体满意度作出评价。</p><p><a href=\"{{surveyUrl}}\" style=\"display:inline-block;padding:8px 16px;background:#1f6feb;color:#fff;text-decoration:none;border-radius:4px\">填写满意度评价</a></p><p>链接在 {{expiresAt}} 前有效，仅限本人使用。</p><p>12315 投诉举报中心</p></div>",
            EmailText = "{consumerName}您好：\n\n您对“{respondentName}”的投诉（受理号 {trackingNumber}）已办结。请对处理速度、服务态度、沟通情况、处理结果公正、专业水平和总体满意度作出评价：\n{surveyUrl}\n\n链接在 {expiresAt} 前有效，仅限本人使用。\n\n12315 投诉举报中心",
            BuiltIn = true,
        },
        new()
        {
            Key = SurveyReminder,
            Name = "满意度回访提醒",
            Description = "消费者未答复回访时的一次提醒。The one reminder when the survey is not answered.",
            Placeholders = ["consumerName", "trackingNumber", "respondentName", "surveyUrl", "expiresAt"],
            SmsText = "{drillMark}【12315】提醒：您的投诉（受理号{trackingNumber}）尚未评价。请回复数字1-5（5为非常满意），或点击 {surveyUrl} 评价（{expiresAt}前有效）。",
            EmailSubject = "{drillMark}提醒：请评价您的投诉处理（受理号 {trackingNumber}）",
            EmailHtml = $"<div style=\"{Style}\"><p>{{consumerName}}您好：</p><p>您对“{{respondentName}}”的投诉（受理号 <b>{{trackingNumber}}</b>）已办结，我们还没有收到您的评价。</p><p><a href=\"{{surveyUrl}}\">填写满意度评价</a>（{{expiresAt}} 前有效）</p><p>12315 投诉举报中心</p></div>",
            EmailText = "{consumerName}您好：\n\n您对“{respondentName}”的投诉（受理号 {trackingNumber}）已办结，我们还没有收到您的评价。\n填写满意度评价：{surveyUrl}\n（{expiresAt} 前有效）\n\n12315 投诉举报中心",
            BuiltIn = true,
        },
        new()
        {
            Key = StaffTask,
            Name = "工作人员待办提醒",
            Description = "提醒工作人员有新的待办任务。Tells a staff member of a task.",
            Placeholders = ["displayName", "taskName", "trackingNumber", "text"],
            SmsText = "{drillMark}【12315】{displayName}：您有新的待办“{taskName}”（受理号{trackingNumber}）。{text}",
            EmailSubject = "{drillMark}待办：{taskName}（受理号 {trackingNumber}）",
            EmailHtml = $"<div style=\"{Style}\"><p>{{displayName}}：</p><p>您有新的待办“{{taskName}}”（受理号 {{trackingNumber}}）。</p><p>{{text}}</p></div>",
            EmailText = "{displayName}：\n\n您有新的待办“{taskName}”（受理号 {trackingNumber}）。\n{text}",
            BuiltIn = true,
        },
        new()
        {
            Key = EmergencyAlert,
            Name = "应急预警通知",
            Description = "群体性投诉、应急预案启动时通知相关人员。Emergency and mass-incident alerts.",
            Placeholders = ["displayName", "level", "title", "text"],
            SmsText = "{drillMark}【12315应急】{displayName}：{level}级事件“{title}”。{text}",
            EmailSubject = "{drillMark}【应急】{level}级事件：{title}",
            EmailHtml = $"<div style=\"{Style}\"><p>{{displayName}}：</p><p><b>{{level}}级事件：{{title}}</b></p><p>{{text}}</p></div>",
            EmailText = "{displayName}：\n\n{level}级事件：{title}\n{text}",
            BuiltIn = true,
        },
    ];
}
