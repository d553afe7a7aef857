using System.Globalization;
using ComplaintWorkflows.Activities.Data;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Activities.Calendar;

/// <summary>
/// A calendar or rule-set change that cannot be saved. <see cref="Errors"/> holds the problems by field, with the
/// date in the key for a day (<c>days[2027-02-03].kind</c>), as ASP.NET's ValidationProblem expects.
/// </summary>
public sealed class CalendarValidationException(IReadOnlyDictionary<string, string[]> errors)
    : Exception("日历或期限规则有误 (The calendar or rule set has errors): " + string.Join("; ", errors.Select(e => e.Key + ": " + string.Join(" ", e.Value))))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}

/// <summary>What an administrator sends for a year: the notice it comes from and its holidays and make-up working days.</summary>
public sealed record CalendarYearInput(string Source, IReadOnlyList<CalendarDayInput> Days);

/// <summary>A holiday day off or a make-up working day (调休上班) and the holiday it belongs to.</summary>
public sealed record CalendarDayInput(DateOnly Date, CalendarDayKind Kind, string Name);

/// <summary>
/// Administration of the working-day calendar (one year at a time, as each notice is published) and of the
/// deadline rule sets; seeds the 2026 calendar and the two SAMR orders' rule sets at first start.
/// </summary>
public sealed class CalendarService(IDbContextFactory<DomainDbContext> contexts, WorkingCalendar calendar, TimeProvider time)
{
    /// <summary>The source of the seeded 2026 arrangement.</summary>
    public const string Notice2026 = "国务院办公厅关于2026年部分节假日安排的通知（2025-11-04） (State Council notice of 2025-11-04)";

    private const int MaxNameLength = 50;
    private const int MaxSourceLength = 500;
    private const int MaxUserLength = 128;
    private const int MaxRuleSetNameLength = 200;

