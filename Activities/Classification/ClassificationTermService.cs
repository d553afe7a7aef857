using ComplaintWorkflows.Activities.Data;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Activities.Classification;

/// <summary>What an administrator enters for a domain term.</summary>
public sealed record ClassificationTermDraft(string Term, string Kind);

/// <summary>Lists, adds and deletes the domain dictionary (brand, product and legal terms); seeds a starting set.</summary>
public sealed class ClassificationTermService(IDbContextFactory<DomainDbContext> contexts, TimeProvider time)
{
    /// <summary>Longest term, in characters.</summary>
    public const int MaximumLength = 64;

    /// <summary>The starting dictionary: legal terms and products that jieba's general dictionary splits, and the large platforms.</summary>
    public static IReadOnlyList<(string Term, string Kind)> Defaults { get; } =
    [
        ("消费者权益保护法", ClassificationTerm.KindLegal), ("食品安全法", ClassificationTerm.KindLegal), ("产品质量法", ClassificationTerm.KindLegal),
        ("价格法", ClassificationTerm.KindLegal), ("广告法", ClassificationTerm.KindLegal), ("反不正当竞争法", ClassificationTerm.KindLegal),
        ("计量法", ClassificationTerm.KindLegal), ("七天无理由退货", ClassificationTerm.KindLegal), ("退一赔三", ClassificationTerm.KindLegal),
        ("退一赔十", ClassificationTerm.KindLegal), ("三包", ClassificationTerm.KindLegal), ("格式条款", ClassificationTerm.KindLegal),
        ("霸王条款", ClassificationTerm.KindLegal), ("预付卡", ClassificationTerm.KindProduct), ("预包装食品", ClassificationTerm.KindProduct),
        ("电动自行车", ClassificationTerm.KindProduct), ("燃气热水器", ClassificationTerm.KindProduct), ("充电宝", ClassificationTerm.KindProduct),
        ("保健食品", ClassificationTerm.KindProduct), ("婴幼儿配方奶粉", ClassificationTerm.KindProduct), ("医疗美容", ClassificationTerm.KindProduct),
        ("二手车", ClassificationTerm.KindProduct), ("淘宝", ClassificationTerm.KindBrand), ("京东", ClassificationTerm.KindBrand),
        ("拼多多", ClassificationTerm.KindBrand), ("美团", ClassificationTerm.KindBrand), ("抖音", ClassificationTerm.KindBrand),
    ];

    public async Task<IReadOnlyList<ClassificationTerm>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<ClassificationTerm>().AsNoTracking().OrderBy(t => t.Kind).ThenBy(t => t.Term).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The terms alone, for training.</summary>
    public async Task<IReadOnlyList<string>> TermsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<ClassificationTerm>().AsNoTracking().OrderBy(t => t.Term).Select(t => t.Term).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<ClassificationTerm> AddAsync(ClassificationTermDraft draft, string updatedBy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var term = draft.Term?.Trim() ?? "";
        var kind = draft.Kind?.Trim() ?? "";
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (term.Length == 0 || term.Length > MaximumLength)
        {
            errors["term"] = $"词条不能为空且不超过 {MaximumLength} 个字符 (term is required, at most {MaximumLength} characters).";
        }
        else if (term.Any(char.IsWhiteSpace) && !term.Any(char.IsAsciiLetter))
        {
            errors["term"] = "中文词条不能含空格 (a Chinese term has no spaces).";
        }

        if (!ClassificationTerm.Kinds.Contains(kind, StringComparer.Ordinal))
        {
            errors["kind"] = $"类别 '{kind}' 无效，应为 {string.Join("/", ClassificationTerm.Kinds)} 之一 (unknown kind).";
        }

        if (string.IsNullOrWhiteSpace(updatedBy))
        {
            errors["updatedBy"] = "修改人不能为空 (updatedBy is required).";
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (errors.Count == 0 && await db.Set<ClassificationTerm>().AnyAsync(t => t.Term == term, cancellationToken).ConfigureAwait(false))
        {
            errors["term"] = $"词条“{term}”已存在 (term already listed).";
        }

        if (errors.Count > 0)
        {
            throw new ClassificationRuleValidationException(errors);
        }

        var added = new ClassificationTerm { Term = term, Kind = kind, UpdatedBy = updatedBy.Trim(), UpdatedAt = time.GetUtcNow() };
        db.Add(added);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return added;
    }

    /// <returns>False when no term has that id.</returns>
    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<ClassificationTerm>().Where(t => t.Id == id).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <summary>Adds the starting dictionary when the table is empty (first start). Returns the number of terms added.</summary>
    public async Task<int> SeedDefaultsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (await db.Set<ClassificationTerm>().AnyAsync(cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        var now = time.GetUtcNow();
        foreach (var (term, kind) in Defaults)
        {
            db.Add(new ClassificationTerm { Term = term, Kind = kind, UpdatedBy = "system", UpdatedAt = now });
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // Another host seeded them at the same moment (the unique index on the term refused ours).
            return 0;
        }

        return Defaults.Count;
    }
}
