using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Messaging;
using ComplaintWorkflows.WorkflowHost.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.WorkflowHost.Complaints;

/// <summary>A template as administrators send it.</summary>
public sealed record NotificationTemplateInput(
    string? Name,
    string? Description,
    IReadOnlyList<string>? Placeholders,
    string? SmsText,
    IReadOnlyDictionary<string, string>? SmsTemplateCodes,
    string? EmailSubject,
    string? EmailHtml,
    string? EmailText);

/// <summary>A stored notification as administrators see it (the recipient masked).</summary>
public sealed record NotificationView(long Id, string Key, string Template, MessageChannel Channel, string Recipient, NotificationStatus Status, int Attempts,
    DateTimeOffset NextAttemptAt, string? ErrorCode, string? ErrorMessage, string? ComplaintId, bool Drill, DateTimeOffset CreatedAt, DateTimeOffset? SentAt, string? FailureInstanceId,
    ComplaintWorkflows.Activities.Messaging.Sms.SmsDeliveryStatus? Delivery = null);

/// <summary>
/// Notification templates (<c>/api/admin/notification-templates</c>): anyone on the staff reads them, administrators
/// add and change them (every placeholder checked against the template's list) and delete the ones they added; and the
/// notifications sent (<c>/api/admin/notifications</c>, administrators).
/// </summary>
public static class NotificationAdministrationApi
{
    public static IEndpointRouteBuilder MapNotificationAdministrationApi(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("/api/admin").WithTags("Administration");
        admin.MapGet("/notification-templates", ListAsync)
            .WithName("GetNotificationTemplates")
            .WithSummary("The notification templates: SMS text and provider template codes, email subject, HTML and text, and the placeholders each may use.");
        admin.MapGet("/notification-templates/{key}", GetAsync)
            .WithName("GetNotificationTemplate")
            .WithSummary("One notification template.");
        admin.MapPut("/notification-templates/{key}", SaveAsync)
            .WithName("SaveNotificationTemplate")
            .WithSummary("Adds or changes a template (administrators); unknown placeholders are refused by name. A shipped template keeps its placeholders.");
        admin.MapDelete("/notification-templates/{key}", DeleteAsync)
            .WithName("DeleteNotificationTemplate")
            .WithSummary("Deletes a template administrators added (shipped ones can only be edited).");
        admin.MapGet("/notifications", ListNotificationsAsync)
            .WithName("GetNotifications")
            .WithSummary("Notifications stored for delivery, newest first, by status or complaint (administrators; recipients masked).");
        return endpoints;
    }

    private static ProblemHttpResult? Check(HttpContext http, bool write)
    {
        if (StaffUser.From(http.User) is not { } user)
        {
            return Problems.Unauthenticated();
        }

        return (write ? !user.Is(RoleNames.Administrator) : !user.IsStaff)
            ? Problems.Forbidden(write ? "只有管理员可以修改通知模板 (Only administrators change notification templates)." : "仅供工作人员查看 (Staff only).")
            : null;
    }

    private static async Task<Results<Ok<IReadOnlyList<NotificationTemplate>>, ProblemHttpResult>> ListAsync(HttpContext http, NotificationTemplateService templates, CancellationToken cancellationToken)
        => Check(http, write: false) is { } problem ? problem : TypedResults.Ok(await templates.ListAsync(cancellationToken).ConfigureAwait(false));

    private static async Task<Results<Ok<NotificationTemplate>, ProblemHttpResult>> GetAsync(string key, HttpContext http, NotificationTemplateService templates, CancellationToken cancellationToken)
    {
        if (Check(http, write: false) is { } problem)
        {
            return problem;
        }

        return await templates.GetAsync(key, cancellationToken).ConfigureAwait(false) is { } template
            ? TypedResults.Ok(template)
            : Problems.NotFoundProblem($"没有名为“{key}”的通知模板 (no notification template '{key}').");
    }

