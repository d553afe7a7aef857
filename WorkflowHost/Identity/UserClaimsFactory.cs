using System.Security.Claims;
using ComplaintWorkflows.Activities.Organisation;
using ComplaintWorkflows.WorkflowHost.Complaints;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.WorkflowHost.Identity;

/// <summary>
/// The claims of a signed-in user, the same for cookie, Basic and token sign-in: Identity's (name, id, roles,
/// security stamp) plus the unit (<see cref="StaffUser.UnitClaim"/>) and the display name.
/// </summary>
internal sealed class UserClaimsFactory(UserManager<ApplicationUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options, OrganisationService organisation,
    Microsoft.EntityFrameworkCore.IDbContextFactory<ComplaintWorkflows.Activities.Data.DomainDbContext> domain)
    : UserClaimsPrincipalFactory<ApplicationUser, IdentityRole>(users, roles, options)
{
    public const string DisplayNameClaim = "display_name";

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(ApplicationUser user)
    {
        var identity = await base.GenerateClaimsAsync(user).ConfigureAwait(false);

        // Staff get their unit, the units they oversee and their task groups from the organisation.
        var profile = user.UserName is null ? null : await organisation.ProfileAsync(user.UserName).ConfigureAwait(false);
        var unit = string.IsNullOrEmpty(user.UnitId) ? profile?.UnitId : user.UnitId;
        if (!string.IsNullOrEmpty(unit))
        {
            identity.AddClaim(new Claim(StaffUser.UnitClaim, unit));
        }

        if (profile is not null && profile.UnitId == unit)
        {
            StaffUser.AddOrganisationClaims(identity, profile);
        }

        if (!string.IsNullOrEmpty(user.DisplayName))
        {
            identity.AddClaim(new Claim(DisplayNameClaim, user.DisplayName));
        }

        // An enterprise portal account gets its business (the fourth kind of user: scoped to one ODR business and its branches).
        if (user.UserName is not null && await Odr.OdrAccounts.BusinessOfAsync(domain, user.UserName).ConfigureAwait(false) is { } business)
        {
            identity.AddClaim(new Claim(StaffUser.BusinessClaim, business));
        }

        return identity;
    }
}

/// <summary>Identity's validation messages, Chinese first, English second.</summary>
internal sealed class ChineseIdentityErrorDescriber : IdentityErrorDescriber
{
    public override IdentityError DefaultError() => Error(nameof(DefaultError), "操作失败 (The operation failed).");

    public override IdentityError ConcurrencyFailure() => Error(nameof(ConcurrencyFailure), "该用户已被他人修改，请刷新后重试 (The user was changed meanwhile: reload and try again).");

    public override IdentityError PasswordMismatch() => Error(nameof(PasswordMismatch), "密码错误 (Wrong password).");

    public override IdentityError InvalidToken() => Error(nameof(InvalidToken), "令牌无效 (Invalid token).");

    public override IdentityError InvalidUserName(string? userName) => Error(nameof(InvalidUserName), $"用户名 '{userName}' 无效：只能包含字母、数字和 - . _ @ + (User name '{userName}' is invalid: letters, digits and - . _ @ + only).");

    public override IdentityError InvalidEmail(string? email) => Error(nameof(InvalidEmail), $"邮箱 '{email}' 无效 (Email '{email}' is invalid).");

    public override IdentityError DuplicateUserName(string userName) => Error(nameof(DuplicateUserName), $"用户名 '{userName}' 已存在 (User name '{userName}' is taken).");

    public override IdentityError DuplicateEmail(string email) => Error(nameof(DuplicateEmail), $"邮箱 '{email}' 已被使用 (Email '{email}' is taken).");

    public override IdentityError InvalidRoleName(string? role) => Error(nameof(InvalidRoleName), $"角色 '{role}' 无效 (Role '{role}' is invalid).");

    public override IdentityError DuplicateRoleName(string role) => Error(nameof(DuplicateRoleName), $"角色 '{role}' 已存在 (Role '{role}' exists).");

    public override IdentityError UserAlreadyHasPassword() => Error(nameof(UserAlreadyHasPassword), "该用户已设置密码 (The user has a password already).");

    public override IdentityError UserLockoutNotEnabled() => Error(nameof(UserLockoutNotEnabled), "该用户未启用锁定 (Lockout is not enabled for this user).");

    public override IdentityError UserAlreadyInRole(string role) => Error(nameof(UserAlreadyInRole), $"用户已有角色 '{role}' (The user has role '{role}' already).");

    public override IdentityError UserNotInRole(string role) => Error(nameof(UserNotInRole), $"用户没有角色 '{role}' (The user does not have role '{role}').");

    public override IdentityError PasswordTooShort(int length) => Error(nameof(PasswordTooShort), $"密码至少 {length} 个字符 (The password needs at least {length} characters).");

    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars) => Error(nameof(PasswordRequiresUniqueChars), $"密码至少包含 {uniqueChars} 个不同的字符 (The password needs at least {uniqueChars} different characters).");

    public override IdentityError PasswordRequiresNonAlphanumeric() => Error(nameof(PasswordRequiresNonAlphanumeric), "密码须包含符号 (The password needs a symbol).");

    public override IdentityError PasswordRequiresDigit() => Error(nameof(PasswordRequiresDigit), "密码须包含数字 (The password needs a digit).");

    public override IdentityError PasswordRequiresLower() => Error(nameof(PasswordRequiresLower), "密码须包含小写字母 (The password needs a lower-case letter).");

    public override IdentityError PasswordRequiresUpper() => Error(nameof(PasswordRequiresUpper), "密码须包含大写字母 (The password needs an upper-case letter).");

    private static IdentityError Error(string code, string description) => new() { Code = code, Description = description };
}
