using ComplaintWorkflows.Activities.Attachments;
using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.WorkflowHost.Complaints;

/// <summary>What the portal shows before an upload: the accepted types, extensions and sizes.</summary>
public sealed record AttachmentLimits(IReadOnlyList<string> Types, IReadOnlyList<string> Extensions, long MaxFileBytes, int MaxFilesPerComplaint, long MaxBytesPerComplaint);

/// <summary>
/// A complaint's documents: upload (multipart, field <c>files</c>, one or several) by whoever may see the complaint
/// (its consumer, its unit's staff), by an anonymous consumer with the tracking number and phone within
/// <see cref="AttachmentOptions.AnonymousUploadWindow"/> of filing, list and download. Types are checked by content,
/// sizes and counts against <see cref="AttachmentOptions"/>; a refused file answers 415 (type) or 413 (size, count).
/// </summary>
public static class AttachmentApi
{
    public static IEndpointRouteBuilder MapAttachmentApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").WithTags("Attachments");

        // A batch may carry up to a complaint's whole allowance (the files are checked one by one after that);
        // the server's default request limit (30 MB) would otherwise refuse larger configured limits unnamed.
        var limits = endpoints.ServiceProvider.GetRequiredService<IOptions<AttachmentOptions>>().Value;
        var bodyLimit = limits.MaxBytesPerComplaint + (1024 * 1024);
        api.MapGet("/public/attachment-limits", GetLimits)
            .AllowAnonymous()
            .WithName("GetAttachmentLimits")
            .WithSummary("The file types (by content), extensions and sizes accepted for a complaint's attachments.");
        api.MapPost("/public/complaints/{trackingNumber}/attachments", UploadAnonymousAsync)
            .AllowAnonymous()
            .RequireRateLimiting(Security.RateLimits.Intake)
            .DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(bodyLimit))
            .WithFormOptions(multipartBodyLengthLimit: bodyLimit)
            .WithName("UploadAttachmentsByTrackingNumber")
            .WithSummary("Adds files to a complaint just filed, without sign-in: multipart with the phone number it was filed with (field phone) and the files (field files).");
        api.MapPost("/complaints/{id}/attachments", UploadAsync)
            .DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(bodyLimit))
            .WithFormOptions(multipartBodyLengthLimit: bodyLimit)
            .WithName("UploadAttachments")
            .WithSummary("Adds files (multipart field files) to a complaint the caller may see.");
        api.MapGet("/complaints/{id}/attachments", ListAsync)
            .WithName("GetAttachments")
            .WithSummary("The complaint's documents (name, type, size, who uploaded them and when).");
        api.MapGet("/complaints/{id}/attachments/{attachmentId}", DownloadAsync)
            .WithName("DownloadAttachment")
            .WithSummary("One document's content, as a download.");
        return endpoints;
    }

    private static Ok<AttachmentLimits> GetLimits(AttachmentService attachments)
    {
        var options = attachments.Options;
        var types = options.EffectiveAllowedTypes;
        return TypedResults.Ok(new AttachmentLimits(types, [.. AttachmentTypes.Known.Where(k => types.Contains(k.MediaType)).SelectMany(k => k.Extensions)],
            options.MaxFileBytes, options.MaxFilesPerComplaint, options.MaxBytesPerComplaint));
    }

    private static async Task<Results<Created<IReadOnlyList<AttachmentInfo>>, ValidationProblem, ProblemHttpResult>> UploadAnonymousAsync(
        string trackingNumber, HttpRequest request, IDbContextFactory<DomainDbContext> contexts, AttachmentService attachments, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            return NotMultipart();
        }

        var form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        var phone = ComplaintIntakeService.NormalizePhone(form["phone"].ToString());
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var complaint = await db.Set<Complaint>().AsNoTracking().FirstOrDefaultAsync(c => c.TrackingNumber == trackingNumber && c.ConsumerPhoneKey == phone, cancellationToken).ConfigureAwait(false);
        if (complaint is null)
        {
            return Problems.NotFoundProblem("受理号与联系电话不匹配 (No complaint with this tracking number and phone number).");
        }

        if (time.GetUtcNow() - complaint.ReceivedAt > attachments.Options.AnonymousUploadWindow)
        {
            return Problems.Forbidden($"投诉登记已超过 {attachments.Options.AnonymousUploadWindow.TotalHours:0} 小时，请登录后补充附件或联系承办人 (the window for adding files without sign-in has passed; sign in or contact the handler).");
        }

        return await StoreAsync(complaint.Id, form.Files, "consumer", fromConsumer: true, attachments, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Results<Created<IReadOnlyList<AttachmentInfo>>, ValidationProblem, ProblemHttpResult>> UploadAsync(
        string id, HttpRequest request, IDbContextFactory<DomainDbContext> contexts, AttachmentService attachments, CancellationToken cancellationToken)
    {
        var (complaint, problem) = await FindAsync(id, request.HttpContext, contexts, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (!request.HasFormContentType)
        {
            return NotMultipart();
        }

        var user = StaffUser.From(request.HttpContext.User)!;
        var form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        return await StoreAsync(complaint!.Id, form.Files, user.UserName, fromConsumer: !user.IsStaff, attachments, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Results<Ok<IReadOnlyList<AttachmentInfo>>, ProblemHttpResult>> ListAsync(
        string id, HttpContext http, IDbContextFactory<DomainDbContext> contexts, AttachmentService attachments, CancellationToken cancellationToken)
    {
        var (complaint, problem) = await FindAsync(id, http, contexts, cancellationToken).ConfigureAwait(false);
        return problem ?? (Results<Ok<IReadOnlyList<AttachmentInfo>>, ProblemHttpResult>)TypedResults.Ok(await attachments.ListAsync(complaint!.Id, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> DownloadAsync(
        string id, string attachmentId, HttpContext http, IDbContextFactory<DomainDbContext> contexts, AttachmentService attachments, CancellationToken cancellationToken)
    {
        var (complaint, problem) = await FindAsync(id, http, contexts, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (await attachments.GetAsync(complaint!.Id, attachmentId, cancellationToken).ConfigureAwait(false) is not { } attachment)
        {
            return Problems.NotFoundProblem($"投诉 {id} 没有附件 {attachmentId} (No attachment {attachmentId} on complaint {id}).");
        }

        // The type is the sniffed one; the browser must not guess another (a PDF is never run as HTML).
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        return TypedResults.File(attachment.Content, attachment.ContentType, attachment.FileName, lastModified: attachment.UploadedAt);
    }

    private static async Task<Results<Created<IReadOnlyList<AttachmentInfo>>, ValidationProblem, ProblemHttpResult>> StoreAsync(
        string complaintId, IFormFileCollection files, string uploadedBy, bool fromConsumer, AttachmentService attachments, CancellationToken cancellationToken)
    {
        if (files.Count == 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["files"] = ["请选择要上传的文件 (no file in the form field files)."] }, title: "没有附件 (No file)");
        }

        var limit = attachments.Options.MaxFileBytes;
        foreach (var file in files)
        {
            // Everything is checked before anything is stored, so a refused file leaves none of the batch behind.
            if (file.Length > limit)
            {
                return Refused(new AttachmentRejectedException(AttachmentRejection.TooLarge, file.FileName, $"附件“{file.FileName}”超过 {limit / (1024.0 * 1024):0.#} MB 的上限 (the file is larger than the limit)."));
            }

            var head = new byte[Math.Min(file.Length, limit)];
            await using (var stream = file.OpenReadStream())
            {
                await stream.ReadExactlyAsync(head, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                attachments.Check(file.FileName, head);
            }
            catch (AttachmentRejectedException e)
            {
                return Refused(e);
            }
        }

        var stored = new List<AttachmentInfo>(files.Count);
        try
        {
            foreach (var file in files)
            {
                await using var stream = file.OpenReadStream();
                stored.Add(await attachments.AddAsync(complaintId, file.FileName, stream, uploadedBy, fromConsumer, cancellationToken).ConfigureAwait(false));
            }
        }
        catch (AttachmentRejectedException e)
        {
            return Refused(e);
        }

        return TypedResults.Created($"/api/complaints/{complaintId}/attachments", (IReadOnlyList<AttachmentInfo>)stored);
    }

    private static async Task<(Complaint? Complaint, ProblemHttpResult? Problem)> FindAsync(string id, HttpContext http, IDbContextFactory<DomainDbContext> contexts, CancellationToken cancellationToken)
    {
        if (StaffUser.From(http.User) is not { } user)
        {
            return (null, Problems.Unauthenticated());
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var complaint = await db.Set<Complaint>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == id || c.TrackingNumber == id, cancellationToken).ConfigureAwait(false);
        return complaint is null || !ComplaintAccess.CanSee(complaint, user)
            ? (null, Problems.NotFoundProblem($"没有编号为 {id} 的投诉，或您无权查看 (No complaint {id} you may see)."))
            : (complaint, null);
    }

    private static ProblemHttpResult Refused(AttachmentRejectedException e)
        => TypedResults.Problem(
            title: e.Reason == AttachmentRejection.UnsupportedType ? "附件类型不被接受 (File type not accepted)" : "附件过大或过多 (File too large or too many)",
            detail: e.Message,
            statusCode: e.Reason switch
            {
                AttachmentRejection.UnsupportedType => StatusCodes.Status415UnsupportedMediaType,
                AttachmentRejection.Empty => StatusCodes.Status400BadRequest,
                _ => StatusCodes.Status413PayloadTooLarge,
            },
            extensions: new Dictionary<string, object?>
            {
                ["code"] = e.Reason switch
                {
                    AttachmentRejection.UnsupportedType => "attachment-type",
                    AttachmentRejection.TooLarge => "attachment-too-large",
                    AttachmentRejection.TooMany => "attachment-too-many",
                    _ => "attachment-empty",
                },
                ["fileName"] = e.FileName,
            });

    private static ProblemHttpResult NotMultipart()
        => TypedResults.Problem(title: "请以表单上传文件 (Send the files as multipart/form-data)", detail: "The request must be multipart/form-data with the files in the field 'files'.",
            statusCode: StatusCodes.Status415UnsupportedMediaType, extensions: new Dictionary<string, object?> { ["code"] = "not-multipart" });
}
