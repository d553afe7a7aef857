using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.WorkflowHost.Identity;

/// <summary>A token as its owner sees it in the list (never the token itself).</summary>
public sealed record ApiTokenInfo(string Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? LastUsedAt);

/// <summary>A token just created: the only time its text is shown.</summary>
public sealed record CreatedApiToken(string Id, string Name, string Token, DateTimeOffset ExpiresAt);

/// <summary>
/// Personal access tokens (<c>Authorization: Bearer cw_…</c>): 32 random bytes, kept only as their SHA-256,
/// each with an owner, a name and an expiry; revoked by deleting them.
/// </summary>
public sealed class ApiTokenService(IDbContextFactory<AuthDbContext> contexts, TimeProvider time, IOptions<IdentityHostOptions> options)
{
    /// <summary>Every token starts with this, so that a leaked one is easy to recognise (and to search for).</summary>
    public const string Prefix = "cw_";

    public async Task<CreatedApiToken> CreateAsync(string userId, string name, int expiresInDays, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        var settings = options.Value;
        name = name?.Trim() ?? "";
        if (name.Length is 0 or > 100)
        {
            throw new ArgumentException("令牌名称必填，最多 100 个字符 (The token needs a name of at most 100 characters).", nameof(name));
        }

        if (expiresInDays < 1 || expiresInDays > settings.MaxTokenLifetimeDays)
        {
            throw new ArgumentException($"有效天数须在 1 到 {settings.MaxTokenLifetimeDays} 之间 (expiresInDays must be between 1 and {settings.MaxTokenLifetimeDays}).", nameof(expiresInDays));
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var held = await db.ApiTokens.CountAsync(t => t.UserId == userId, cancellationToken).ConfigureAwait(false);
        if (held >= settings.MaxTokensPerUser)
        {
            throw new InvalidOperationException($"每位用户最多 {settings.MaxTokensPerUser} 个令牌，请先撤销不用的 (At most {settings.MaxTokensPerUser} tokens per user: revoke one first).");
        }

        var token = Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        var row = new ApiToken
        {
            Id = Guid.NewGuid().ToString("N"),
            UserId = userId,
            Name = name,
            Hash = Hash(token),
            CreatedAt = now,
            ExpiresAt = now.AddDays(expiresInDays),
        };
        db.ApiTokens.Add(row);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return new CreatedApiToken(row.Id, row.Name, token, row.ExpiresAt);
    }

    public async Task<IReadOnlyList<ApiTokenInfo>> ListAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.ApiTokens.AsNoTracking().Where(t => t.UserId == userId).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.OrderByDescending(t => t.CreatedAt).Select(t => new ApiTokenInfo(t.Id, t.Name, t.CreatedAt, t.ExpiresAt, t.LastUsedAt))];
    }

    /// <summary>Deletes one of the user's tokens; false when the user has no token of that id.</summary>
    public async Task<bool> RevokeAsync(string userId, string id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.ApiTokens.Where(t => t.UserId == userId && t.Id == id).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <summary>Deletes every token of a user (after an administrator reset the password: the old credentials may be known to others).</summary>
    public async Task<int> RevokeAllAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.ApiTokens.Where(t => t.UserId == userId).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The owner of a valid (known, unexpired) token, noting its use; null otherwise.</summary>
    public async Task<string?> ValidateAsync(string token, CancellationToken cancellationToken = default)
    {
        if (!token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length > 100)
        {
            return null;
        }

        var hash = Hash(token);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var row = await db.ApiTokens.FirstOrDefaultAsync(t => t.Hash == hash, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        if (row is null || row.ExpiresAt <= now)
        {
            return null;
        }

        if (row.LastUsedAt is not { } last || now - last >= options.Value.TokenLastUsedPrecision)
        {
            row.LastUsedAt = now;
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        return row.UserId;
    }

    internal static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