    /// <summary>Every year entered, oldest first, with its days.</summary>
    public async Task<IReadOnlyList<CalendarYear>> GetYearsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<CalendarYear>().AsNoTracking().Include(y => y.Days.OrderBy(d => d.Date)).OrderBy(y => y.Year).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One year with its days, or null when nobody has entered it (working days then count weekends only).</summary>
    public async Task<CalendarYear?> GetYearAsync(int year, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<CalendarYear>().AsNoTracking().Include(y => y.Days.OrderBy(d => d.Date)).FirstOrDefaultAsync(y => y.Year == year, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds or replaces a year's holidays and make-up working days. Every problem is reported at once, each under
    /// its field and date (<c>days[2027-02-03].kind</c>); nothing is saved when there is one.
    /// </summary>
    /// <exception cref="CalendarValidationException">The year, source or a day is wrong.</exception>
    public async Task<CalendarYear> SaveYearAsync(int year, CalendarYearInput input, string by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        Validate(year, input);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var existing = await db.Set<CalendarYear>().Include(y => y.Days).FirstOrDefaultAsync(y => y.Year == year, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            db.Remove(existing);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        var saved = new CalendarYear
        {
            Year = year,
            Source = input.Source.Trim(),
            UpdatedBy = Truncate(by.Trim(), MaxUserLength),
            UpdatedAt = time.GetUtcNow(),
            Days = [.. input.Days.Select(d => new CalendarDay { Date = d.Date, Year = year, Kind = d.Kind, Name = d.Name.Trim() }).OrderBy(d => d.Date)],
        };
        db.Add(saved);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        calendar.Invalidate();
        return saved;
    }

    /// <summary>Every rule set, by the date it takes effect.</summary>
    public async Task<IReadOnlyList<DeadlineRuleSet>> GetRuleSetsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<DeadlineRuleSet>().AsNoTracking().OrderBy(r => r.EffectiveFrom).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds a rule set taking effect on a date (complaints received from then on follow it).</summary>
    /// <exception cref="CalendarValidationException">A value is out of range or another rule set takes effect on the same date.</exception>
    public async Task<DeadlineRuleSet> AddRuleSetAsync(DeadlineRuleSet ruleSet, string by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ruleSet);
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        var errors = ValidateRuleSet(ruleSet);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (await db.Set<DeadlineRuleSet>().AnyAsync(r => r.EffectiveFrom == ruleSet.EffectiveFrom, cancellationToken).ConfigureAwait(false))
        {
            errors["effectiveFrom"] = [string.Create(CultureInfo.InvariantCulture, $"{ruleSet.EffectiveFrom:yyyy-MM-dd} 已有生效的规则 (a rule set already takes effect on {ruleSet.EffectiveFrom:yyyy-MM-dd}).")];
        }

        if (errors.Count > 0)
        {
            throw new CalendarValidationException(errors);
        }

        ruleSet.Id = 0;
        ruleSet.Name = ruleSet.Name.Trim();
        ruleSet.UpdatedBy = Truncate(by.Trim(), MaxUserLength);
        db.Add(ruleSet);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        calendar.Invalidate();
        return ruleSet;
    }

    /// <summary>
    /// The 2026 arrangement and the rule sets of SAMR Orders 20 and 121, unless already there (the host calls it at
    /// every start; two hosts starting together are fine).
    /// </summary>
    public async Task SeedAsync(CancellationToken cancellationToken = default)
    {
        await SeedRulesAndYearAsync(cancellationToken).ConfigureAwait(false);
        calendar.Invalidate();
    }

    private async Task SeedRulesAndYearAsync(CancellationToken cancellationToken)
    {
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await db.Set<DeadlineRuleSet>().AnyAsync(cancellationToken).ConfigureAwait(false))
            {
                db.Add(new DeadlineRuleSet
                {
                    Name = "《市场监督管理投诉举报处理暂行办法》（总局令第20号）",
                    EffectiveFrom = new DateOnly(2020, 1, 1),
                    MediationLimit = 45,
                    MediationLimitUnit = DeadlineUnit.WorkingDays,
                    UpdatedBy = "system",
                });
                db.Add(new DeadlineRuleSet
                {
                    Name = "《市场监督管理投诉举报处理办法》（总局令第121号）",
                    EffectiveFrom = new DateOnly(2026, 4, 15),
                    MediationLimit = 60,
                    MediationLimitUnit = DeadlineUnit.CalendarDays,
                    UpdatedBy = "system",
                });
                await SaveIgnoringRaceAsync(db, cancellationToken).ConfigureAwait(false);
            }

            if (await db.Set<CalendarYear>().AnyAsync(y => y.Year == 2026, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }

        static IEnumerable<CalendarDayInput> Off(int month, int from, int to, string name)
            => Enumerable.Range(from, to - from + 1).Select(d => new CalendarDayInput(new DateOnly(2026, month, d), CalendarDayKind.Holiday, name));
        static CalendarDayInput Work(int month, int day, string name) => new(new DateOnly(2026, month, day), CalendarDayKind.MakeUpWorkday, name);
        CalendarDayInput[] days =
        [
            .. Off(1, 1, 3, "元旦"), Work(1, 4, "元旦"),
            .. Off(2, 15, 23, "春节"), Work(2, 14, "春节"), Work(2, 28, "春节"),
            .. Off(4, 4, 6, "清明节"),
            .. Off(5, 1, 5, "劳动节"), Work(5, 9, "劳动节"),
            .. Off(6, 19, 21, "端午节"),
            .. Off(9, 25, 27, "中秋节"),
            .. Off(10, 1, 7, "国庆节"), Work(9, 20, "国庆节"), Work(10, 10, "国庆节"),
        ];
        try
        {
            await SaveYearAsync(2026, new CalendarYearInput(Notice2026, days), "system", cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // Another host may have seeded it at the same moment: then theirs stands.
            if (await GetYearAsync(2026, cancellationToken).ConfigureAwait(false) is null)
            {
                throw;
            }
        }
    }

    private static async Task SaveIgnoringRaceAsync(DomainDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // Another host seeded the rule sets at the same moment (unique effective dates): theirs stand.
            db.ChangeTracker.Clear();
            if (!await db.Set<DeadlineRuleSet>().AnyAsync(cancellationToken).ConfigureAwait(false))
            {
                throw;
            }
        }
    }

    private static void Validate(int year, CalendarYearInput input)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Add(string key, string message) => errors[key] = errors.TryGetValue(key, out var existing) ? [.. existing, message] : [message];

        if (year is < 2000 or > 2100)
        {
            Add("year", string.Create(CultureInfo.InvariantCulture, $"年份 {year} 不在 2000-2100 之间 (year {year} is not between 2000 and 2100)."));
        }

        if (string.IsNullOrWhiteSpace(input.Source))
        {
            Add("source", "请注明依据的通知，如 国务院办公厅关于2027年部分节假日安排的通知 (source: name the notice the arrangement comes from).");
        }
        else if (input.Source.Trim().Length > MaxSourceLength)
        {
            Add("source", $"依据的通知最多 {MaxSourceLength} 字 (source: at most {MaxSourceLength} characters).");
        }

        if (input.Days is null)
        {
            Add("days", "请提供节假日与调休上班日列表 (days: the list of holidays and make-up working days is missing).");
            throw new CalendarValidationException(errors);
        }

        foreach (var group in input.Days.GroupBy(d => d.Date))
        {
            var date = group.Key.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var key = $"days[{date}]";
            var weekday = group.Key.DayOfWeek;
            if (group.Select(d => d.Kind).Distinct().Count() > 1)
            {
                Add(key + ".kind", $"{date} 不能既是放假日又是调休上班日 ({date} is listed both as a holiday and as a make-up working day).");
            }
            else if (group.Count() > 1)
            {
                Add(key + ".date", $"{date} 重复出现 ({date} is listed more than once).");
            }

            if (group.Key.Year != year)
            {
                Add(key + ".date", string.Create(CultureInfo.InvariantCulture, $"{date} 不在 {year} 年内 ({date} is not in {year})."));
            }

            foreach (var day in group)
            {
                if (!Enum.IsDefined(day.Kind))
                {
                    Add(key + ".kind", $"{date} 的类型应为 Holiday（放假）或 MakeUpWorkday（调休上班） ({date}: kind must be Holiday or MakeUpWorkday).");
                }
                else if (day.Kind == CalendarDayKind.MakeUpWorkday && weekday is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
                {
                    Add(key + ".kind", $"{date} 是{ChineseWeekday(weekday)}：调休上班日应为周六或周日 ({date} is a {weekday}: a make-up working day must be a Saturday or Sunday).");
                }

                if (string.IsNullOrWhiteSpace(day.Name))
                {
                    Add(key + ".name", $"请填写 {date} 所属节日名称，如 春节 ({date}: name the holiday it belongs to).");
                }
                else if (day.Name.Trim().Length > MaxNameLength)
                {
                    Add(key + ".name", $"{date} 的节日名称最多 {MaxNameLength} 字 ({date}: the holiday name has at most {MaxNameLength} characters).");
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new CalendarValidationException(errors);
        }
    }

    private static Dictionary<string, string[]> ValidateRuleSet(DeadlineRuleSet ruleSet)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Range(string field, int value, int max)
        {
            if (value < 1 || value > max)
            {
                errors[field] = [string.Create(CultureInfo.InvariantCulture, $"{field} 应在 1 到 {max} 之间，现为 {value} ({field} must be 1 to {max}, not {value}).")];
            }
        }

        if (string.IsNullOrWhiteSpace(ruleSet.Name))
        {
            errors["name"] = ["请填写规则名称，如 依据的规章 (name is required, e.g. the regulation it follows)."];
        }
        else if (ruleSet.Name.Trim().Length > MaxRuleSetNameLength)
        {
            errors["name"] = [$"规则名称最多 {MaxRuleSetNameLength} 字 (name: at most {MaxRuleSetNameLength} characters)."];
        }

        if (ruleSet.EffectiveFrom.Year is < 2000 or > 2100)
        {
            errors["effectiveFrom"] = [string.Create(CultureInfo.InvariantCulture, $"生效日期 {ruleSet.EffectiveFrom:yyyy-MM-dd} 不在 2000-2100 年间 (effectiveFrom must be between 2000 and 2100).")];
        }

        Range("acceptanceWorkingDays", ruleSet.AcceptanceWorkingDays, 60);
        Range("simpleWorkingDays", ruleSet.SimpleWorkingDays, 60);
        Range("generalWorkingDays", ruleSet.GeneralWorkingDays, 60);
        Range("complexWorkingDays", ruleSet.ComplexWorkingDays, 120);
        Range("mediationLimit", ruleSet.MediationLimit, 365);
        Range("terminationNoticeWorkingDays", ruleSet.TerminationNoticeWorkingDays, 60);
        Range("caseOpeningWorkingDays", ruleSet.CaseOpeningWorkingDays, 120);
        Range("caseOpeningExtensionWorkingDays", ruleSet.CaseOpeningExtensionWorkingDays, 120);
        Range("reporterNoticeWorkingDays", ruleSet.ReporterNoticeWorkingDays, 60);
        Range("hotlineReplyWorkingDays", ruleSet.HotlineReplyWorkingDays, 60);
        Range("letterReplyWorkingDays", ruleSet.LetterReplyWorkingDays, 60);
        Range("socialSimpleReplyHours", ruleSet.SocialSimpleReplyHours, 24 * 30);
        Range("socialGeneralReplyHours", ruleSet.SocialGeneralReplyHours, 24 * 30);
        Range("socialComplexReplyHours", ruleSet.SocialComplexReplyHours, 24 * 30);
        Range("registrationMinutes", ruleSet.RegistrationMinutes, 24 * 60);
        if (ruleSet.SimpleWorkingDays > ruleSet.GeneralWorkingDays || ruleSet.GeneralWorkingDays > ruleSet.ComplexWorkingDays)
        {
            errors["generalWorkingDays"] = ["处理期限应为 简易 ≤ 一般 ≤ 复杂 (handling deadlines must grow from simple to general to complex)."];
        }

        if (double.IsNaN(ruleSet.WarningFraction) || ruleSet.WarningFraction is <= 0 or >= 1)
        {
            errors["warningFraction"] = [string.Create(CultureInfo.InvariantCulture, $"预警比例应大于 0 且小于 1，如 0.8，现为 {ruleSet.WarningFraction} (warningFraction must be between 0 and 1, e.g. 0.8).")];
        }

        if (ruleSet.MediationLimitUnit is not (DeadlineUnit.CalendarDays or DeadlineUnit.WorkingDays))
        {
            errors["mediationLimitUnit"] = ["调解时限单位应为 CalendarDays（自然日）或 WorkingDays（工作日） (mediationLimitUnit must be CalendarDays or WorkingDays)."];
        }

        return errors;
    }

    private static string ChineseWeekday(DayOfWeek day) => day switch
    {
        DayOfWeek.Monday => "星期一",
        DayOfWeek.Tuesday => "星期二",
        DayOfWeek.Wednesday => "星期三",
        DayOfWeek.Thursday => "星期四",
        DayOfWeek.Friday => "星期五",
        DayOfWeek.Saturday => "星期六",
        _ => "星期日",
    };

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
