using System.Globalization;
using ComplaintWorkflows.Activities.Calendar;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Emergency;
using ComplaintWorkflows.Activities.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Organisation;

/// <summary>A reminder about a unit's duty schedule for a month, sent once (unique per unit, month and kind, so two hosts send one).</summary>
public sealed class RosterReminder
{
    public long Id { get; set; }

    public required string UnitId { get; set; }

    /// <summary>yyyy-MM of the schedule.</summary>
    public required string Month { get; set; }

    /// <summary><c>reminder</c> (before the due day) or <c>overdue</c> (after it, to the leader).</summary>
    public required string Kind { get; set; }

    public DateTimeOffset SentAt { get; set; }

    public string Recipients { get; set; } = "";
}

internal sealed class RosterReminderConfiguration : IEntityTypeConfiguration<RosterReminder>
{
    public void Configure(EntityTypeBuilder<RosterReminder> builder)
    {
        builder.ToTable("cw_roster_reminder");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.UnitId).HasMaxLength(64);
        builder.Property(r => r.Month).HasMaxLength(7);
        builder.Property(r => r.Kind).HasMaxLength(16);
        builder.Property(r => r.Recipients).HasMaxLength(2000);
        builder.HasIndex(r => new { r.UnitId, r.Month, r.Kind }).IsUnique();
    }
}

/// <summary>One day of a unit's duty roster: whether it is a working day, and who is on duty (值班) that day.</summary>
public sealed record RosterDay(DateOnly Date, bool WorkingDay, IReadOnlyList<string> UserNames);

/// <summary>
/// A unit's duty roster (值班表) for a period, every day of it: who is on duty, and the weekend and holiday days
/// still without anyone. For a calendar month also the month (yyyy-MM) and the day its schedule is due; null for
/// any other period.
/// </summary>
public sealed record UnitRoster(
    string UnitId, string UnitName, DateOnly From, DateOnly To, string? Month, DateOnly? DueDate, IReadOnlyList<RosterDay> Days, IReadOnlyList<DateOnly> MissingDays)
{
    public bool Complete => MissingDays.Count == 0;
}

