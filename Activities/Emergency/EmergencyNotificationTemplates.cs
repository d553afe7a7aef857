using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Messaging;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Activities.Emergency;

/// <summary>
/// The notification templates the emergency plans, 舆情 response, duty roster and risk notices use besides the
/// shipped <c>emergency.alert</c>; seeded at start when missing (administrators' edits are kept).
/// </summary>
public static class EmergencyNotificationTemplates
{
    private const string Style = "font-family:'PingFang SC','Microsoft YaHei',sans-serif;font-size:15px;line-height:1.7;color:#1f2328";

    public static IReadOnlyList<NotificationTemplate> All { get; } =
    [
        Staff("emergency.report-overdue", "应急信息报送超时", "信息报送超过时限，通知督办领导。The upward report is overdue.", "【12315应急】{displayName}：{level}级事件“{title}”信息报送已超时，请督办。{text}", "{drillMark}【应急】信息报送超时：{title}"),
        Staff("opinion.alert", "舆情预警通知", "登记舆情时通知领导小组和办公室。A 舆情 item was registered.", "【12315舆情】{displayName}：{level}舆情“{title}”，{text}", "{drillMark}【舆情】{level}：{title}"),
        Staff("opinion.warning", "舆情报告时限预警", "舆情调查报告时限即将届满。The investigation report is nearly due.", "【12315舆情】{displayName}：舆情“{title}”调查报告时限将至。{text}", "{drillMark}【舆情】报告时限将至：{title}"),
        Staff("opinion.overdue", "舆情报告超时", "舆情调查报告超时，通知督办领导。The investigation report is overdue.", "【12315舆情】{displayName}：舆情“{title}”调查报告已超时，请督办。{text}", "{drillMark}【舆情】报告超时：{title}"),
        new()
        {
            Key = "roster.reminder",
            Name = "值班表报送提醒",
            Description = "下月周末和节假日值班表未排全时提醒单位受理员（每月报送截止日前）。Next month's duty schedule is incomplete.",
            Placeholders = ["unitName", "month", "dueDate", "missingDays"],
            SmsText = "{drillMark}【12315】{unitName}：{month} 值班表尚未排全（{missingDays}），请于 {dueDate} 前报送。",
            EmailSubject = "{drillMark}请报送 {month} 值班表（{unitName}）",
            EmailHtml = $"<div style=\"{Style}\"><p>{{unitName}}：</p><p>{{month}} 的周末和节假日值班表尚未排全（{{missingDays}}），请于 <b>{{dueDate}}</b> 前报送。</p></div>",
            EmailText = "{unitName}：\n\n{month} 的周末和节假日值班表尚未排全（{missingDays}），请于 {dueDate} 前报送。",
            BuiltIn = true,
        },
        new()
        {
            Key = "roster.overdue",
            Name = "值班表逾期未报",
            Description = "报送截止日后值班表仍未排全，通知单位领导。The duty schedule is overdue.",
            Placeholders = ["unitName", "month", "dueDate", "missingDays"],
            SmsText = "{drillMark}【12315】{unitName} {month} 值班表逾期未报（截止 {dueDate}，缺 {missingDays}），请督促。",
            EmailSubject = "{drillMark}{unitName} {month} 值班表逾期未报",
            EmailHtml = $"<div style=\"{Style}\"><p>{{unitName}} {{month}} 的值班表逾期未报（截止 {{dueDate}}），仍缺：{{missingDays}}。请督促排班。</p></div>",
            EmailText = "{unitName} {month} 的值班表逾期未报（截止 {dueDate}），仍缺：{missingDays}。请督促排班。",
            BuiltIn = true,
        },
        new()
        {
            Key = "risk.notice-copy",
            Name = "风险提示函抄送",
            Description = "风险提示函发出后抄送行业主管部门。A copy of a risk notice for the industry regulator.",
            Placeholders = ["number", "respondentName", "regulatorName", "letterText"],
            SmsText = "{drillMark}【12315】{regulatorName}：已向{respondentName}发出风险提示函（{number}），详见邮件。",
            EmailSubject = "{drillMark}抄送：关于{respondentName}的风险提示函（{number}）",
            EmailHtml = $"<div style=\"{Style}\"><p>{{regulatorName}}：</p><p>我中心已向{{respondentName}}发出风险提示函（{{number}}），现抄送贵单位。</p><pre style=\"white-space:pre-wrap;font-family:inherit\">{{letterText}}</pre></div>",
            EmailText = "{regulatorName}：\n\n我中心已向{respondentName}发出风险提示函（{number}），现抄送贵单位。\n\n{letterText}",
            BuiltIn = true,
        },
    ];

    /// <summary>Adds the templates that are missing (safe with two hosts starting at once).</summary>
    public static async Task SeedAsync(IDbContextFactory<DomainDbContext> contexts, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contexts);
        ArgumentNullException.ThrowIfNull(time);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var keys = All.Select(t => t.Key).ToList();
        var existing = await db.Set<NotificationTemplate>().Where(t => keys.Contains(t.Key)).Select(t => t.Key).ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var t in All.Where(t => !existing.Contains(t.Key)))
        {
            db.Add(new NotificationTemplate
            {
                Key = t.Key, Name = t.Name, Description = t.Description, Placeholders = [.. t.Placeholders], SmsText = t.SmsText, EmailSubject = t.EmailSubject,
                EmailHtml = t.EmailHtml, EmailText = t.EmailText, BuiltIn = true, UpdatedAt = time.GetUtcNow(),
            });
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // Another host seeded them at the same time.
        }
    }

    private static NotificationTemplate Staff(string key, string name, string description, string sms, string subject) => new()
    {
        Key = key,
        Name = name,
        Description = description,
        Placeholders = ["displayName", "level", "title", "text"],
        SmsText = "{drillMark}" + sms,
        EmailSubject = subject,
        EmailHtml = $"<div style=\"{Style}\"><p>{{displayName}}：</p><p><b>{{title}}</b>（{{level}}）</p><p>{{text}}</p></div>",
        EmailText = "{displayName}：\n\n{title}（{level}）\n{text}",
        BuiltIn = true,
    };
}
