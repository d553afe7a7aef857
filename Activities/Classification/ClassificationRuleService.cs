using ComplaintWorkflows.Activities.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Classification;

/// <summary>What an administrator enters for a rule.</summary>
public sealed record ClassificationRuleDraft(string Dimension, string Label, string Keyword, double Weight = 1.0, bool Enabled = true, string? Note = null);

/// <summary>A rule was rejected; <see cref="Errors"/> maps each wrong field to what is wrong with it.</summary>
public sealed class ClassificationRuleValidationException(IReadOnlyDictionary<string, string> errors)
    : Exception("分类规则无效 (invalid classification rule): " + string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value}")))
{
    public IReadOnlyDictionary<string, string> Errors { get; } = errors;
}

/// <summary>The rule an operation named does not exist.</summary>
public sealed class ClassificationRuleNotFoundException(long id)
    : Exception($"分类规则 {id} 不存在 (classification rule {id} not found).")
{
    public long Id { get; } = id;
}

/// <summary>Lists, adds, changes and deletes the keyword rules administrators maintain; seeds the default set.</summary>
public sealed class ClassificationRuleService(
    IDbContextFactory<DomainDbContext> contexts,
    ClassificationRuleCache cache,
    TimeProvider time,
    IOptions<ClassificationOptions> options)
{
    public async Task<IReadOnlyList<ClassificationRule>> ListAsync(string? dimension = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = db.Set<ClassificationRule>().AsNoTracking();
        if (dimension is not null)
        {
            query = query.Where(r => r.Dimension == dimension);
        }

        return await query.OrderBy(r => r.Dimension).ThenBy(r => r.Label).ThenBy(r => r.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<ClassificationRule> AddAsync(ClassificationRuleDraft draft, string updatedBy, CancellationToken cancellationToken = default)
    {
        var clean = Validate(draft, updatedBy);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await EnsureUniqueAsync(db, clean, null, cancellationToken).ConfigureAwait(false);
        var rule = new ClassificationRule
        {
            Dimension = clean.Dimension,
            Label = clean.Label,
            Keyword = clean.Keyword,
            Weight = clean.Weight,
            Enabled = clean.Enabled,
            Note = clean.Note,
            UpdatedBy = updatedBy.Trim(),
            UpdatedAt = time.GetUtcNow(),
        };
        db.Add(rule);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        cache.Invalidate();
        return rule;
    }

    public async Task<ClassificationRule> UpdateAsync(long id, ClassificationRuleDraft draft, string updatedBy, CancellationToken cancellationToken = default)
    {
        var clean = Validate(draft, updatedBy);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rule = await db.Set<ClassificationRule>().FirstOrDefaultAsync(r => r.Id == id, cancellationToken).ConfigureAwait(false)
            ?? throw new ClassificationRuleNotFoundException(id);
        await EnsureUniqueAsync(db, clean, id, cancellationToken).ConfigureAwait(false);
        rule.Dimension = clean.Dimension;
        rule.Label = clean.Label;
        rule.Keyword = clean.Keyword;
        rule.Weight = clean.Weight;
        rule.Enabled = clean.Enabled;
        rule.Note = clean.Note;
        rule.UpdatedBy = updatedBy.Trim();
        rule.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        cache.Invalidate();
        return rule;
    }

    public async Task DeleteAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var deleted = await db.Set<ClassificationRule>().Where(r => r.Id == id).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        if (deleted == 0)
        {
            throw new ClassificationRuleNotFoundException(id);
        }

        cache.Invalidate();
    }

    /// <summary>
    /// Adds the default rules of every dimension that has no rule yet; a dimension an administrator has
    /// rules for is left alone (so deleted defaults stay deleted). Running it again changes nothing.
    /// Returns the number of rules added.
    /// </summary>
    public async Task<int> SeedDefaultsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var present = await db.Set<ClassificationRule>().Select(r => r.Dimension).Distinct().ToListAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var added = 0;
        foreach (var rule in DefaultClassificationRules.All.Where(r => !present.Contains(r.Dimension)))
        {
            db.Add(new ClassificationRule
            {
                Dimension = rule.Dimension,
                Label = rule.Label,
                Keyword = rule.Keyword,
                Weight = rule.Weight,
                Enabled = true,
                Note = DefaultClassificationRules.Note,
                UpdatedBy = "system",
                UpdatedAt = now,
            });
            added++;
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        cache.Invalidate();
        return added;
    }

    private ClassificationRuleDraft Validate(ClassificationRuleDraft? draft, string? updatedBy)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var dimension = draft.Dimension?.Trim() ?? "";
        var label = draft.Label?.Trim() ?? "";
        var keyword = draft.Keyword?.Trim() ?? "";
        var note = string.IsNullOrWhiteSpace(draft.Note) ? null : draft.Note.Trim();
        var maximum = options.Value.MaximumRuleWeight;
        if (!ClassificationDimensions.IsKnown(dimension))
        {
            errors["dimension"] = $"维度 '{dimension}' 未知，应为 {string.Join("/", ClassificationDimensions.All)} 之一 (unknown dimension).";
        }

        if (label.Length == 0)
        {
            errors["label"] = "标签不能为空 (label is required).";
        }
        else if (label.Length > ClassificationRuleLimits.Label)
        {
            errors["label"] = $"标签不能超过 {ClassificationRuleLimits.Label} 个字符 (label too long).";
        }
        else if (dimension == ClassificationDimensions.Tier && !ClassificationDimensions.Tiers.Contains(label, StringComparer.Ordinal))
        {
            errors["label"] = $"复杂程度标签 '{label}' 无效，应为 simple/general/complex (unknown tier).";
        }

        if (keyword.Length == 0)
        {
            errors["keyword"] = "关键词不能为空 (keyword is required).";
        }
        else if (keyword.Length > ClassificationRuleLimits.Keyword)
        {
            errors["keyword"] = $"关键词不能超过 {ClassificationRuleLimits.Keyword} 个字符 (keyword too long).";
        }

        if (!double.IsFinite(draft.Weight) || draft.Weight <= 0 || draft.Weight > maximum)
        {
            errors["weight"] = $"权重 {draft.Weight} 超出范围，应大于 0 且不超过 {maximum} (weight out of range).";
        }

        if (note is { Length: > ClassificationRuleLimits.Note })
        {
            errors["note"] = $"备注不能超过 {ClassificationRuleLimits.Note} 个字符 (note too long).";
        }

        if (string.IsNullOrWhiteSpace(updatedBy))
        {
            errors["updatedBy"] = "修改人不能为空 (updatedBy is required).";
        }
        else if (updatedBy.Trim().Length > ClassificationRuleLimits.User)
        {
            errors["updatedBy"] = $"修改人不能超过 {ClassificationRuleLimits.User} 个字符 (updatedBy too long).";
        }

        return errors.Count > 0
            ? throw new ClassificationRuleValidationException(errors)
            : new ClassificationRuleDraft(dimension, label, keyword, draft.Weight, draft.Enabled, note);
    }

    private static async Task EnsureUniqueAsync(DomainDbContext db, ClassificationRuleDraft draft, long? except, CancellationToken cancellationToken)
    {
        var exists = await db.Set<ClassificationRule>()
            .AnyAsync(r => r.Dimension == draft.Dimension && r.Label == draft.Label && r.Keyword == draft.Keyword && r.Id != except, cancellationToken)
            .ConfigureAwait(false);
        if (exists)
        {
            throw new ClassificationRuleValidationException(new Dictionary<string, string>
            {
                ["keyword"] = $"维度 {draft.Dimension} 标签 {draft.Label} 已有关键词 '{draft.Keyword}' (duplicate rule).",
            });
        }
    }
}