/// <summary>
/// The duty roster (值班表), the one place it is read and written (table <c>cw_duty_shift</c>; assignment reads it
/// through <see cref="OrganisationSnapshot.DutyShifts"/>): a unit's roster for a month or any period of up to
/// <see cref="MaxPeriodDays"/> days, a unit's month replaced as a whole, the weekend and holiday days still without
/// anyone, and reminders to units whose next month is incomplete (from the reminder day; the unit's leader once
/// the due day, the 23rd by default, has passed).
/// </summary>
public sealed class DutyRosterService(
    IDbContextFactory<DomainDbContext> contexts,
    WorkingCalendar calendar,
    TimeProvider time,
    OrganisationCache cache,
    INotificationService notifications,
    IOptions<EmergencyOptions> options)
{
    /// <summary>The longest period read at once: <c>to</c> at most this many days after <c>from</c>.</summary>
    public const int MaxPeriodDays = 366;

    public static bool TryParseMonth(string? text, out DateOnly first)
    {
        first = default;
        if (text is null || !DateOnly.TryParseExact(text.Trim() + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return false;
        }

        first = day;
        return true;
    }

    /// <summary>Today in the centre's time zone.</summary>
    public DateOnly Today() => calendar.LocalDate(time.GetUtcNow());

    /// <summary>A unit's roster for the month of <paramref name="month"/>; null when there is no such unit.</summary>
    public Task<UnitRoster?> GetAsync(string unitId, DateOnly month, CancellationToken cancellationToken = default)
    {
        var first = new DateOnly(month.Year, month.Month, 1);
        return GetAsync(unitId, first, first.AddMonths(1).AddDays(-1), cancellationToken);
    }

    /// <summary>A unit's roster from <paramref name="from"/> to <paramref name="to"/>, both included; null when there is no such unit.</summary>
    public async Task<UnitRoster?> GetAsync(string unitId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(to, from);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(to.DayNumber - from.DayNumber, MaxPeriodDays);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var unit = await db.Set<Unit>().AsNoTracking().FirstOrDefaultAsync(u => u.Id == unitId, cancellationToken).ConfigureAwait(false);
        if (unit is null)
        {
            return null;
        }

        var shifts = (await db.Set<DutyShift>().AsNoTracking().Where(d => d.UnitId == unitId && d.Date >= from && d.Date <= to).ToListAsync(cancellationToken).ConfigureAwait(false))
            .ToLookup(s => s.Date);
        var days = new List<RosterDay>();
        var missing = new List<DateOnly>();
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            var working = calendar.IsWorkingDay(day);
            var names = shifts[day].Select(s => s.UserName).Order(StringComparer.Ordinal).ToList();
            days.Add(new RosterDay(day, working, names));
            if (!working && names.Count == 0)
            {
                missing.Add(day);
            }
        }

        var wholeMonth = from.Day == 1 && to == from.AddMonths(1).AddDays(-1);
        return new UnitRoster(
            unit.Id, unit.Name, from, to, wholeMonth ? from.ToString("yyyy-MM", CultureInfo.InvariantCulture) : null, wholeMonth ? DueDate(from) : null, days, missing);
    }

    /// <summary>The day a month's schedule is due: the due day (23rd) of the month before.</summary>
    public DateOnly DueDate(DateOnly month)
    {
        var previous = new DateOnly(month.Year, month.Month, 1).AddMonths(-1);
        return new DateOnly(previous.Year, previous.Month, options.Value.RosterDueDay);
    }

    /// <summary>
    /// Replaces a unit's roster for a month. Every error is refused by its field: an unknown unit
    /// (<c>unitId</c>), a date outside the month or listed twice (<c>days[i].date</c>), a duty officer who is not
    /// on the staff list, belongs to another unit or is inactive (<c>days[i].userNames</c>).
    /// </summary>
    public async Task<UnitRoster> SaveAsync(string unitId, DateOnly month, IReadOnlyList<RosterDay> days, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(days);
        var first = new DateOnly(month.Year, month.Month, 1);
        var last = first.AddMonths(1).AddDays(-1);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (!await db.Set<Unit>().AnyAsync(u => u.Id == unitId, cancellationToken).ConfigureAwait(false))
        {
            errors["unitId"] = [$"单位“{unitId}”不存在 (unit not found)."];
            throw new OrganisationValidationException(errors);
        }

        var named = days.SelectMany(d => d.UserNames ?? []).Distinct(StringComparer.Ordinal).ToList();
        var members = await db.Set<StaffMember>().AsNoTracking().Where(s => named.Contains(s.UserName)).ToDictionaryAsync(s => s.UserName, StringComparer.Ordinal, cancellationToken).ConfigureAwait(false);
        var listed = new Dictionary<DateOnly, int>();
        for (var i = 0; i < days.Count; i++)
        {
            var day = days[i];
            if (day.Date < first || day.Date > last)
            {
                errors[$"days[{i}].date"] = [$"{day.Date:yyyy-MM-dd} 不在 {first:yyyy-MM} 内 (the date is outside the month)."];
            }
            else if (!listed.TryAdd(day.Date, i))
            {
                errors[$"days[{i}].date"] = [$"{day.Date:yyyy-MM-dd} 已在 days[{listed[day.Date]}] 中安排 (the date is listed twice)."];
            }

            var refused = (day.UserNames ?? []).Distinct(StringComparer.Ordinal).Select(user => Refusal(user, unitId, members)).OfType<string>().ToArray();
            if (refused.Length > 0)
            {
                errors[$"days[{i}].userNames"] = refused;
            }
        }

        if (errors.Count > 0)
        {
            throw new OrganisationValidationException(errors);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await db.Set<DutyShift>().Where(d => d.UnitId == unitId && d.Date >= first && d.Date <= last).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        foreach (var day in days)
        {
            foreach (var user in (day.UserNames ?? []).Distinct(StringComparer.Ordinal))
            {
                db.Add(new DutyShift { UnitId = unitId, Date = day.Date, UserName = user });
            }
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        cache.Invalidate();
        return (await GetAsync(unitId, first, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Why someone cannot be on the unit's duty, or null when they can.</summary>
    private static string? Refusal(string userName, string unitId, Dictionary<string, StaffMember> members)
    {
        if (!members.TryGetValue(userName, out var member))
        {
            return $"人员“{userName}”不在人员名册中 (staff member not found).";
        }

        if (member.UnitId != unitId)
        {
            return $"值班人员“{member.DisplayName}”不属于单位“{unitId}” (the duty officer must belong to the unit).";
        }

        return member.Active ? null : $"人员“{member.DisplayName}”已停用 (staff member is inactive).";
    }

    /// <summary>
    /// Reminds units whose next month's schedule is incomplete: the unit's desk officers from the reminder day,
    /// its leader once the due day has passed. Each reminder goes once (unique row), whichever host sends it.
    /// </summary>
    public async Task<int> RemindAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var today = calendar.LocalDate(now);
        var settings = options.Value;
        if (today.Day < settings.RosterReminderDay)
        {
            return 0;
        }

        var next = new DateOnly(today.Year, today.Month, 1).AddMonths(1);
        var month = next.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var kind = today.Day > settings.RosterDueDay ? "overdue" : "reminder";
        List<Unit> units;
        List<StaffMember> staff;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            var done = await db.Set<RosterReminder>().AsNoTracking().Where(r => r.Month == month && r.Kind == kind).Select(r => r.UnitId).ToListAsync(cancellationToken).ConfigureAwait(false);
            units = await db.Set<Unit>().AsNoTracking().Where(u => u.Active && !done.Contains(u.Id)).ToListAsync(cancellationToken).ConfigureAwait(false);
            staff = await db.Set<StaffMember>().AsNoTracking().Where(s => s.Active).ToListAsync(cancellationToken).ConfigureAwait(false);
        }

        var sent = 0;
        foreach (var unit in units)
        {
            var role = kind == "overdue" ? StaffRoles.Leader : StaffRoles.DeskOfficer;
            var recipients = staff.Where(s => s.UnitId == unit.Id && s.HasRole(role)).Select(s => s.UserName).Order(StringComparer.Ordinal).ToList();
            if (recipients.Count == 0 || await GetAsync(unit.Id, next, cancellationToken).ConfigureAwait(false) is not { Complete: false } roster)
            {
                continue;
            }

            await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            db.Add(new RosterReminder { UnitId = unit.Id, Month = month, Kind = kind, SentAt = now, Recipients = string.Join(',', recipients) });
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbUpdateException)
            {
                continue; // another host sent it
            }

            foreach (var user in recipients)
            {
                try
                {
                    await notifications.EnqueueAsync(new NotificationRequest
                {
                    Key = $"roster:{unit.Id}:{month}:{kind}:{user}",
                    Template = kind == "overdue" ? "roster.overdue" : "roster.reminder",
                    Recipient = new NotificationRecipient { UserName = user },
                    Values = new Dictionary<string, string>(StringComparer.Ordinal)
                    {
                        ["unitName"] = unit.Name,
                        ["month"] = month,
                        ["dueDate"] = DueDate(next).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                        ["missingDays"] = string.Join("、", roster.MissingDays.Select(d => d.ToString("M月d日", CultureInfo.InvariantCulture))),
                    },
                    }, cancellationToken).ConfigureAwait(false);
                }
                catch (NotificationRequestException)
                {
                    // Someone without a phone or email: the others are still reminded; the reminder row lists who was meant.
                }
            }

            sent++;
        }

        return sent;
    }

    public async Task<IReadOnlyList<RosterReminder>> RemindersAsync(string month, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<RosterReminder>().AsNoTracking().Where(r => r.Month == month).OrderBy(r => r.UnitId).ThenBy(r => r.Kind).ToListAsync(cancellationToken).ConfigureAwait(false);
    }
}
