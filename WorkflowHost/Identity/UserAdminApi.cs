using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.WorkflowHost.Identity;

/// <summary>
/// <c>/api/admin</c>, administrators only: users (list, create with roles and unit, change roles, reset the
/// password, lock and unlock) and the roles there are. The last unlocked administrator cannot be locked or lose
/// the role.
/// </summary>
public static class UserAdminApi
{
    public const string Tag = "User administration";

    /// <summary>A lockout without an end (a far date both databases store exactly).</summary>
    private static readonly DateTimeOffset Indefinitely = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static IEndpointRouteBuilder MapUserAdminApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/admin").WithTags(Tag).RequireAuthorization(Policies.Administrator);
        api.MapGet("/roles", GetRoles)
            .WithName("GetRoles")
            .WithSummary("The roles with their display names.");
        api.MapGet("/users", GetUsersAsync)
            .WithName("GetUsers")
            .WithSummary("Every user with roles, unit and lockout.");
        api.MapPost("/users", CreateUserAsync)
            .WithName("CreateUser")
            .WithSummary("Creates a user with a password, roles and unit.");
        api.MapPut("/users/{userName}/roles", SetRolesAsync)
            .WithName("SetUserRoles")
            .WithSummary("Replaces the user's roles.");
        api.MapPost("/users/{userName}/password", ResetPasswordAsync)
            .WithName("ResetUserPassword")
            .WithSummary("Sets a new password for the user (and clears a lockout).");
        api.MapPost("/users/{userName}/lock", LockAsync)
            .WithName("LockUser")
            .WithSummary("Locks the user out (until a time, or until unlocked); their sign-ins and tokens stop working.");
        api.MapPost("/users/{userName}/unlock", UnlockAsync)
            .WithName("UnlockUser")
            .WithSummary("Ends a lockout and resets the count of wrong passwords.");
        api.MapGet("/address-lockouts", ListAddressLockoutsAsync)
            .WithName("GetAddressLockouts")
            .WithSummary("Client addresses locked out of sign-in after too many failures, with the lockout's end.");
        api.MapDelete("/address-lockouts/{address}", UnlockAddressAsync)
            .WithName("UnlockAddress")
            .WithSummary("Lifts an address's sign-in lockout and forgets its failures.");
        return endpoints;
    }

    private static Ok<IEnumerable<RoleDto>> GetRoles()
        => TypedResults.Ok(RoleNames.All.Select(r => new RoleDto(r, RoleNames.DisplayNames[r])));

    private static async Task<Ok<List<UserDto>>> GetUsersAsync(UserManager<ApplicationUser> users, TimeProvider time, CancellationToken cancellationToken)
    {
        var all = await users.Users.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
        var result = new List<UserDto>(all.Count);
        foreach (var user in all.OrderBy(u => u.UserName, StringComparer.Ordinal))
        {
            result.Add(await UserDto.OfAsync(user, users, time).ConfigureAwait(false));
        }

        return TypedResults.Ok(result);
    }

    private static async Task<Results<Created<UserDto>, ValidationProblem>> CreateUserAsync(CreateUserRequest body, UserManager<ApplicationUser> users, TimeProvider time)
    {
        var roles = body.Roles ?? [];
        if (UnknownRoles(roles) is { } unknown)
        {
            return unknown;
        }

        if (string.IsNullOrEmpty(body.Password))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["password"] = ["请设置初始密码 (A password is required)."] });
        }

        var user = new ApplicationUser
        {
            UserName = body.UserName?.Trim(),
            DisplayName = body.DisplayName?.Trim(),
            Email = string.IsNullOrWhiteSpace(body.Email) ? null : body.Email.Trim(),
            UnitId = string.IsNullOrWhiteSpace(body.UnitId) ? null : body.UnitId.Trim(),
            DepartmentId = string.IsNullOrWhiteSpace(body.DepartmentId) ? null : body.DepartmentId.Trim(),
            Locale = string.IsNullOrWhiteSpace(body.Locale) ? "zh-CN" : body.Locale.Trim(),
        };
        var created = await users.CreateAsync(user, body.Password).ConfigureAwait(false);
        if (!created.Succeeded)
        {
            return IdentityProblems.Validation(created);
        }

        var added = await users.AddToRolesAsync(user, roles.Distinct(StringComparer.Ordinal)).ConfigureAwait(false);
        if (!added.Succeeded)
        {
            return IdentityProblems.Validation(added);
        }

        return TypedResults.Created($"/api/admin/users/{Uri.EscapeDataString(user.UserName!)}", await UserDto.OfAsync(user, users, time).ConfigureAwait(false));
    }

    private static async Task<Results<Ok<UserDto>, ValidationProblem, ProblemHttpResult>> SetRolesAsync(string userName, SetRolesRequest body, UserManager<ApplicationUser> users, TimeProvider time)
    {
        var wanted = (body.Roles ?? []).Distinct(StringComparer.Ordinal).ToList();
        if (UnknownRoles(wanted) is { } unknown)
        {
            return unknown;
        }

        if (await users.FindByNameAsync(userName).ConfigureAwait(false) is not { } user)
        {
            return NotFound(userName);
        }

        var current = await users.GetRolesAsync(user).ConfigureAwait(false);
        if (current.Contains(RoleNames.Administrator) && !wanted.Contains(RoleNames.Administrator) && await IsLastAdministratorAsync(users, user).ConfigureAwait(false))
        {
            return LastAdministrator(userName);
        }

        var removed = await users.RemoveFromRolesAsync(user, current.Except(wanted, StringComparer.Ordinal)).ConfigureAwait(false);
        var added = removed.Succeeded ? await users.AddToRolesAsync(user, wanted.Except(current, StringComparer.Ordinal)).ConfigureAwait(false) : removed;
        if (!added.Succeeded)
        {
            return IdentityProblems.Validation(added);
        }

        return TypedResults.Ok(await UserDto.OfAsync(user, users, time).ConfigureAwait(false));
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ResetPasswordAsync(string userName, ResetPasswordRequest body, UserManager<ApplicationUser> users, ApiTokenService tokens, CancellationToken cancellationToken)
    {
        if (await users.FindByNameAsync(userName).ConfigureAwait(false) is not { } user)
        {
            return NotFound(userName);
        }

        var token = await users.GeneratePasswordResetTokenAsync(user).ConfigureAwait(false);
        var reset = await users.ResetPasswordAsync(user, token, body.Password ?? "").ConfigureAwait(false);
        if (!reset.Succeeded)
        {
            return IdentityProblems.Validation(reset);
        }

        await users.SetLockoutEndDateAsync(user, null).ConfigureAwait(false);
        await users.ResetAccessFailedCountAsync(user).ConfigureAwait(false);

        // A reset means the old credentials may be known to someone else: the user's tokens go too.
        await tokens.RevokeAllAsync(user.Id, cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<UserDto>, ValidationProblem, ProblemHttpResult>> LockAsync(string userName, LockRequest? body, UserManager<ApplicationUser> users, TimeProvider time)
    {
        if (await users.FindByNameAsync(userName).ConfigureAwait(false) is not { } user)
        {
            return NotFound(userName);
        }

        if (body?.Until is { } until && until <= time.GetUtcNow())
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["until"] = ["锁定截止时间须在将来 (The lockout end must be in the future)."] });
        }

        if (await users.IsInRoleAsync(user, RoleNames.Administrator).ConfigureAwait(false) && await IsLastAdministratorAsync(users, user).ConfigureAwait(false))
        {
            return LastAdministrator(userName);
        }

        await users.SetLockoutEnabledAsync(user, true).ConfigureAwait(false);
        var locked = await users.SetLockoutEndDateAsync(user, body?.Until?.ToUniversalTime() ?? Indefinitely).ConfigureAwait(false);
        if (!locked.Succeeded)
        {
            return IdentityProblems.Validation(locked);
        }

        // Signed-in browsers notice at their next security stamp check.
        await users.UpdateSecurityStampAsync(user).ConfigureAwait(false);
        return TypedResults.Ok(await UserDto.OfAsync(user, users, time).ConfigureAwait(false));
    }

    private static async Task<Results<Ok<UserDto>, ProblemHttpResult>> UnlockAsync(string userName, UserManager<ApplicationUser> users, TimeProvider time)
    {
        if (await users.FindByNameAsync(userName).ConfigureAwait(false) is not { } user)
        {
            return NotFound(userName);
        }

        await users.SetLockoutEndDateAsync(user, null).ConfigureAwait(false);
        await users.ResetAccessFailedCountAsync(user).ConfigureAwait(false);
        return TypedResults.Ok(await UserDto.OfAsync(user, users, time).ConfigureAwait(false));
    }

    private static async Task<Ok<IReadOnlyList<AddressLockoutInfo>>> ListAddressLockoutsAsync(SignInLockout lockout, CancellationToken cancellationToken)
        => TypedResults.Ok(await lockout.ListAsync(cancellationToken).ConfigureAwait(false));

    private static async Task<Results<NoContent, ProblemHttpResult>> UnlockAddressAsync(string address, SignInLockout lockout, CancellationToken cancellationToken)
        => await lockout.UnlockAsync(address, cancellationToken).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : TypedResults.Problem(title: "未找到 (Not found)", detail: $"地址 '{address}' 未被锁定 (The address '{address}' is not locked out).", statusCode: StatusCodes.Status404NotFound, extensions: new Dictionary<string, object?> { ["code"] = "not-found" });

    private static async Task<bool> IsLastAdministratorAsync(UserManager<ApplicationUser> users, ApplicationUser user)
    {
        var others = 0;
        foreach (var admin in await users.GetUsersInRoleAsync(RoleNames.Administrator).ConfigureAwait(false))
        {
            if (admin.Id != user.Id && !await users.IsLockedOutAsync(admin).ConfigureAwait(false))
            {
                others++;
            }
        }

        return others == 0;
    }

    private static ValidationProblem? UnknownRoles(IEnumerable<string> roles)
        => roles.Where(r => !RoleNames.IsKnown(r)).ToList() is { Count: > 0 } unknown
            ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["roles"] = [$"未知角色 (Unknown roles): {string.Join(", ", unknown)}; 可用 (known): {string.Join(", ", RoleNames.All)}"] })
            : null;

    private static ProblemHttpResult NotFound(string userName)
        => TypedResults.Problem(title: "未找到 (Not found)", detail: $"没有用户 '{userName}' (No user '{userName}').", statusCode: StatusCodes.Status404NotFound, extensions: new Dictionary<string, object?> { ["code"] = "not-found" });

    private static ProblemHttpResult LastAdministrator(string userName)
        => TypedResults.Problem(title: "不能移除最后一位管理员 (Last administrator)", detail: $"'{userName}' 是唯一可用的管理员，请先指定另一位管理员 ('{userName}' is the only usable administrator: make another one first).", statusCode: StatusCodes.Status409Conflict, extensions: new Dictionary<string, object?> { ["code"] = "last-administrator" });

    public sealed record RoleDto(string Name, string DisplayName);

    public sealed record CreateUserRequest(string? UserName, string? DisplayName, string? Password, IReadOnlyList<string>? Roles, string? UnitId, string? DepartmentId, string? Locale, string? Email);

    public sealed record SetRolesRequest(IReadOnlyList<string>? Roles);

    public sealed record ResetPasswordRequest(string? Password);

    public sealed record LockRequest(DateTimeOffset? Until);

    public sealed record UserDto(string UserName, string? DisplayName, IReadOnlyList<string> Roles, string? UnitId, string? DepartmentId, string Locale, bool LockedOut, DateTimeOffset? LockoutEnd, int AccessFailedCount)
    {
        internal static async Task<UserDto> OfAsync(ApplicationUser user, UserManager<ApplicationUser> users, TimeProvider time)
        {
            var roles = await users.GetRolesAsync(user).ConfigureAwait(false);
            var lockedOut = user.LockoutEnd is { } end && end > time.GetUtcNow();
            return new UserDto(user.UserName!, user.DisplayName, [.. roles.Order(StringComparer.Ordinal)], user.UnitId, user.DepartmentId, user.Locale, lockedOut, lockedOut ? user.LockoutEnd : null, user.AccessFailedCount);
        }
    }
}
