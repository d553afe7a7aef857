using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ComplaintWorkflows.Activities.Calendar;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Engine.Persistence;
using ComplaintWorkflows.Engine.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Complaints;

/// <summary>What a consumer (on the web) or a desk officer (for a call, letter or walk-in) submits.</summary>
public sealed record IntakeRequest
{
    public string? ConsumerName { get; init; }

    public string? ConsumerPhone { get; init; }

    public string? ConsumerAddress { get; init; }

    public string? ConsumerEmail { get; init; }

    /// <summary>How the consumer wants to be told of progress and asked for the survey; null: SMS to a mobile number, else email when given.</summary>
    public Messaging.MessageChannel? NotifyBy { get; init; }

    public string? RespondentName { get; init; }

    public string? RespondentAddress { get; init; }

    public string? Request { get; init; }

    public string? Facts { get; init; }

    public ComplaintChannel Channel { get; init; } = ComplaintChannel.Web;

    /// <summary>When the centre received it (a call taken earlier); default now. Never in the future.</summary>
    public DateTimeOffset? ReceivedAt { get; init; }

    /// <summary>The mobile intake point it was filed at; required with the channel <see cref="ComplaintChannel.MobilePoint"/>, refused with any other.</summary>
    public string? MobilePointId { get; init; }
}

/// <summary>The outcome of an intake: the complaint, and whether this submission repeated an earlier one.</summary>
public sealed record IntakeResult(Complaint Complaint, bool Duplicate);

/// <summary>Input that cannot be registered, by field, in words a person can act on.</summary>
public sealed class IntakeValidationException(IReadOnlyDictionary<string, string[]> errors)
    : Exception("投诉登记信息不完整或有误 (The complaint has missing or invalid fields): " + string.Join("; ", errors.Select(e => e.Key + ": " + string.Join(" ", e.Value))))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}

