using ComplaintWorkflows.Activities.Data;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.Activities.Calendar;

/// <summary>A calendar or rule-set change that cannot be saved, with the problems by field or date.</summary>
public sealed class CalendarValidationException(IReadOnlyDictionary<string, string[]> errors)
    : Exception("日历或期限规则有误 (The calendar or rule set has errors): " + string.Join("; ", errors.Select(e => e.Key + ": " + string.Join(" ", e.Value))))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}

/// <summary>What an administrator sends for a year.</summary>
public sealed record CalendarYearInput(string Source, IReadOnlyList<CalendarDayInput> Days);

public sealed record CalendarDayInput(DateOnly Date, CalendarDayKind Kind, string Name);

/// <summary>
/// Administration of the working-day calendar (one year at a time, as each notice is published) and of the
/// deadline rule sets; seeds the 2026 calendar and the two SAMR orders' rule sets at first start.
/// </summary>
public sealed class CalendarService(IDbContextFactory<DomainDbContext> contexts, WorkingCalendar calendar, TimeProvider time)
{
    public async Task<IReadOnlyList<CalendarYear>> GetYearsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<CalendarYear>().AsNoTracking().Include(y => y.Days.OrderBy(d => d.Date)).OrderBy(y => y.Year).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds or replaces a year's holidays and make-up working days.</summary>
    public async Task<CalendarYear> SaveYearAsync(int year, CalendarYearInput input, string by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (year is < 2000 or > 2100)
        {
            errors["year"] = [$"年份 {year} 不在 2000-2100 之间 (year out of range)."];
        }

        if (string.IsNullOrWhiteSpace(input.Source))
        {
            errors["source"] = ["请注明依据的通知 (source: name the notice the arrangement comes from)."];
        }

        foreach (var group in (input.Days ?? []).GroupBy(d => d.Date))
        {
            var key = $"days[{group.Key:yyyy-MM-dd}]";
            var day = group.First();
            if (group.Count() > 1)
            {
                errors[key] = ["同一日期出现多次（不能既是假日又是调休上班日） (the date is listed more than once)."];
            }
            else if (day.Date.Year != year)
            {
                errors[key] = [$"日期不在 {year} 年内 (the date is not in {year})."];
            }
            else if (day.Kind == CalendarDayKind.MakeUpWorkday && day.Date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            {
                errors[key] = ["调休上班日应为周六或周日 (a make-up working day falls on a Saturday or Sunday)."];
            }
            else if (string.IsNullOrWhiteSpace(day.Name))
            {
                errors[key] = ["请填写所属节日名称 (name the holiday)."];
            }
        }

        if (errors.Count > 0)
        {
            throw new CalendarValidationException(errors);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
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
            UpdatedBy = by,
            UpdatedAt = time.GetUtcNow(),
            Days = [.. input.Days!.Select(d => new CalendarDay { Date = d.Date, Year = year, Kind = d.Kind, Name = d.Name.Trim() })],
        };
        db.Add(saved);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        calendar.Invalidate();
        return saved;
    }

    public async Task<IReadOnlyList<DeadlineRuleSet>> GetRuleSetsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<DeadlineRuleSet>().AsNoTracking().OrderBy(r => r.EffectiveFrom).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds a rule set taking effect on a date (complaints received from then on follow it).</summary>
    public async Task<DeadlineRuleSet> AddRuleSetAsync(DeadlineRuleSet ruleSet, string by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ruleSet);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Positive(string field, int value, int max)
        {
            if (value < 1 || value > max)
            {
                errors[field] = [$"应在 1 到 {max} 之间 ({field} must be 1 to {max})."];
            }
        }

        if (string.IsNullOrWhiteSpace(ruleSet.Name))
        {
            errors["name"] = ["请填写规则名称 (name is required)."];
        }

        Positive("acceptanceWorkingDays", ruleSet.AcceptanceWorkingDays, 60);
        Positive("simpleWorkingDays", ruleSet.SimpleWorkingDays, 60);
        Positive("generalWorkingDays", ruleSet.GeneralWorkingDays, 60);
        Positive("complexWorkingDays", ruleSet.ComplexWorkingDays, 120);
        Positive("mediationLimit", ruleSet.MediationLimit, 365);
        Positive("caseOpeningWorkingDays", ruleSet.CaseOpeningWorkingDays, 120);
        Positive("reporterNoticeWorkingDays", ruleSet.ReporterNoticeWorkingDays, 60);
        Positive("registrationMinutes", ruleSet.RegistrationMinutes, 24 * 60);
        if (ruleSet.WarningFraction is <= 0 or >= 1)
        {
            errors["warningFraction"] = ["预警比例应大于 0 且小于 1，如 0.8 (warningFraction must be between 0 and 1)."];
        }

        if (ruleSet.MediationLimitUnit is not (DeadlineUnit.CalendarDays or DeadlineUnit.WorkingDays))
        {
            errors["mediationLimitUnit"] = ["调解时限单位应为 CalendarDays 或 WorkingDays (mediationLimitUnit must be CalendarDays or WorkingDays)."];
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (await db.Set<DeadlineRuleSet>().AnyAsync(r => r.EffectiveFrom == ruleSet.EffectiveFrom, cancellationToken).ConfigureAwait(false))
        {
            errors["effectiveFrom"] = [$"{ruleSet.EffectiveFrom:yyyy-MM-dd} 已有生效的规则 (a rule set already takes effect on that date)."];
        }

        if (errors.Count > 0)
        {
            throw new CalendarValidationException(errors);
        }

        ruleSet.Id = 0;
        ruleSet.UpdatedBy = by;
        db.Add(ruleSet);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return ruleSet;
    }

    /// <summary>The 2026 arrangement and the rule sets of SAMR Orders 20 and 121, unless already there.</summary>
    public async Task SeedAsync(CancellationToken cancellationToken = default)
    {
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await db.Set<DeadlineRuleSet>().AnyAsync(cancellationToken).ConfigureAwait(false))
            {
                db.Add(new DeadlineRuleSet
                {
                    Name = "《市场监督管理投诉举报处理暂行办法》（总局令第20号）",
                    EffectiveFrom = new DateOnly(2019, 1, 1),
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
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }

            if (await db.Set<CalendarYear>().AnyAsync(y => y.Year == 2026, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }

        static IEnumerable<CalendarDayInput> Range(int month, int from, int to, CalendarDayKind kind, string name)
            => Enumerable.Range(from, to - from + 1).Select(d => new CalendarDayInput(new DateOnly(2026, month, d), kind, name));
        var off = CalendarDayKind.Holiday;
        var work = CalendarDayKind.MakeUpWorkday;
        CalendarDayInput[] days =
        [
            .. Range(1, 1, 3, off, "元旦"), new(new DateOnly(2026, 1, 4), work, "元旦"),
            .. Range(2, 15, 23, off, "春节"), new(new DateOnly(2026, 2, 14), work, "春节"), new(new DateOnly(2026, 2, 28), work, "春节"),
            .. Range(4, 4, 6, off, "清明节"),
            .. Range(5, 1, 5, off, "劳动节"), new(new DateOnly(2026, 5, 9), work, "劳动节"),
            .. Range(6, 19, 21, off, "端午节"),
            .. Range(9, 25, 27, off, "中秋节"),
            .. Range(10, 1, 7, off, "国庆节"), new(new DateOnly(2026, 9, 20), work, "国庆节"), new(new DateOnly(2026, 10, 10), work, "国庆节"),
        ];
        await SaveYearAsync(2026, new CalendarYearInput("国务院办公厅关于2026年部分节假日安排的通知（2025-11-04）", days), "system", cancellationToken).ConfigureAwait(false);
    }
}