    private static async Task<Results<Ok<NotificationTemplate>, ValidationProblem, ProblemHttpResult>> SaveAsync(
        string key, NotificationTemplateInput body, HttpContext http, NotificationTemplateService templates, CancellationToken cancellationToken)
    {
        if (Check(http, write: true) is { } problem)
        {
            return problem;
        }

        var template = new NotificationTemplate
        {
            Key = key,
            Name = body.Name ?? "",
            Description = body.Description,
            Placeholders = [.. body.Placeholders ?? []],
            SmsText = body.SmsText ?? "",
            SmsTemplateCodes = body.SmsTemplateCodes is null ? new(StringComparer.Ordinal) : new(body.SmsTemplateCodes, StringComparer.Ordinal),
            EmailSubject = body.EmailSubject ?? "",
            EmailHtml = body.EmailHtml ?? "",
            EmailText = body.EmailText ?? "",
        };
        try
        {
            return TypedResults.Ok(await templates.SaveAsync(template, http.User.Identity?.Name, cancellationToken).ConfigureAwait(false));
        }
        catch (NotificationTemplateException e)
        {
            return TypedResults.ValidationProblem(e.Errors.ToDictionary(), title: "通知模板有误 (The notification template has errors)");
        }
        catch (DbUpdateConcurrencyException)
        {
            return TypedResults.Problem(title: "模板已被他人修改 (Changed by someone else)", detail: "Reload the template and apply your change again.",
                statusCode: StatusCodes.Status409Conflict, extensions: new Dictionary<string, object?> { ["code"] = "conflict" });
        }
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteAsync(string key, HttpContext http, NotificationTemplateService templates, CancellationToken cancellationToken)
    {
        if (Check(http, write: true) is { } problem)
        {
            return problem;
        }

        try
        {
            return await templates.DeleteAsync(key, cancellationToken).ConfigureAwait(false)
                ? TypedResults.NoContent()
                : Problems.NotFoundProblem($"没有名为“{key}”的通知模板 (no notification template '{key}').");
        }
        catch (NotificationTemplateException e)
        {
            return TypedResults.ValidationProblem(e.Errors.ToDictionary(), title: "不能删除内置模板 (A shipped template cannot be deleted)");
        }
    }

    private static async Task<Results<Ok<IReadOnlyList<NotificationView>>, ProblemHttpResult>> ListNotificationsAsync(
        NotificationStatus? status, string? complaintId, int? limit, HttpContext http, IDbContextFactory<DomainDbContext> contexts, ComplaintWorkflows.Activities.Messaging.Sms.SmsReceipts receipts, CancellationToken cancellationToken)
    {
        if (Check(http, write: true) is { } problem)
        {
            return problem;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = db.Set<Notification>().AsNoTracking();
        if (status is { } s)
        {
            query = query.Where(n => n.Status == s);
        }

        if (!string.IsNullOrEmpty(complaintId))
        {
            query = query.Where(n => n.ComplaintId == complaintId);
        }

        var rows = await query.OrderByDescending(n => n.Id).Take(Math.Clamp(limit ?? 100, 1, 1000)).ToListAsync(cancellationToken).ConfigureAwait(false);

        // The provider's delivery receipt (SmsReport) of each SMS, by its message id (the OutId).
        var delivery = await receipts.ForOutIdsAsync([.. rows.Where(n => n.Channel == MessageChannel.Sms).Select(n => n.MessageId)], cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok<IReadOnlyList<NotificationView>>([.. rows.Select(n => new NotificationView(n.Id, n.Key, n.Template, n.Channel, PersonalDataMask.Contact(n.Recipient), n.Status, n.Attempts,
            n.NextAttemptAt, n.ErrorCode, n.ErrorMessage, n.ComplaintId, n.Drill, n.CreatedAt, n.SentAt, n.FailureInstanceId, delivery.GetValueOrDefault(n.MessageId)))]);
    }
}
