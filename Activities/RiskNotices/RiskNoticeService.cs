using System.Globalization;
using ComplaintWorkflows.Activities.Calendar;
using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Emergency;
using ComplaintWorkflows.Activities.Organisation;
using ComplaintWorkflows.Engine.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.RiskNotices;

/// <summary>
/// Generates risk notices (风险提示函): a respondent with <see cref="EmergencySettings.RiskThreshold"/> or more
/// complaints within <see cref="EmergencySettings.RiskWindowDays"/> and no improvement (complaints still coming
/// within <see cref="EmergencyOptions.RiskImprovementDays"/>) gets a letter from the template, reviewed by a
/// leader in the <c>risk-notice</c> process, sent and copied to its industry's regulator. Keeps the template
/// and the regulator directory.
/// </summary>
public sealed partial class RiskNoticeService(
    IDbContextFactory<DomainDbContext> contexts,
    WorkflowEngine engine,
    TimeProvider time,
    WorkingCalendar calendar,
    JurisdictionResolver jurisdiction,
    AssigneeResolver assignees,
    OrganisationCache cache,
    IOptions<EmergencyOptions> options,
    IOptions<OrganisationOptions> organisationOptions,
    ILogger<RiskNoticeService> logger)
{
    public const string DefaultSubject = "风险提示函";

    public const string DefaultBody = """
        风险提示函
        {number}

        {respondentName}：

        自{from}至{to}，本中心共收到涉及你单位的消费者投诉{complaintCount}件，主要反映{problemTypes}等问题，且投诉持续发生、未见改善。上述情况表明你单位在经营中存在较大的消费纠纷风险。

        依据《中华人民共和国消费者权益保护法》等法律法规，现提示如下：
        一、严格落实经营者主体责任，依法保障消费者合法权益；
        二、认真梳理消费者反映的问题，查找原因，切实整改；
        三、畅通投诉渠道，及时妥善处理消费纠纷。

        请你单位自收到本函之日起15日内将整改情况书面反馈本中心。逾期未整改或投诉继续增加的，将依法采取进一步措施。

        抄送：{regulatorName}

        {centreName}
        {date}
        """;

    private readonly EmergencyOptions _options = options.Value;

    /// <summary>Generates a notice for the respondent if it now calls for one; null otherwise (or when one is in force).</summary>
    public async Task<RiskNotice?> CheckRespondentAsync(string respondentName, EmergencySettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var now = time.GetUtcNow();
        var cooldownFrom = now.AddDays(-_options.RiskNoticeCooldownDays);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (await db.Set<RiskNotice>().AnyAsync(n => n.RespondentName == respondentName && n.CreatedAt >= cooldownFrom && n.Status != RiskNoticeStatus.Withdrawn, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var from = now.AddDays(-settings.RiskWindowDays);
        var complaints = db.Set<Complaint>().AsNoTracking().Where(c => c.RespondentName == respondentName && !c.IsReport && c.ReceivedAt >= from && c.ReceivedAt <= now);

        // Counting stops at the threshold.
        if (await complaints.Take(settings.RiskThreshold).CountAsync(cancellationToken).ConfigureAwait(false) < settings.RiskThreshold)
        {
            return null;
        }

        var recent = now.AddDays(-_options.RiskImprovementDays);
        if (!await complaints.AnyAsync(c => c.ReceivedAt >= recent, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var rows = await complaints.OrderByDescending(c => c.ReceivedAt).Take(1000)
            .Select(c => new { c.ProblemType, c.Industry, c.RespondentAddress, c.ReceivedAt }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var industry = rows.Where(r => !string.IsNullOrEmpty(r.Industry)).GroupBy(r => r.Industry!).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefault();
        var regulator = industry is null ? null : await db.Set<IndustryRegulator>().AsNoTracking().FirstOrDefaultAsync(r => r.Industry == industry, cancellationToken).ConfigureAwait(false);
        var template = await db.Set<RiskNoticeTemplate>().AsNoTracking().FirstOrDefaultAsync(t => t.Key == RiskNoticeTemplate.DefaultKey, cancellationToken).ConfigureAwait(false);
        var organisation = await OrganisationSnapshot.LoadAsync(db, cache, cancellationToken).ConfigureAwait(false);
        var centre = organisation.IntakeCentre(organisationOptions.Value.IntakeCentreUnitId);
        var id = Guid.CreateVersion7(now).ToString("N");
        var number = "FX" + calendar.LocalDate(now).ToString("yyyyMMdd", CultureInfo.InvariantCulture) + id[^4..].ToUpperInvariant();
        var problems = rows.Where(r => !string.IsNullOrEmpty(r.ProblemType)).GroupBy(r => r.ProblemType!).OrderByDescending(g => g.Count()).Take(3).Select(g => g.Key).ToList();
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["number"] = number,
            ["respondentName"] = respondentName,
            ["complaintCount"] = rows.Count.ToString(CultureInfo.InvariantCulture),
            ["windowDays"] = settings.RiskWindowDays.ToString(CultureInfo.InvariantCulture),
            ["from"] = Day(rows.Min(r => r.ReceivedAt)),
            ["to"] = Day(now),
            ["problemTypes"] = problems.Count == 0 ? "消费纠纷" : string.Join("、", problems),
            ["centreName"] = centre?.Name ?? "市场监督管理部门",
            ["regulatorName"] = regulator?.Name ?? "（该行业暂无主管部门备案）",
            ["date"] = Day(now),
        };
        var notice = new RiskNotice
        {
            Id = id,
            Number = number,
            RespondentName = respondentName,
            RespondentAddress = rows.Select(r => r.RespondentAddress).FirstOrDefault(),
            Industry = industry,
            DedupKey = respondentName + ":" + (now.ToUnixTimeSeconds() / 86400 / _options.RiskNoticeCooldownDays).ToString(CultureInfo.InvariantCulture),
            ComplaintCount = rows.Count,
            WindowFrom = from,
            WindowTo = now,
            Status = RiskNoticeStatus.InReview,
            LetterText = Fill(template?.Body ?? DefaultBody, values),
            RegulatorName = regulator?.Name,
            RegulatorEmail = regulator?.Email,
            CreatedAt = now,
        };
        db.Add(notice);
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            return null; // another host generated it
        }

        var unit = (await jurisdiction.ResolveAsync(respondentName, notice.RespondentAddress, cancellationToken).ConfigureAwait(false)).CountyUnitId ?? centre?.Id;
        var leader = (unit is null ? null : await assignees.LeaderAsync(unit, cancellationToken).ConfigureAwait(false))?.UserName
            ?? (centre is null ? null : (await assignees.LeaderAsync(centre.Id, cancellationToken).ConfigureAwait(false))?.UserName);
        var instance = await engine.StartProcessAsync(_options.RiskNoticeProcessKey, new Dictionary<string, object?>
        {
            ["riskNoticeId"] = notice.Id,
            ["riskNoticeNumber"] = notice.Number,
            ["respondentName"] = respondentName,
            ["complaintCount"] = (long)notice.ComplaintCount,
            ["letterText"] = notice.LetterText,
            ["regulatorName"] = notice.RegulatorName ?? "",
            ["leader"] = leader,
        }, notice.Id, cancellationToken).ConfigureAwait(false);
        await db.Set<RiskNotice>().Where(n => n.Id == notice.Id).ExecuteUpdateAsync(s => s.SetProperty(n => n.ProcessInstanceId, instance.Id), cancellationToken).ConfigureAwait(false);
        notice.ProcessInstanceId = instance.Id;
        LogGenerated(logger, notice.Number, notice.ComplaintCount);
        return notice;
    }

    public async Task<RiskNoticeTemplate> TemplateAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<RiskNoticeTemplate>().AsNoTracking().FirstOrDefaultAsync(t => t.Key == RiskNoticeTemplate.DefaultKey, cancellationToken).ConfigureAwait(false)
            ?? new RiskNoticeTemplate { Key = RiskNoticeTemplate.DefaultKey, Subject = DefaultSubject, Body = DefaultBody };
    }

    public async Task<RiskNoticeTemplate> SaveTemplateAsync(string subject, string body, string actor, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(subject) || subject.Length > 200)
        {
            errors["subject"] = ["请填写标题（不超过 200 字） (subject is required, at most 200 characters)."];
        }

        if (string.IsNullOrWhiteSpace(body) || body.Length > 20000)
        {
            errors["body"] = ["请填写正文（不超过 20000 字） (body is required, at most 20000 characters)."];
        }
        else if (!body.Contains("{respondentName}", StringComparison.Ordinal))
        {
            errors["body"] = ["正文须包含 {respondentName}（被提示单位名称） (the body must contain {respondentName})."];
        }
        else if (UnknownPlaceholders(body) is { Count: > 0 } unknown)
        {
            errors["body"] = [$"未知的占位符：{string.Join("、", unknown)} (unknown placeholders; known: {string.Join(" ", Placeholders)})."];
        }

        if (errors.Count > 0)
        {
            throw new IncidentValidationException(errors);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var row = await db.Set<RiskNoticeTemplate>().FirstOrDefaultAsync(t => t.Key == RiskNoticeTemplate.DefaultKey, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            row = new RiskNoticeTemplate { Key = RiskNoticeTemplate.DefaultKey, Subject = subject.Trim(), Body = body };
            db.Add(row);
        }

        row.Subject = subject.Trim();
        row.Body = body;
        row.UpdatedAt = time.GetUtcNow();
        row.UpdatedBy = actor;
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return row;
    }

    public static IReadOnlyList<string> Placeholders { get; } = ["{number}", "{respondentName}", "{complaintCount}", "{windowDays}", "{from}", "{to}", "{problemTypes}", "{centreName}", "{regulatorName}", "{date}"];

    private static List<string> UnknownPlaceholders(string body)
        => [.. System.Text.RegularExpressions.Regex.Matches(body, @"\{[A-Za-z]+\}").Select(m => m.Value).Distinct(StringComparer.Ordinal).Where(p => !Placeholders.Contains(p))];

    public static string Fill(string template, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(values);
        return values.Aggregate(template, (text, v) => text.Replace("{" + v.Key + "}", v.Value, StringComparison.Ordinal));
    }

    private string Day(DateTimeOffset instant) => calendar.LocalDate(instant).ToString("yyyy年M月d日", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "Risk notice {Number} generated ({Count} complaints)")]
    private static partial void LogGenerated(ILogger logger, string number, int count);
}
