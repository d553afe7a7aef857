using System.Net;
using System.Text.RegularExpressions;
using ComplaintWorkflows.Activities.Data;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Activities.Messaging;

/// <summary>A template that cannot be saved or filled, by field, in words a person can act on.</summary>
public sealed class NotificationTemplateException(IReadOnlyDictionary<string, string[]> errors)
    : Exception("通知模板有误 (The notification template is invalid): " + string.Join("; ", errors.Select(e => e.Key + ": " + string.Join(" ", e.Value))))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}

/// <summary>Administrators' templates: seeded defaults, validated edits, and filling a template's texts with values.</summary>
public sealed partial class NotificationTemplateService(IDbContextFactory<DomainDbContext> contexts, TimeProvider time)
{
    private static readonly string[] TextFields = ["smsText", "emailSubject", "emailHtml", "emailText"];

    /// <summary>Adds the shipped templates that are missing (edits are kept).</summary>
    public async Task SeedDefaultsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var existing = await db.Set<NotificationTemplate>().Select(t => t.Key).ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var template in DefaultNotificationTemplates.All.Where(t => !existing.Contains(t.Key)))
        {
            db.Add(Copy(template, time.GetUtcNow()));
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

    public async Task<IReadOnlyList<NotificationTemplate>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<NotificationTemplate>().AsNoTracking().OrderBy(t => t.Key).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<NotificationTemplate?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<NotificationTemplate>().AsNoTracking().FirstOrDefaultAsync(t => t.Key == key, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates or replaces a template after checking it; returns it as stored.</summary>
    public async Task<NotificationTemplate> SaveAsync(NotificationTemplate template, string? user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(template);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var existing = await db.Set<NotificationTemplate>().FirstOrDefaultAsync(t => t.Key == template.Key, cancellationToken).ConfigureAwait(false);
        if (existing is { BuiltIn: true })
        {
            // The values processes give a shipped template are fixed by the processes: its placeholders stay.
            template.Placeholders = existing.Placeholders;
        }

        Validate(template);
        var now = time.GetUtcNow();
        if (existing is null)
        {
            var added = Copy(template, now);
            added.BuiltIn = false;
            added.UpdatedBy = user;
            db.Add(added);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return added;
        }

        existing.Name = template.Name.Trim();
        existing.Description = template.Description;
        existing.Placeholders = [.. template.Placeholders];
        existing.SmsText = template.SmsText;
        existing.SmsTemplateCodes = new Dictionary<string, string>(template.SmsTemplateCodes, StringComparer.Ordinal);
        existing.EmailSubject = template.EmailSubject;
        existing.EmailHtml = template.EmailHtml;
        existing.EmailText = template.EmailText;
        existing.UpdatedAt = now;
        existing.UpdatedBy = user;
        existing.Version++;
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return existing;
    }

    /// <summary>Deletes a template added by administrators (shipped ones cannot be deleted); false when there is none.</summary>
    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var existing = await db.Set<NotificationTemplate>().FirstOrDefaultAsync(t => t.Key == key, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            return false;
        }

        if (existing.BuiltIn)
        {
            throw new NotificationTemplateException(new Dictionary<string, string[]> { ["key"] = [$"“{key}”是系统内置模板，只能修改不能删除 (a shipped template can be edited, not deleted)."] });
        }

        db.Remove(existing);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Checks a template: key, name, lengths, provider codes, and that every <c>{placeholder}</c> is one the template declares.</summary>
    public static void Validate(NotificationTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
            {
                errors[field] = list = [];
            }

            list.Add(message);
        }

        if (string.IsNullOrEmpty(template.Key) || !KeyPattern().IsMatch(template.Key))
        {
            Add("key", "模板编号只能用小写字母、数字、点和连字符，最多 64 个字符 (key: lower-case letters, digits, '.' and '-', at most 64).");
        }

        if (string.IsNullOrWhiteSpace(template.Name) || template.Name.Length > 100)
        {
            Add("name", "请填写模板名称，最多 100 个字 (name is required, at most 100 characters).");
        }

        template.Placeholders ??= [];
        foreach (var name in template.Placeholders.Where(p => !PlaceholderName().IsMatch(p ?? "")))
        {
            Add("placeholders", $"变量名“{name}”无效：以字母开头，只能用字母、数字和下划线 (placeholder names: a letter, then letters, digits or '_').");
        }

        var limits = new Dictionary<string, (string? Text, int Max)>(StringComparer.Ordinal)
        {
            ["smsText"] = (template.SmsText, 1000),
            ["emailSubject"] = (template.EmailSubject, 300),
            ["emailHtml"] = (template.EmailHtml, 20000),
            ["emailText"] = (template.EmailText, 8000),
        };
        var allowed = template.Placeholders.Append(DefaultNotificationTemplates.DrillMark).ToHashSet(StringComparer.Ordinal);
        foreach (var field in TextFields)
        {
            var (text, max) = limits[field];
            if (string.IsNullOrWhiteSpace(text))
            {
                Add(field, $"请填写 {field} ({field} is required).");
                continue;
            }

            if (text.Length > max)
            {
                Add(field, $"{field} 不能超过 {max} 个字符 ({field} is longer than {max} characters).");
            }

            var unknown = Placeholders(text).Where(p => !allowed.Contains(p)).Distinct(StringComparer.Ordinal).ToList();
            if (unknown.Count > 0)
            {
                Add(field, $"未知的变量 {string.Join("、", unknown.Select(u => "{" + u + "}"))}；可用的变量：{string.Join("、", allowed.Order(StringComparer.Ordinal).Select(a => "{" + a + "}"))} (unknown placeholders {string.Join(", ", unknown)}).");
            }
        }

        template.SmsTemplateCodes ??= new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (provider, code) in template.SmsTemplateCodes)
        {
            if (!ProviderPattern().IsMatch(provider ?? "") || string.IsNullOrWhiteSpace(code) || code.Length > 64)
            {
                Add("smsTemplateCodes", $"短信模板编码“{provider}: {code}”无效：服务商为小写字母，编码不超过 64 个字符 (provider: lower-case name; code: 1-64 characters).");
            }
        }

        if (errors.Count > 0)
        {
            throw new NotificationTemplateException(errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
        }
    }

    /// <summary>The <c>{name}</c> placeholders a text uses, in order.</summary>
    public static IEnumerable<string> Placeholders(string text)
        => PlaceholderPattern().Matches(text ?? "").Select(m => m.Groups[1].Value);

    /// <summary>Fills a text's placeholders (HTML-encoding the values for HTML); a missing value is an error naming it.</summary>
    public static string Fill(string text, IReadOnlyDictionary<string, string> values, bool html, string template, string field)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(values);
        var missing = new List<string>();
        var filled = PlaceholderPattern().Replace(text, m =>
        {
            if (values.TryGetValue(m.Groups[1].Value, out var value))
            {
                return html ? WebUtility.HtmlEncode(value) : value;
            }

            missing.Add(m.Groups[1].Value);
            return m.Value;
        });
        if (missing.Count > 0)
        {
            throw new NotificationTemplateException(new Dictionary<string, string[]>
            {
                [field] = [$"模板“{template}”需要的值未提供：{string.Join("、", missing.Distinct(StringComparer.Ordinal))} (template '{template}' needs values for {string.Join(", ", missing.Distinct(StringComparer.Ordinal))})."],
            });
        }

        return filled;
    }

    /// <summary>The texts of a template filled with values (the drill mark added).</summary>
    public static RenderedNotification Render(NotificationTemplate template, IReadOnlyDictionary<string, string> values, bool drill)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(values);
        var all = new Dictionary<string, string>(values, StringComparer.Ordinal) { [DefaultNotificationTemplates.DrillMark] = drill ? "【演练】" : "" };
        var sms = Fill(template.SmsText, all, false, template.Key, "smsText");
        var subject = Fill(template.EmailSubject, all, false, template.Key, "emailSubject");
        var html = Fill(template.EmailHtml, all, true, template.Key, "emailHtml");
        var text = Fill(template.EmailText, all, false, template.Key, "emailText");
        if (drill)
        {
            // A drill says so even when an administrator removed {drillMark} from a text.
            sms = sms.StartsWith("【演练】", StringComparison.Ordinal) ? sms : "【演练】" + sms;
            subject = subject.StartsWith("【演练】", StringComparison.Ordinal) ? subject : "【演练】" + subject;
            text = "【演练】本消息为应急演练，无需处置。\n\n" + text;
            html = "<p style=\"color:#b35900\"><b>【演练】本消息为应急演练，无需处置。</b></p>" + html;
        }

        // SMS parameters in the template's order (providers with positional parameters rely on it).
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in template.Placeholders.Where(all.ContainsKey))
        {
            parameters[name] = all[name];
        }

        return new RenderedNotification(sms, subject, html, text, parameters);
    }

    private static NotificationTemplate Copy(NotificationTemplate t, DateTimeOffset now) => new()
    {
        Key = t.Key.Trim(),
        Name = t.Name.Trim(),
        Description = t.Description,
        Placeholders = [.. t.Placeholders],
        SmsText = t.SmsText,
        SmsTemplateCodes = new Dictionary<string, string>(t.SmsTemplateCodes, StringComparer.Ordinal),
        EmailSubject = t.EmailSubject,
        EmailHtml = t.EmailHtml,
        EmailText = t.EmailText,
        BuiltIn = t.BuiltIn,
        UpdatedAt = now,
        UpdatedBy = t.UpdatedBy,
    };

    [GeneratedRegex(@"\{([A-Za-z][A-Za-z0-9_]*)\}")]
    private static partial Regex PlaceholderPattern();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_]{0,63}$")]
    private static partial Regex PlaceholderName();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9.\-]{0,63}$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("^[a-z0-9-]{1,32}$")]
    private static partial Regex ProviderPattern();
}

/// <summary>A template's texts filled with values.</summary>
public sealed record RenderedNotification(string SmsText, string EmailSubject, string EmailHtml, string EmailText, IReadOnlyDictionary<string, string> SmsParameters);
