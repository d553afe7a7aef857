using System.Collections;
using System.Globalization;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Organisation;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Activities.Closure;

/// <summary>
/// The signatures of a closing record: at least a minimum number of different active staff members, named
/// by user name or display name, in a list or a text separated by commas, 、 or spaces.
/// </summary>
public static class ClosureSignatures
{
    /// <summary>The signers' user names, or what is wrong with the signatures (Chinese first, English second).</summary>
    public static async Task<(IReadOnlyList<string> Signers, string? Problem)> CheckAsync(DomainDbContext db, object? value, int minimum, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var names = Parse(value);
        var staff = names.Count == 0
            ? []
            : await db.Set<StaffMember>().AsNoTracking().Where(m => m.Active && (names.Contains(m.UserName) || names.Contains(m.DisplayName)))
                .Select(m => new { m.UserName, m.DisplayName }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var unknown = names.Where(n => !staff.Any(m => m.UserName == n || m.DisplayName == n)).ToList();
        if (unknown.Count > 0)
        {
            return ([], $"签名人不是在职工作人员：{string.Join("、", unknown)} (signatures: not active staff: {string.Join(", ", unknown)})");
        }

        var signers = names.Select(n => staff.First(m => m.UserName == n || m.DisplayName == n).UserName).Distinct(StringComparer.Ordinal).ToList();
        return signers.Count < minimum
            ? (signers, $"至少需要 {minimum} 名不同工作人员签名 (signatures: {minimum} different staff members needed)")
            : (signers, null);
    }

    /// <summary>The distinct names in a list or a separated text.</summary>
    public static List<string> Parse(object? value)
    {
        IEnumerable<string> names = value switch
        {
            string text => text.Split([',', '，', '、', ';', '；', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            IEnumerable list => list.Cast<object?>().Select(o => Convert.ToString(o, CultureInfo.InvariantCulture) ?? "").Where(s => s.Length > 0),
            _ => [],
        };
        return [.. names.Distinct(StringComparer.Ordinal)];
    }
}
