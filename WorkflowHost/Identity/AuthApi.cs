using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace ComplaintWorkflows.WorkflowHost.Identity;

/// <summary>
/// <c>/api/auth</c>: cookie sign-in for the browser UI (login, logout, who am I, change my password) and my
/// personal access tokens for scripts and Camunda clients.
/// </summary>
public static class AuthApi
{
    public const string Tag = "Sign-in";

    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/auth").WithTags(Tag);
        api.MapPost("/login", LoginAsync)
            .AllowAnonymous()
            .RequireRateLimiting(Security.RateLimits.SignIn)
            .WithName("Login")
            .WithSummary("Signs in with user name and password and sets the sign-in cookie; repeated wrong passwords lock the account.");
        api.MapPost("/logout", LogoutAsync)
            .WithName("Logout")
            .WithSummary("Signs out (removes the sign-in cookie).");
        api.MapGet("/me", MeAsync)
            .WithName("GetMe")
            .WithSummary("The signed-in user: user name, display name, roles, unit.");
        api.MapPost("/password", ChangePasswordAsync)
            .WithName("ChangeMyPassword")
            .WithSummary("Changes the signed-in user's password (the current one is required).");
        api.MapPost("/tokens", CreateTokenAsync)
            .WithName("CreateApiToken")
            .WithSummary("Creates a personal access token (Authorization: Bearer <token>); the token is shown only in this answer.");
        api.MapGet("/tokens", ListTokensAsync)
            .WithName("GetApiTokens")
            .WithSummary("My personal access tokens: name, expiry, last use (never the token).");
        api.MapDelete("/tokens/{id}", RevokeTokenAsync)
            .WithName("RevokeApiToken")
            .WithSummary("Revokes one of my personal access tokens.");
        return endpoints;
    }

    private static async Task<Results<Ok<MeDto>, ValidationProblem, ProblemHttpResult>> LoginAsync(LoginRequest body, HttpContext http, SignInManager<ApplicationUser> signIn, UserManager<ApplicationUser> users, SignInLockout lockout)
    {
        if (string.IsNullOrWhiteSpace(body.UserName) || string.IsNullOrEmpty(body.Password))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["userName"] = ["请输入用户名和密码 (User name and password are required)."] });
        }

        var address = http.Connection.RemoteIpAddress?.ToString();
        if (await lockout.LockedUntilAsync(address, http.RequestAborted).ConfigureAwait(false) is { } addressLocked)
        {
            return Refused("address-locked", lockout.AddressLocked(addressLocked), addressLocked);
        }

        var userName = body.UserName.Trim();
        var result = await signIn.PasswordSignInAsync(userName, body.Password, isPersistent: false, lockoutOnFailure: true).ConfigureAwait(false);
        var user = await users.FindByNameAsync(userName).ConfigureAwait(false);
        if (result.Succeeded)
        {
            return TypedResults.Ok(await MeDto.OfAsync(user!, users).ConfigureAwait(false));
        }

        if (await lockout.RecordFailureAsync(address, http.RequestAborted).ConfigureAwait(false) is { } nowLocked)
        {
            return Refused("address-locked", lockout.AddressLocked(nowLocked), nowLocked);
        }

        if (result.IsLockedOut)
        {
            var until = await users.GetLockoutEndDateAsync(user!).ConfigureAwait(false);
            return Refused("locked-out", lockout.AccountLocked(until), until);
        }

        return Refused("wrong-credentials", "用户名或密码错误 (Wrong user name or password).");
    }

    private static async Task<NoContent> LogoutAsync(SignInManager<ApplicationUser> signIn)
    {
        await signIn.SignOutAsync().ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<MeDto>, ProblemHttpResult>> MeAsync(ClaimsPrincipal principal, UserManager<ApplicationUser> users)
        => await users.GetUserAsync(principal).ConfigureAwait(false) is { } user
            ? TypedResults.Ok(await MeDto.OfAsync(user, users).ConfigureAwait(false))
            : Refused("unauthenticated", "用户不存在 (The signed-in user no longer exists).");

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ChangePasswordAsync(ChangePasswordRequest body, ClaimsPrincipal principal, UserManager<ApplicationUser> users, SignInManager<ApplicationUser> signIn)
    {
        if (await users.GetUserAsync(principal).ConfigureAwait(false) is not { } user)
        {
            return Refused("unauthenticated", "用户不存在 (The signed-in user no longer exists).");
        }

        var result = await users.ChangePasswordAsync(user, body.CurrentPassword ?? "", body.NewPassword ?? "").ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return IdentityProblems.Validation(result);
        }

        // The initial password is gone: the user may use everything now.
        foreach (var claim in (await users.GetClaimsAsync(user).ConfigureAwait(false)).Where(c => c.Type == PasswordChangeGate.Claim).ToList())
        {
            await users.RemoveClaimAsync(user, claim).ConfigureAwait(false);
        }

        if (principal.Identity?.AuthenticationType == IdentityConstants.ApplicationScheme)
        {
            await signIn.RefreshSignInAsync(user).ConfigureAwait(false);
        }

        return TypedResults.NoContent();
    }

    private static async Task<Results<Created<CreatedApiToken>, ValidationProblem, ProblemHttpResult>> CreateTokenAsync(CreateTokenRequest body, ClaimsPrincipal principal, UserManager<ApplicationUser> users, ApiTokenService tokens, CancellationToken cancellationToken)
    {
        // A principal whose user is gone (deleted while signed in) has nobody to own the token.
        if (users.GetUserId(principal) is not { } userId || await users.FindByIdAsync(userId).ConfigureAwait(false) is null)
        {
            return Refused("unauthenticated", "用户不存在 (The signed-in user no longer exists).");
        }

        try
        {
            var created = await tokens.CreateAsync(userId, body.Name ?? "", body.ExpiresInDays ?? 90, cancellationToken).ConfigureAwait(false);
            return TypedResults.Created($"/api/auth/tokens/{created.Id}", created);
        }
        catch (ArgumentException ex)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [ex.ParamName ?? ""] = [ex.Message.Split(" (Parameter", 2)[0]] });
        }
        catch (InvalidOperationException ex)
        {
            return TypedResults.Problem(title: "令牌过多 (Too many tokens)", detail: ex.Message, statusCode: StatusCodes.Status409Conflict, extensions: new Dictionary<string, object?> { ["code"] = "too-many-tokens" });
        }
    }

    private static async Task<Ok<IReadOnlyList<ApiTokenInfo>>> ListTokensAsync(ClaimsPrincipal principal, UserManager<ApplicationUser> users, ApiTokenService tokens, CancellationToken cancellationToken)
        => TypedResults.Ok(await tokens.ListAsync(users.GetUserId(principal) ?? "", cancellationToken).ConfigureAwait(false));

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeTokenAsync(string id, ClaimsPrincipal principal, UserManager<ApplicationUser> users, ApiTokenService tokens, CancellationToken cancellationToken)
        => await tokens.RevokeAsync(users.GetUserId(principal) ?? "", id, cancellationToken).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : TypedResults.Problem(title: "未找到 (Not found)", detail: $"没有编号为 '{id}' 的令牌 (You have no token '{id}').", statusCode: StatusCodes.Status404NotFound, extensions: new Dictionary<string, object?> { ["code"] = "not-found" });

    private static ProblemHttpResult Refused(string code, string message, DateTimeOffset? lockedUntil = null)
        => TypedResults.Problem(title: "登录失败 (Sign-in failed)", detail: message, statusCode: StatusCodes.Status401Unauthorized, extensions: lockedUntil is { } until
            ? new Dictionary<string, object?> { ["code"] = code, ["lockedUntil"] = until }
            : new Dictionary<string, object?> { ["code"] = code });

    public sealed record LoginRequest(string? UserName, string? Password);

    public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

    public sealed record CreateTokenRequest(string? Name, int? ExpiresInDays);

    /// <summary>The signed-in user; <paramref name="MustChangePassword"/> while the initial password has not been changed.</summary>
    public sealed record MeDto(string UserName, string? DisplayName, IReadOnlyList<string> Roles, string? UnitId, string? DepartmentId, string Locale, bool MustChangePassword)
    {
        internal static async Task<MeDto> OfAsync(ApplicationUser user, UserManager<ApplicationUser> users)
            => new(user.UserName!, user.DisplayName, [.. (await users.GetRolesAsync(user).ConfigureAwait(false)).Order(StringComparer.Ordinal)], user.UnitId, user.DepartmentId, user.Locale,
                (await users.GetClaimsAsync(user).ConfigureAwait(false)).Any(c => c.Type == PasswordChangeGate.Claim));
    }
}

/// <summary>Identity's failures as validation problems, keyed by the field they are about.</summary>
internal static class IdentityProblems
{
    public static ValidationProblem Validation(IdentityResult result)
        => TypedResults.ValidationProblem(result.Errors
            .GroupBy(e => Field(e.Code))
            .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray()));

    private static string Field(string code) => code switch
    {
        _ when code.StartsWith("Password", StringComparison.Ordinal) => "password",
        _ when code.Contains("UserName", StringComparison.Ordinal) => "userName",
        _ when code.Contains("Email", StringComparison.Ordinal) => "email",
        _ when code.Contains("Role", StringComparison.Ordinal) => "roles",
        _ => "",
    };
}
