using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Surveys;

/// <summary>Why a survey link is not accepted.</summary>
public enum SurveyTokenProblem
{
    None,
    Malformed,
    Forged,
    Expired,
}

/// <summary>
/// Signs and checks survey links: the token is the invitation's random id and its expiry, with an HMAC-SHA256 over
/// both (truncated to 128 bits) so a link cannot be made up or stretched. The key comes from
/// <c>Workflows:Notifications:Survey:SigningKey</c>, or is made once and kept in the database (<c>cw_secret</c>), so every
/// host on that database accepts every host's links.
/// </summary>
public sealed class SurveyTokens(IDbContextFactory<DomainDbContext> contexts, IOptions<NotificationOptions> options) : IDisposable
{
    public const string SecretName = "survey-link-key";
    private const int IdBytes = 16;
    private const int MacBytes = 16;
    private static readonly byte[] Purpose = Encoding.ASCII.GetBytes("complaintworkflows:survey-link:v1:");
    private readonly SemaphoreSlim _gate = new(1, 1);
    private byte[]? _key;

    public static bool IsUsableKey(string? configured)
    {
        if (string.IsNullOrEmpty(configured))
        {
            return true;
        }

        var buffer = new byte[configured.Length];
        return Convert.TryFromBase64String(configured, buffer, out var length) && length >= 32;
    }

    /// <summary>A token for an invitation id (32 hex digits) valid until <paramref name="expiresAt"/>.</summary>
    public async Task<string> CreateAsync(string invitationId, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        var payload = new byte[IdBytes + 8];
        Convert.FromHexString(invitationId).CopyTo(payload, 0);
        BinaryPrimitives.WriteInt64BigEndian(payload.AsSpan(IdBytes), expiresAt.ToUnixTimeSeconds());
        var mac = await MacAsync(payload, cancellationToken).ConfigureAwait(false);
        return Base64Url(payload) + "." + Base64Url(mac);
    }

    /// <summary>Checks a token: its shape, its signature, then its expiry against <paramref name="now"/>.</summary>
    public async Task<(SurveyTokenProblem Problem, string? InvitationId, DateTimeOffset ExpiresAt)> ReadAsync(string? token, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 200 || token.Split('.') is not [var p, var m]
            || FromBase64Url(p) is not { Length: IdBytes + 8 } payload || FromBase64Url(m) is not { Length: MacBytes } mac)
        {
            return (SurveyTokenProblem.Malformed, null, default);
        }

        var expected = await MacAsync(payload, cancellationToken).ConfigureAwait(false);
        if (!CryptographicOperations.FixedTimeEquals(expected, mac))
        {
            return (SurveyTokenProblem.Forged, null, default);
        }

        var expires = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(payload.AsSpan(IdBytes)));
        var id = Convert.ToHexStringLower(payload.AsSpan(0, IdBytes));
        return (expires <= now ? SurveyTokenProblem.Expired : SurveyTokenProblem.None, id, expires);
    }

    private async Task<byte[]> MacAsync(byte[] payload, CancellationToken cancellationToken)
    {
        var key = await KeyAsync(cancellationToken).ConfigureAwait(false);
        var data = new byte[Purpose.Length + payload.Length];
        Purpose.CopyTo(data, 0);
        payload.CopyTo(data, Purpose.Length);
        return HMACSHA256.HashData(key, data)[..MacBytes];
    }

    private async Task<byte[]> KeyAsync(CancellationToken cancellationToken)
    {
        if (_key is { } known)
        {
            return known;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_key is not null)
            {
                return _key;
            }

            if (options.Value.Survey.SigningKey is { Length: > 0 } configured)
            {
                return _key = Convert.FromBase64String(configured);
            }

            await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            var stored = await db.Set<SharedSecret>().AsNoTracking().FirstOrDefaultAsync(s => s.Name == SecretName, cancellationToken).ConfigureAwait(false);
            if (stored is null)
            {
                db.Add(new SharedSecret { Name = SecretName, Value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) });
                try
                {
                    await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (DbUpdateException)
                {
                    // Another host made it first: use theirs.
                }

                await using var again = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
                stored = await again.Set<SharedSecret>().AsNoTracking().FirstAsync(s => s.Name == SecretName, cancellationToken).ConfigureAwait(false);
            }

            return _key = Convert.FromBase64String(stored.Value);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[]? FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        s += (s.Length % 4) switch { 2 => "==", 3 => "=", _ => "" };
        var buffer = new byte[s.Length];
        return Convert.TryFromBase64String(s, buffer, out var length) ? buffer[..length] : null;
    }
}
