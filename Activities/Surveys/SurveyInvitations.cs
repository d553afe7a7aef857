using System.Globalization;
using ComplaintWorkflows.Activities.Calendar;
using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Surveys;

/// <summary>What a survey link stands for, when it is accepted.</summary>
public sealed record OpenSurvey(SurveyInvitation Invitation, Complaint Complaint);

/// <summary>Why a link or reply is not accepted (null problem: accepted).</summary>
public sealed record SurveyLookup(OpenSurvey? Survey, string? Problem, SurveyInvitationStatus? Status = null);

/// <summary>
/// Survey invitations: made when the survey goes out (with its signed link), found by link (web) or by phone number and
/// time (SMS replies), marked answered by <c>survey.record</c>, closed when the survey moves on to the follow-up call.
/// </summary>
public sealed class SurveyInvitations(IDbContextFactory<DomainDbContext> contexts, SurveyTokens tokens, TimeProvider time, IOptions<NotificationOptions> options, WorkingCalendar calendar)
{
    public const string ProblemMalformed = "survey-token-invalid";
    public const string ProblemForged = "survey-token-forged";
    public const string ProblemExpired = "survey-token-expired";
    public const string ProblemUsed = "survey-token-used";
    public const string ProblemClosed = "survey-closed";

    /// <summary>Opens an invitation for a complaint (closing any earlier open one) and returns it with its link.</summary>
    public async Task<(SurveyInvitation Invitation, string Url)> CreateAsync(Complaint complaint, string? processInstanceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(complaint);
        var now = time.GetUtcNow();
        var o = options.Value;
        var invitation = new SurveyInvitation
        {
            Id = Guid.NewGuid().ToString("N"),
            ComplaintId = complaint.Id,
            ProcessInstanceId = processInstanceId,
            Channel = complaint.NotifyBy?.ToString() ?? "None",
            Phone = complaint.ConsumerPhone,
            Status = SurveyInvitationStatus.Open,
            CreatedAt = now,
            ExpiresAt = now + o.Survey.LinkLifetime,
        };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.Set<SurveyInvitation>().Where(s => s.ComplaintId == complaint.Id && s.Status == SurveyInvitationStatus.Open)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Status, SurveyInvitationStatus.Closed).SetProperty(s => s.ClosedAt, now), cancellationToken).ConfigureAwait(false);
        db.Add(invitation);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return (invitation, await UrlAsync(invitation, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The web survey link of an invitation.</summary>
    public async Task<string> UrlAsync(SurveyInvitation invitation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(invitation);
        var token = await tokens.CreateAsync(invitation.Id, invitation.ExpiresAt, cancellationToken).ConfigureAwait(false);
        return options.Value.PublicBaseUrl.TrimEnd('/') + options.Value.Survey.PagePath + Uri.EscapeDataString(token);
    }

    /// <summary>The local date and time a link expires, as messages show it (e.g. 2026年12月7日 10:00).</summary>
    public string ExpiryText(DateTimeOffset expiresAt)
        => TimeZoneInfo.ConvertTime(expiresAt, calendar.Zone).ToString("yyyy年M月d日 HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The survey a link stands for, or why it is not accepted (malformed, forged, expired, used, closed).</summary>
    public async Task<SurveyLookup> FindByTokenAsync(string? token, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var (problem, id, _) = await tokens.ReadAsync(token, now, cancellationToken).ConfigureAwait(false);
        switch (problem)
        {
            case SurveyTokenProblem.Malformed:
                return new SurveyLookup(null, ProblemMalformed);
            case SurveyTokenProblem.Forged:
                return new SurveyLookup(null, ProblemForged);
            case SurveyTokenProblem.Expired:
                return new SurveyLookup(null, ProblemExpired);
            default:
                break;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var invitation = await db.Set<SurveyInvitation>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken).ConfigureAwait(false);
        var complaint = invitation is null ? null : await db.Set<Complaint>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == invitation.ComplaintId, cancellationToken).ConfigureAwait(false);
        if (invitation is null || complaint is null)
        {
            return new SurveyLookup(null, ProblemForged);
        }

        return invitation.Status switch
        {
            SurveyInvitationStatus.Answered => new SurveyLookup(null, ProblemUsed, invitation.Status),
            SurveyInvitationStatus.Closed => new SurveyLookup(null, ProblemClosed, invitation.Status),
            _ when invitation.ExpiresAt <= now => new SurveyLookup(null, ProblemExpired, invitation.Status),
            _ => new SurveyLookup(new OpenSurvey(invitation, complaint), null, invitation.Status),
        };
    }

    /// <summary>The open survey a reply from this phone number at this time answers: the latest one sent to it that is still open.</summary>
    public async Task<SurveyInvitation?> FindOpenByPhoneAsync(string phone, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var digits = ComplaintIntakeService.NormalizePhone(phone ?? "");
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<SurveyInvitation>().AsNoTracking()
            .Where(s => s.PhoneKey == digits && s.Status == SurveyInvitationStatus.Open && s.CreatedAt <= at && s.ExpiresAt > at)
            .OrderByDescending(s => s.CreatedAt).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Marks the complaint's open invitations answered (by <paramref name="channel"/>).</summary>
    public async Task MarkAnsweredAsync(string complaintId, string channel, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.Set<SurveyInvitation>().Where(s => s.ComplaintId == complaintId && s.Status == SurveyInvitationStatus.Open)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Status, SurveyInvitationStatus.Answered).SetProperty(s => s.AnsweredAt, now).SetProperty(s => s.AnswerChannel, channel), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Closes the complaint's open invitations (links and replies are no longer accepted).</summary>
    public async Task<int> CloseAsync(string complaintId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<SurveyInvitation>().Where(s => s.ComplaintId == complaintId && s.Status == SurveyInvitationStatus.Open)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Status, SurveyInvitationStatus.Closed).SetProperty(s => s.ClosedAt, now), cancellationToken).ConfigureAwait(false);
    }
}
