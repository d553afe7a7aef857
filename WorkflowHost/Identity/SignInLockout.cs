using System.Globalization;
using ComplaintWorkflows.Activities.Calendar;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.WorkflowHost.Identity;

/// <summary>
/// Wrong sign-ins counted per client address, across accounts (password spraying): a row per address in the
/// identity database, so every host on the database counts together. After
/// <see cref="IdentityHostOptions.MaxFailedSignInsPerAddress"/> failures (wrong password, unknown user, wrong token)
/// within <see cref="IdentityHostOptions.AddressFailureWindow"/>, sign-in from the address is refused on every path
/// (page, HTTP Basic, token) for <see cref="IdentityHostOptions.AddressLockoutDuration"/>, even with the right
/// password; an administrator can lift it (<c>DELETE /api/admin/address-lockouts/{address}</c>).
/// </summary>
public sealed class SignInLockout(IDbContextFactory<AuthDbContext> contexts, IOptions<IdentityHostOptions> options, IOptions<CalendarOptions> calendar, TimeProvider time)
{
    /// <summary>When the address's lockout ends, or null when it may sign in (and for an unknown address).</summary>
    public async Task<DateTimeOffset?> LockedUntilAsync(string? address, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(address))
        {
            return null;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var row = await db.AddressLockouts.AsNoTracking().FirstOrDefaultAsync(r => r.Address == address, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        return row?.LockedUntil is { } until && until > now ? DateTimeOffset.FromUnixTimeMilliseconds(until) : null;
    }

    /// <summary>Counts a failed sign-in from the address; answers the lockout's end when this failure locked it.</summary>
    public async Task<DateTimeOffset?> RecordFailureAsync(string? address, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(address))
        {
            return null;
        }

        var settings = options.Value;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var windowStart = now - (long)settings.AddressFailureWindow.TotalMilliseconds;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);

        // One statement, so that hosts counting at the same time do not lose each other's failures.
        var counted = await db.AddressLockouts.Where(r => r.Address == address && r.WindowStartedAt > windowStart)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Failures, r => r.Failures + 1), cancellationToken).ConfigureAwait(false);
        if (counted == 0)
        {
            var row = await db.AddressLockouts.FirstOrDefaultAsync(r => r.Address == address, cancellationToken).ConfigureAwait(false);
            if (row is null)
            {
                db.AddressLockouts.Add(new AddressLockout { Address = address, Failures = 1, WindowStartedAt = now });
            }
            else
            {
                row.Failures = 1;
                row.WindowStartedAt = now;
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbUpdateException)
            {
                // Another host inserted the row first: count on it.
                db.ChangeTracker.Clear();
                await db.AddressLockouts.Where(r => r.Address == address)
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.Failures, r => r.Failures + 1), cancellationToken).ConfigureAwait(false);
            }
        }

        var until = now + (long)settings.AddressLockoutDuration.TotalMilliseconds;
        var locked = await db.AddressLockouts.Where(r => r.Address == address && r.Failures >= settings.MaxFailedSignInsPerAddress)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LockedUntil, until).SetProperty(r => r.Failures, 0).SetProperty(r => r.WindowStartedAt, now), cancellationToken).ConfigureAwait(false);
        return locked > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(until) : null;
    }

    /// <summary>The addresses locked now, with their lockout's end.</summary>
    public async Task<IReadOnlyList<AddressLockoutInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.AddressLockouts.AsNoTracking().Where(r => r.LockedUntil > now).OrderBy(r => r.Address).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => new AddressLockoutInfo(r.Address, DateTimeOffset.FromUnixTimeMilliseconds(r.LockedUntil!.Value)))];
    }

    /// <summary>Lifts the address's lockout and forgets its failures; false when it was not locked.</summary>
    public async Task<bool> UnlockAsync(string address, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var locked = await db.AddressLockouts.AnyAsync(r => r.Address == address && r.LockedUntil > now, cancellationToken).ConfigureAwait(false);
        await db.AddressLockouts.Where(r => r.Address == address).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        return locked;
    }

    /// <summary>The lockout's end as the centre reads it: local time of the calendar's time zone, with the zone named.</summary>
    public string Local(DateTimeOffset until)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(calendar.Value.TimeZone);
        var local = TimeZoneInfo.ConvertTime(until, zone);
        return string.Create(CultureInfo.InvariantCulture, $"{local:yyyy-MM-dd HH:mm:ss} ({calendar.Value.TimeZone})");
    }

    /// <summary>The zh-CN (and English) message for a locked account.</summary>
    public string AccountLocked(DateTimeOffset? until)
        => until is { } end && end.Year < 9999
            ? $"账户因多次密码错误已被锁定，将于 {Local(end)} 自动解锁，也可请管理员解锁 (The account is locked after repeated wrong passwords until {Local(end)}: try then, or ask an administrator to unlock it)."
            : "账户已被管理员锁定，请联系管理员解锁 (The account is locked by an administrator: ask an administrator to unlock it).";

    /// <summary>The zh-CN (and English) message for a locked address.</summary>
    public string AddressLocked(DateTimeOffset until)
        => $"此网络地址登录失败次数过多，已暂停登录，将于 {Local(until)} 恢复，也可请管理员解除 (Too many failed sign-ins from this address: sign-in is suspended until {Local(until)}, or until an administrator lifts it).";
}

/// <summary>A row of <c>auth_address_lockout</c>: failed sign-ins from one address in the current window (times in Unix milliseconds, comparable in SQL on both databases).</summary>
public sealed class AddressLockout
{
    public string Address { get; set; } = "";

    public int Failures { get; set; }

    public long WindowStartedAt { get; set; }

    public long? LockedUntil { get; set; }
}

public sealed record AddressLockoutInfo(string Address, DateTimeOffset LockedUntil);
