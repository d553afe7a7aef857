using Microsoft.AspNetCore.Identity;

namespace ComplaintWorkflows.WorkflowHost.Identity;

/// <summary>A sign-in user: staff (same user name as the organisation's staff record) or a consumer.</summary>
public sealed class ApplicationUser : IdentityUser
{
    /// <summary>The name shown in the UI and the journal (e.g. 王丽).</summary>
    [PersonalData]
    public string? DisplayName { get; set; }

    /// <summary>The organisation unit the user works in (claim <c>unit</c>); none for consumers.</summary>
    public string? UnitId { get; set; }

    public string? DepartmentId { get; set; }

    /// <summary>Preferred UI language, e.g. <c>zh-CN</c> (the default) or <c>en</c>.</summary>
    public string Locale { get; set; } = "zh-CN";
}

/// <summary>
/// A personal access token: only the SHA-256 of the token is kept, with its owner, name, expiry and last use.
/// The token itself is shown once, when created.
/// </summary>
public sealed class ApiToken
{
    public string Id { get; set; } = "";

    public string UserId { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>Lower-case hex SHA-256 of the token's text.</summary>
    public string Hash { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }
}
