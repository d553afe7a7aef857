using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ComplaintWorkflows.Activities.Messaging;

/// <summary>A notification that cannot be stored: no template of that name, no contact for the recipient, values missing.</summary>
public sealed class NotificationRequestException(string message) : Exception(message)
{
    public NotificationRequestException()
        : this("the notification request is invalid")
    {
    }

    public NotificationRequestException(string message, Exception innerException)
        : this(message + " " + innerException?.Message)
    {
    }
}

/// <summary>What became of a request: the stored notification (new, or the one already stored under the key).</summary>
public sealed record NotificationReceipt(string Key, long Id, MessageChannel Channel, NotificationStatus Status, bool Created);

/// <summary>
/// The durable <see cref="INotificationService"/>: renders the template, resolves the recipient (a staff member's
/// phone or email from the organisation), and stores one <c>cw_notification</c> row per key; the delivery worker
/// (<see cref="NotificationDispatcher"/>) sends it after commit. Asking again with a key already stored changes nothing.
/// </summary>
public sealed partial class NotificationService(
    IDbContextFactory<DomainDbContext> contexts,
    TimeProvider time,
    NotificationSignal signal,
    ILogger<NotificationService> logger,
    NotificationProviders? providers = null) : INotificationService
{
    // Compiled once (every progress notice of every complaint runs them); per service, as a compiled query belongs to one model.
    private readonly ModelBoundQuery<Func<DomainDbContext, string, CancellationToken, Task<NotificationReceipt?>>> _byKey = new(() => EF.CompileAsyncQuery(
        (DomainDbContext db, string key, CancellationToken cancellationToken) => db.Set<Notification>().AsNoTracking().Where(n => n.Key == key)
            .Select(n => new NotificationReceipt(n.Key, n.Id, n.Channel, n.Status, false)).FirstOrDefault()));

    private readonly ModelBoundQuery<Func<DomainDbContext, string, CancellationToken, Task<NotificationTemplate?>>> _template = new(() => EF.CompileAsyncQuery(
        (DomainDbContext db, string key, CancellationToken cancellationToken) => db.Set<NotificationTemplate>().AsNoTracking().FirstOrDefault(t => t.Key == key)));

    public async Task EnqueueAsync(NotificationRequest request, CancellationToken cancellationToken = default)
        => await EnqueueWithReceiptAsync(request, null, cancellationToken).ConfigureAwait(false);

    /// <summary>Stores a notification in its own transaction (unless already stored under its key).</summary>
    public async Task<NotificationReceipt> EnqueueWithReceiptAsync(NotificationRequest request, string? processInstanceId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var (notification, existing) = await AddAsync(db, request, processInstanceId, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            return existing;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // A concurrent request with the same key won the insert: that one is the notification.
            await using var again = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            var winner = await again.Set<Notification>().AsNoTracking().FirstOrDefaultAsync(n => n.Key == request.Key, cancellationToken).ConfigureAwait(false);
            if (winner is null)
            {
                throw;
            }

            return new NotificationReceipt(winner.Key, winner.Id, winner.Channel, winner.Status, false);
        }

        signal.WakeFor(notification);
        LogStored(logger, notification!.Id, notification.Template, notification.Channel);
        return new NotificationReceipt(notification.Key, notification.Id, notification.Channel, notification.Status, true);
    }

    /// <summary>
    /// Adds the notification to the caller's context, so it commits with the caller's own changes (the caller saves and
    /// then calls <see cref="NotificationSignal.Wake"/>). Returns the new row, or the receipt of the one already stored under the key.
    /// </summary>
    public async Task<(Notification? Added, NotificationReceipt? Existing)> AddAsync(DomainDbContext db, NotificationRequest request, string? processInstanceId = null, CancellationToken cancellationToken = default)
    {
        var (notification, existing) = await PrepareAsync(db, request, processInstanceId, cancellationToken).ConfigureAwait(false);
        if (notification is not null)
        {
            db.Add(notification);
        }

        return (notification, existing);
    }

    /// <summary>
    /// The row <see cref="AddAsync"/> would add, for a caller that writes it itself (in its own transaction), or the
    /// receipt of the one already stored under the key.
    /// </summary>
    public async Task<(Notification? Row, NotificationReceipt? Existing)> PrepareAsync(DomainDbContext db, NotificationRequest request, string? processInstanceId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Key) || request.Key.Length > 200)
        {
            throw new NotificationRequestException($"通知的 Key 必填，最多 200 个字符 (the notification key is required, at most 200 characters): '{request.Key}'.");
        }

        var known = await _byKey.For(db)(db, request.Key, cancellationToken).ConfigureAwait(false);
        if (known is not null)
        {
            return (null, known);
        }

        var template = await _template.For(db)(db, request.Template, cancellationToken).ConfigureAwait(false)
            ?? throw new NotificationRequestException($"没有名为“{request.Template}”的通知模板 (no notification template '{request.Template}'); 管理员可在 /api/admin/notification-templates 添加。");
        var (channel, address, userName) = await ResolveAsync(db, request.Recipient, request.Key, cancellationToken).ConfigureAwait(false);
        RenderedNotification rendered;
        try
        {
            rendered = NotificationTemplateService.Render(template, request.Values, request.Drill);
        }
        catch (NotificationTemplateException e)
        {
            throw new NotificationRequestException(e.Message);
        }

        var now = time.GetUtcNow();
        var due = request.NotBefore is { } notBefore && notBefore > now ? notBefore : now;
        var notification = new Notification
        {
            Key = request.Key,
            MessageId = MessageIdOf(request.Key),
            Template = template.Key,
            Channel = channel,
            Recipient = address,
            RecipientUserName = userName,
            Text = channel == MessageChannel.Sms ? rendered.SmsText : rendered.EmailText,
            Subject = channel == MessageChannel.Email ? rendered.EmailSubject : null,
            HtmlBody = channel == MessageChannel.Email ? rendered.EmailHtml : null,
            SmsTemplateCodes = channel == MessageChannel.Sms ? JsonSerializer.Serialize(template.SmsTemplateCodes) : null,
            Values = JsonSerializer.Serialize(rendered.SmsParameters),
            Status = NotificationStatus.Pending,
            NextAttemptAt = due,
            ComplaintId = request.Reference ?? request.ComplaintId?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ProcessInstanceId = processInstanceId,
            Drill = request.Drill,
            CreatedAt = now,
            UpdatedAt = now,
        };
        if (providers?.IsConfigured(channel) == false)
        {
            // What the delivery worker would make of it at once: stored waiting for a provider, looked at again later.
            providers.MarkWaiting(notification, due);
        }

        return (notification, null);
    }

    /// <summary>The message id a key gives: <c>cw</c> and 30 hex digits of its SHA-256 (the OutId and the Message-ID's local part).</summary>
    public static string MessageIdOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return "cw" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..30];
    }

    private static async Task<(MessageChannel Channel, string Address, string? UserName)> ResolveAsync(DomainDbContext db, NotificationRecipient recipient, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        var phone = recipient.PhoneNumber;
        var email = recipient.Email;
        string? userName = null;
        if (!string.IsNullOrWhiteSpace(recipient.UserName))
        {
            userName = recipient.UserName.Trim();
            var member = await db.Set<StaffMember>().AsNoTracking().FirstOrDefaultAsync(s => s.UserName == userName, cancellationToken).ConfigureAwait(false)
                ?? throw new NotificationRequestException($"通知 {key}：人员名册中没有“{userName}” (no staff member '{userName}').");
            phone ??= member.Phone;
            email ??= member.Email;
        }

        phone = string.IsNullOrWhiteSpace(phone) ? null : ComplaintIntakeService.NormalizePhone(phone);
        email = string.IsNullOrWhiteSpace(email) ? null : email.Trim();
        var channel = recipient.Channel ?? (phone is not null && (ComplaintIntakeService.IsMobile(phone) || email is null) ? MessageChannel.Sms : MessageChannel.Email);
        switch (channel)
        {
            case MessageChannel.Sms when phone is not null:
                return (MessageChannel.Sms, phone, userName);
            case MessageChannel.Email when email is not null:
                return (MessageChannel.Email, email, userName);
            case MessageChannel.Sms when email is not null && recipient.Channel is null:
                return (MessageChannel.Email, email, userName);
            default:
                var who = userName is null ? "收件人" : $"“{userName}”";
                throw new NotificationRequestException(channel == MessageChannel.Sms
                    ? $"通知 {key}：{who}没有手机号，无法发送短信 (the recipient has no phone number for an SMS)."
                    : $"通知 {key}：{who}没有电子邮箱，无法发送邮件 (the recipient has no email address).");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification {Id} stored ({Template}, {Channel})")]
    private static partial void LogStored(ILogger logger, long id, string template, MessageChannel channel);
}

/// <summary>
/// Wakes this host's delivery worker when a notification is stored (a shortcut only: every host also polls the
/// table, so a notification stored by another host is delivered too).
/// </summary>
public sealed class NotificationSignal : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    /// <summary>Wakes the worker when a notification just stored is to be sent now (not one waiting for a provider or a later time).</summary>
    public void WakeFor(Notification? added)
    {
        if (added is { Status: NotificationStatus.Pending })
        {
            Wake();
        }
    }

    public void Wake()
    {
        if (_semaphore.CurrentCount == 0)
        {
            try
            {
                _semaphore.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already awake.
            }
        }
    }

    /// <summary>Waits until woken (or the token is cancelled).</summary>
    public Task WaitAsync(CancellationToken cancellationToken = default) => _semaphore.WaitAsync(cancellationToken);

    public void Dispose() => _semaphore.Dispose();
}