/// <summary>
/// Registers complaints: checks the fields the rules require, recognises a repeated submission (same
/// idempotency key, or the same consumer, respondent and text within the window), numbers the complaint
/// and starts its process. A complaint whose process could not be started is started again by
/// <see cref="StartPendingAsync"/> (the host's poller), so nothing accepted is lost.
/// </summary>
public sealed partial class ComplaintIntakeService(
    IDbContextFactory<DomainDbContext> contexts,
    WorkflowEngine engine,
    TimeProvider time,
    WorkingCalendar calendar,
    IOptions<ComplaintOptions> options,
    ILogger<ComplaintIntakeService> logger,
    TrackingNumberAllocator numbers,
    RowInserter? rows = null,
    DomainMetrics? metrics = null)
{
    private readonly ComplaintOptions _options = options.Value;

    /// <summary>Writes the complaint and its first timeline entry without SaveChanges (whose SQL would be generated at every intake).</summary>
    private readonly RowInserter _rows = rows ?? new RowInserter();

    public async Task<IntakeResult> RegisterAsync(IntakeRequest request, string? idempotencyKey, string? consumerUserId, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = time.GetUtcNow();
        Validate(request, idempotencyKey, now);
        var fingerprint = Fingerprint(request);
        var key = string.IsNullOrWhiteSpace(idempotencyKey) ? null : idempotencyKey;
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        DomainStepWork? work = null;
        Complaint complaint;
        ComplaintEvent registered;
        try
        {
            var existing = await FindDuplicateAsync(db, idempotencyKey, fingerprint, now, cancellationToken).ConfigureAwait(false);
            if (existing is not null)
            {
                return new IntakeResult(existing, true);
            }

            var number = await numbers.NextAsync(_options.TrackingPrefix, calendar.LocalDate(now), cancellationToken).ConfigureAwait(false);
            (complaint, registered) = NewComplaint(request, number, key, fingerprint, consumerUserId, actor, now);
            if (engine.CommitsStepWorkFor(db.Database.GetDbConnection()))
            {
                // One transaction stores the complaint and its process as far as its first wait: both or neither. The
                // process's first stages find the new record on the step's context and change it before it is written.
                work = DomainStepWork.On(db, _rows);
                work.Add(complaint);
                work.Insert(registered);
            }
            else
            {
                await InsertAsync(db, complaint, registered, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (System.Data.Common.DbException) when (key is not null && work is null)
        {
            // A concurrent submission with the same key won the insert: answer with it.
            if (await WinnerAsync(key).ConfigureAwait(false) is { } winner)
            {
                return winner;
            }

            throw;
        }
        finally
        {
            if (work is null)
            {
                await db.DisposeAsync().ConfigureAwait(false);
            }
        }

        if (work is null)
        {
            // Registered on its own (the engine keeps its state elsewhere): a process that fails to start now is started by the poller.
            await StartProcessAsync(complaint, cancellationToken).ConfigureAwait(false);
            metrics?.Received(complaint.Channel);
            return new IntakeResult(complaint, false);
        }

        ProcessInstanceInfo instance;
        try
        {
            instance = await engine.StartProcessAsync(_options.ProcessKey, StartVariables(complaint), complaint.Id, [work], cancellationToken).ConfigureAwait(false);
        }
        catch (System.Data.Common.DbException) when (key is not null)
        {
            // As above: the other submission's complaint and process were stored, this one's neither.
            if (await WinnerAsync(key).ConfigureAwait(false) is { } winner)
            {
                return winner;
            }

            throw;
        }

        if (complaint.ProcessInstanceId is null)
        {
            // The process records its instance at its first stage; one without a stage there gets it now.
            await SetInstanceAsync(complaint.Id, instance.Id, cancellationToken).ConfigureAwait(false);
            complaint.ProcessInstanceId = instance.Id;
        }

        LogStarted(logger, complaint.TrackingNumber, instance.Id);
        metrics?.Received(complaint.Channel);
        return new IntakeResult(complaint, false);

        async Task<IntakeResult?> WinnerAsync(string given)
        {
            await using var again = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            var winner = await again.Set<Complaint>().AsNoTracking().FirstOrDefaultAsync(c => c.IdempotencyKey == given, cancellationToken).ConfigureAwait(false);
            return winner is null ? null : new IntakeResult(winner, true);
        }
    }

    private (Complaint Complaint, ComplaintEvent Registered) NewComplaint(IntakeRequest request, string trackingNumber, string? idempotencyKey, string fingerprint, string? consumerUserId, string actor, DateTimeOffset now)
    {
        var received = request.ReceivedAt ?? now;
        var complaint = new Complaint
        {
            Id = Guid.CreateVersion7(now).ToString("N"),
            TrackingNumber = trackingNumber,
            Channel = request.Channel,
            Status = ComplaintStatus.Registered,
            ConsumerUserId = consumerUserId,
            ConsumerName = request.ConsumerName!.Trim(),
            ConsumerPhone = NormalizePhone(request.ConsumerPhone!),
            ConsumerAddress = request.ConsumerAddress?.Trim(),
            ConsumerEmail = string.IsNullOrWhiteSpace(request.ConsumerEmail) ? null : request.ConsumerEmail.Trim(),
            NotifyBy = ChosenChannel(request),
            RespondentName = request.RespondentName!.Trim(),
            RespondentAddress = request.RespondentAddress!.Trim(),
            Request = request.Request!.Trim(),
            Facts = request.Facts!.Trim(),
            ReceivedAt = received,
            MobilePointId = request.Channel == ComplaintChannel.MobilePoint ? request.MobilePointId?.Trim() : null,
            RegisteredAt = now,
            RegisteredLate = now - received > _options.RegistrationLimit,
            IdempotencyKey = idempotencyKey,
            ContentFingerprint = fingerprint,
        };
        var registered = new ComplaintEvent
        {
            ComplaintId = complaint.Id,
            At = now,
            Kind = "registered",
            Text = $"投诉已登记，编号 {complaint.TrackingNumber} (Complaint registered)",
            Actor = actor,
            Public = true,
        };
        return (complaint, registered);
    }

    private async Task InsertAsync(DomainDbContext db, Complaint complaint, ComplaintEvent registered, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await _rows.InsertAsync(db, [complaint, registered], cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts the process of complaints registered without one (a host that stopped between the two).</summary>
    public async Task<int> StartPendingAsync(TimeSpan olderThan, CancellationToken cancellationToken = default)
    {
        var before = time.GetUtcNow() - olderThan;
        List<Complaint> pending;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            pending = await db.Set<Complaint>().AsNoTracking()
                .Where(c => c.ProcessInstanceId == null && c.RegisteredAt < before && !c.IsReport)
                .OrderBy(c => c.RegisteredAt).Take(100)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
        }

        var started = 0;
        foreach (var complaint in pending)
        {
            var running = (await engine.GetInstancesAsync(_options.ProcessKey, cancellationToken: cancellationToken).ConfigureAwait(false))
                .FirstOrDefault(i => i.BusinessKey == complaint.Id);
            if (running is not null)
            {
                await SetInstanceAsync(complaint.Id, running.Id, cancellationToken).ConfigureAwait(false);
                continue;
            }

            await StartProcessAsync(complaint, cancellationToken).ConfigureAwait(false);
            started++;
        }

        return started;
    }

    /// <summary>The process variables a complaint's instance starts with.</summary>
    public static Dictionary<string, object?> StartVariables(Complaint complaint)
    {
        ArgumentNullException.ThrowIfNull(complaint);
        return new()
        {
            ["complaintId"] = complaint.Id,
            ["trackingNumber"] = complaint.TrackingNumber,
            ["channel"] = complaint.Channel.ToString(),
            ["text"] = complaint.Facts + "\n" + complaint.Request,
            ["respondentName"] = complaint.RespondentName,
            ["respondentAddress"] = complaint.RespondentAddress,
            ["receivedAt"] = complaint.ReceivedAt.ToString("O", CultureInfo.InvariantCulture),
            ["isReport"] = complaint.IsReport,
        };
    }

    private async Task StartProcessAsync(Complaint complaint, CancellationToken cancellationToken)
    {
        var instance = await engine.StartProcessAsync(_options.ProcessKey, StartVariables(complaint), complaint.Id, cancellationToken: cancellationToken).ConfigureAwait(false);
        await SetInstanceAsync(complaint.Id, instance.Id, cancellationToken).ConfigureAwait(false);
        complaint.ProcessInstanceId = instance.Id;
        LogStarted(logger, complaint.TrackingNumber, instance.Id);
    }

    private async Task SetInstanceAsync(string complaintId, string instanceId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);

        // Usually the process's first stage has recorded it already: then a read spares a write.
        if (await _hasInstance.For(db)(db, complaintId, instanceId, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        await db.Set<Complaint>().Where(c => c.Id == complaintId && c.ProcessInstanceId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ProcessInstanceId, instanceId), cancellationToken).ConfigureAwait(false);
    }

    // Compiled once: intake runs these for every submission.
    // A compiled query belongs to one model, so each is kept by the service that uses it (one database), not statically.
    private readonly ModelBoundQuery<Func<DomainDbContext, string, CancellationToken, Task<Complaint?>>> _byIdempotencyKey = new(() => EF.CompileAsyncQuery(
        (DomainDbContext db, string key, CancellationToken cancellationToken) => db.Set<Complaint>().AsNoTracking().FirstOrDefault(c => c.IdempotencyKey == key)));

    private readonly ModelBoundQuery<Func<DomainDbContext, string, DateTimeOffset, CancellationToken, Task<Complaint?>>> _byFingerprint = new(() => EF.CompileAsyncQuery(
        (DomainDbContext db, string fingerprint, DateTimeOffset since, CancellationToken cancellationToken) => db.Set<Complaint>().AsNoTracking()
            .Where(c => c.ContentFingerprint == fingerprint && c.RegisteredAt >= since)
            .OrderBy(c => c.RegisteredAt).FirstOrDefault()));

    private readonly ModelBoundQuery<Func<DomainDbContext, string, string, CancellationToken, Task<bool>>> _hasInstance = new(() => EF.CompileAsyncQuery(
        (DomainDbContext db, string complaintId, string instanceId, CancellationToken cancellationToken) => db.Set<Complaint>()
            .Any(c => c.Id == complaintId && c.ProcessInstanceId == instanceId)));

    private async Task<Complaint?> FindDuplicateAsync(DomainDbContext db, string? idempotencyKey, string fingerprint, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(idempotencyKey))
        {
            var byKey = await _byIdempotencyKey.For(db)(db, idempotencyKey, cancellationToken).ConfigureAwait(false);
            if (byKey is not null)
            {
                return byKey;
            }
        }

        return await _byFingerprint.For(db)(db, fingerprint, now - _options.DuplicateWindow, cancellationToken).ConfigureAwait(false);
    }

    private void Validate(IntakeRequest request, string? idempotencyKey, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Required(string field, string? value, int max, string label)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                errors[field] = [$"请填写{label} ({field} is required)."];
            }
            else if (value.Trim().Length > max)
            {
                errors[field] = [$"{label}不能超过 {max} 个字 ({field} is longer than {max} characters)."];
            }
        }

        Required("consumerName", request.ConsumerName, 100, "投诉人姓名");
        Required("consumerPhone", request.ConsumerPhone, 32, "联系电话");
        Required("consumerAddress", request.ConsumerAddress, 300, "投诉人地址");
        Required("respondentName", request.RespondentName, 200, "被投诉方名称");
        Required("respondentAddress", request.RespondentAddress, 300, "被投诉方地址");
        Required("request", request.Request, _options.MaxRequestLength, "投诉诉求");
        Required("facts", request.Facts, _options.MaxFactsLength, "事实与理由");
        if (!errors.ContainsKey("consumerPhone") && !PhonePattern().IsMatch(NormalizePhone(request.ConsumerPhone!)))
        {
            errors["consumerPhone"] = ["联系电话格式不正确，应为 11 位手机号或带区号的固定电话 (consumerPhone must be a mobile number or a landline with area code)."];
        }

        if (!string.IsNullOrWhiteSpace(request.ConsumerEmail) && !EmailPattern().IsMatch(request.ConsumerEmail.Trim()))
        {
            errors["consumerEmail"] = ["电子邮箱格式不正确 (consumerEmail is not an e-mail address)."];
        }

        if (request.NotifyBy is Messaging.MessageChannel.Email && string.IsNullOrWhiteSpace(request.ConsumerEmail) && !errors.ContainsKey("consumerEmail"))
        {
            errors["consumerEmail"] = ["选择邮件通知时请填写电子邮箱 (consumerEmail is required when notifyBy is Email)."];
        }

        if (request.NotifyBy is { } notifyBy && !Enum.IsDefined(notifyBy))
        {
            errors["notifyBy"] = ["通知方式应为 Sms 或 Email (notifyBy must be Sms or Email)."];
        }

        if (request.ReceivedAt is { } received && received > now + TimeSpan.FromMinutes(1))
        {
            errors["receivedAt"] = ["收到时间不能晚于现在 (receivedAt is in the future)."];
        }

        if (idempotencyKey is { Length: > 128 })
        {
            errors["Idempotency-Key"] = ["幂等键不能超过 128 个字符 (Idempotency-Key is longer than 128 characters)."];
        }

        if (!Enum.IsDefined(request.Channel))
        {
            errors["channel"] = ["未知的投诉渠道 (unknown channel)."];
        }
        else if (request.Channel == ComplaintChannel.MobilePoint && string.IsNullOrWhiteSpace(request.MobilePointId))
        {
            errors["mobilePointId"] = ["流动受理点登记须注明受理点 (mobilePointId is required with the channel MobilePoint)."];
        }
        else if (request.Channel != ComplaintChannel.MobilePoint && !string.IsNullOrWhiteSpace(request.MobilePointId))
        {
            errors["mobilePointId"] = ["只有流动受理点渠道可以注明受理点 (mobilePointId is only given with the channel MobilePoint)."];
        }

        if (errors.Count > 0)
        {
            throw new IntakeValidationException(errors);
        }
    }

    /// <summary>The channel the consumer chose, else SMS for a mobile number, else email when given, else none.</summary>
    public static Messaging.MessageChannel? ChosenChannel(IntakeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.NotifyBy is { } chosen)
        {
            return chosen;
        }

        if (request.ConsumerPhone is { } phone && IsMobile(NormalizePhone(phone)))
        {
            return Messaging.MessageChannel.Sms;
        }

        return string.IsNullOrWhiteSpace(request.ConsumerEmail) ? null : Messaging.MessageChannel.Email;
    }

    /// <summary>An 11-digit mainland mobile number (one that can receive SMS).</summary>
    public static bool IsMobile(string normalizedPhone) => MobilePattern().IsMatch(normalizedPhone ?? "");

    /// <summary>Digits of a phone number, a leading +86 or 0086 removed.</summary>
    public static string NormalizePhone(string phone)
    {
        ArgumentNullException.ThrowIfNull(phone);
        var digits = new string([.. phone.Where(c => char.IsAsciiDigit(c) || c == '-')]).Replace("-", "", StringComparison.Ordinal);
        if (digits.StartsWith("0086", StringComparison.Ordinal))
        {
            digits = digits[4..];
        }
        else if (digits.StartsWith("86", StringComparison.Ordinal) && digits.Length == 13)
        {
            digits = digits[2..];
        }

        return digits;
    }

    /// <summary>Same consumer, same respondent, same words (whitespace and punctuation aside).</summary>
    public static string Fingerprint(IntakeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        static string Norm(string? s) => new([.. (s ?? "").Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);
        var text = string.Join('\u001f', NormalizePhone(request.ConsumerPhone ?? ""), Norm(request.RespondentName), Norm(request.Facts), Norm(request.Request));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    [GeneratedRegex(@"^(1[3-9]\d{9}|0\d{9,11})$")]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^1[3-9]\d{9}$")]
    private static partial Regex MobilePattern();

    [LoggerMessage(Level = LogLevel.Information, Message = "Complaint {TrackingNumber} registered, process instance {InstanceId}")]
    private static partial void LogStarted(ILogger logger, string trackingNumber, string instanceId);
}
