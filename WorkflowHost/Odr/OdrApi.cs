using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Odr;
using ComplaintWorkflows.Engine.Runtime;
using ComplaintWorkflows.WorkflowHost.Complaints;
using ComplaintWorkflows.WorkflowHost.Identity;
using ComplaintWorkflows.WorkflowHost.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.WorkflowHost.Odr;

/// <summary>
/// The enterprise portal (在线消费纠纷解决, ODR) under <c>/api/odr</c>: an ODR business's accounts see the complaints
/// offered to their business (and its branches) and nothing else, answer and propose a settlement (completing the
/// process's <c>odrAnswer</c> task), and read the centre's feedback and risk notices. Staff post those notices;
/// administrators keep the businesses and their accounts; consumers decide on a proposal from the tracking page.
/// </summary>
public static class OdrApi
{
    public const string AnswerElement = "odrAnswer";

    public static IEndpointRouteBuilder MapOdrApi(this IEndpointRouteBuilder endpoints)
    {
        var portal = endpoints.MapGroup("/api/odr").WithTags("Enterprise portal");
        portal.MapGet("/complaints", ListAsync).WithName("ListOdrComplaints")
            .WithSummary("The complaints offered to the caller's ODR business (enterprise accounts), consumer data masked.");
        portal.MapGet("/complaints/{id}", GetAsync).WithName("GetOdrComplaint")
            .WithSummary("One complaint of the caller's business; 404 for any other business's complaint.");
        portal.MapPost("/complaints/{id}/answer", AnswerAsync).WithName("AnswerOdrComplaint")
            .WithSummary("The business's answer and settlement proposal, within the answer limit (the odrAnswer task); 409 once answered or expired.");
        portal.MapGet("/notices", NoticesAsync).WithName("ListOdrNotices")
            .WithSummary("Feedback (处理意见) and risk notices (风险提示) for the caller's business.");
        portal.MapPost("/notices", PostNoticeAsync).WithName("PostOdrNotice")
            .WithSummary("Staff: feedback on a complaint to its ODR business, or a risk notice to a business.");

        var admin = endpoints.MapGroup("/api/admin/odr").WithTags("Enterprise portal").RequireAuthorization(Policies.Administrator);
        admin.MapGet("/businesses", BusinessesAsync).WithName("ListOdrBusinesses").WithSummary("The ODR businesses and their portal accounts.");
        admin.MapPut("/businesses/{id}", PutBusinessAsync).WithName("PutOdrBusiness").WithSummary("Adds or changes an ODR business (name, branches one per line, active).");
        admin.MapPost("/businesses/{id}/accounts", AddAccountAsync).WithName("AddOdrAccount").WithSummary("Creates a portal account (role business) for the business.");

        var open = endpoints.MapGroup("/api/public/odr").WithTags("Enterprise portal").AllowAnonymous().RequireRateLimiting(RateLimits.Tracking);
        open.MapGet("/proposal", ProposalAsync).WithName("GetOdrProposal")
            .WithSummary("The settlement proposal waiting for the consumer's decision, by tracking number and phone (the tracking page).");
        open.MapPost("/decision", DecideAsync).WithName("DecideOdrProposal")
            .WithSummary("The consumer accepts or rejects the business's settlement proposal (tracking number and phone).");
        return endpoints;
    }

    private static (StaffUser? User, ProblemHttpResult? Problem) Business(HttpContext http)
    {
        var user = StaffUser.From(http.User);
        return user is null ? (null, Problems.Unauthenticated())
            : user.BusinessId is null ? (null, Problems.Forbidden("企业端仅供ODR企业账号使用 (The enterprise portal is for ODR business accounts)."))
            : (user, null);
    }

    private static async Task<Results<Ok<List<OdrComplaintView>>, ProblemHttpResult>> ListAsync(HttpContext http, IDbContextFactory<DomainDbContext> contexts, WorkflowEngine engine, CancellationToken cancellationToken)
    {
        var (user, problem) = Business(http);
        if (user is null)
        {
            return problem!;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var complaints = await db.Set<Complaint>().AsNoTracking().Where(c => c.OdrBusinessId == user.BusinessId).OrderByDescending(c => c.ReceivedAt).Take(200).ToListAsync(cancellationToken).ConfigureAwait(false);
        var views = new List<OdrComplaintView>();
        var tasks = await AnswerTasksAsync(engine, cancellationToken).ConfigureAwait(false);
        foreach (var complaint in complaints)
        {
            views.Add(await ViewAsync(db, complaint, tasks, cancellationToken).ConfigureAwait(false));
        }

        return TypedResults.Ok(views);
    }

    private static async Task<Results<Ok<OdrComplaintView>, ProblemHttpResult>> GetAsync(string id, HttpContext http, IDbContextFactory<DomainDbContext> contexts, WorkflowEngine engine, CancellationToken cancellationToken)
    {
        var (user, problem) = Business(http);
        if (user is null)
        {
            return problem!;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var complaint = await db.Set<Complaint>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == id && c.OdrBusinessId == user.BusinessId, cancellationToken).ConfigureAwait(false);
        return complaint is null
            ? Problems.NotFoundProblem($"没有该投诉，或不属于本企业 (No complaint {id} for this business).")
            : TypedResults.Ok(await ViewAsync(db, complaint, await AnswerTasksAsync(engine, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false));
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> AnswerAsync(
        string id, OdrAnswerBody body, HttpContext http, IDbContextFactory<DomainDbContext> contexts, WorkflowEngine engine, CancellationToken cancellationToken)
    {
        var (user, problem) = Business(http);
        if (user is null)
        {
            return problem!;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(body.Answer) || body.Answer.Length > 2000)
        {
            errors["answer"] = ["请填写答复（不超过 2000 字）(answer is required, at most 2000 characters)."];
        }

        if (string.IsNullOrWhiteSpace(body.Proposal) || body.Proposal.Length > 2000)
        {
            errors["proposal"] = ["请填写和解方案（不超过 2000 字）(proposal is required, at most 2000 characters)."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "答复不完整 (The answer is incomplete)");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var complaint = await db.Set<Complaint>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == id && c.OdrBusinessId == user.BusinessId, cancellationToken).ConfigureAwait(false);
        if (complaint is null)
        {
            return Problems.NotFoundProblem($"没有该投诉，或不属于本企业 (No complaint {id} for this business).");
        }

        var task = (await AnswerTasksAsync(engine, cancellationToken).ConfigureAwait(false)).GetValueOrDefault(complaint.Id);
        if (task is null)
        {
            return TypedResults.Problem(title: "该投诉已答复或已过答复期限 (Already answered, or the answer limit has passed)",
                detail: $"Complaint {complaint.TrackingNumber} waits for no answer from the business.", statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?> { ["code"] = "not-waiting" });
        }

        try
        {
            await engine.CompleteTaskAsync(task.Id, new Dictionary<string, object?>
            {
                ["odrAnswerText"] = body.Answer!.Trim(), ["odrProposal"] = body.Proposal!.Trim(), ["odrProposedBy"] = user.UserName,
            }, user.UserName, cancellationToken).ConfigureAwait(false);
        }
        catch (WorkflowException e)
        {
            return TypedResults.Problem(title: "无法提交答复 (The answer could not be recorded)", detail: e.Message, statusCode: EngineApi.StatusOf(e),
                extensions: new Dictionary<string, object?> { ["code"] = e.Code });
        }

        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<List<OdrNoticeView>>, ProblemHttpResult>> NoticesAsync(HttpContext http, IDbContextFactory<DomainDbContext> contexts, CancellationToken cancellationToken)
    {
        var (user, problem) = Business(http);
        if (user is null)
        {
            return problem!;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var notices = await db.Set<OdrNotice>().AsNoTracking().Where(n => n.BusinessId == user.BusinessId).OrderByDescending(n => n.At).Take(200).ToListAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(notices.Select(View).ToList());
    }

    private static async Task<Results<Created<OdrNoticeView>, ValidationProblem, ProblemHttpResult>> PostNoticeAsync(
        OdrNoticeBody body, HttpContext http, IDbContextFactory<DomainDbContext> contexts, TimeProvider time, CancellationToken cancellationToken)
    {
        var user = StaffUser.From(http.User);
        if (user is null)
        {
            return Problems.Unauthenticated();
        }

        if (!user.IsStaff)
        {
            return Problems.Forbidden("只有工作人员可以向企业发送处理意见或风险提示 (Only staff send feedback and risk notices).");
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (body.Kind is not ("feedback" or "risk"))
        {
            errors["kind"] = ["类型应为 feedback（处理意见）或 risk（风险提示）(kind must be feedback or risk)."];
        }

        if (string.IsNullOrWhiteSpace(body.Text) || body.Text.Length > 2000)
        {
            errors["text"] = ["请填写内容（不超过 2000 字）(text is required, at most 2000 characters)."];
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var businessId = body.BusinessId?.Trim();
        if (!string.IsNullOrWhiteSpace(body.ComplaintId))
        {
            var complaint = await ComplaintAccess.Visible(db.Set<Complaint>().AsNoTracking(), user).FirstOrDefaultAsync(c => c.Id == body.ComplaintId, cancellationToken).ConfigureAwait(false);
            if (complaint?.OdrBusinessId is null)
            {
                errors["complaintId"] = ["该投诉不存在、无权查看，或未交由ODR企业处理 (No such complaint of an ODR business visible to you)."];
            }
            else if (businessId is { Length: > 0 } && businessId != complaint.OdrBusinessId)
            {
                errors["businessId"] = ["企业与投诉不符 (businessId is not the complaint's business)."];
            }
            else
            {
                businessId = complaint.OdrBusinessId;
            }
        }
        else if (string.IsNullOrWhiteSpace(businessId) || !await db.Set<OdrBusiness>().AnyAsync(b => b.Id == businessId, cancellationToken).ConfigureAwait(false))
        {
            errors["businessId"] = ["请指定ODR企业 (businessId must name an ODR business)."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "通知不完整 (The notice is incomplete)");
        }

        var notice = new OdrNotice
        {
            BusinessId = businessId!, ComplaintId = string.IsNullOrWhiteSpace(body.ComplaintId) ? null : body.ComplaintId, Kind = body.Kind!, Text = body.Text!.Trim(),
            At = time.GetUtcNow(), Author = user.UserName,
        };
        db.Add(notice);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Created("/api/odr/notices", View(notice));
    }

    private static async Task<Ok<List<OdrBusinessView>>> BusinessesAsync(IDbContextFactory<DomainDbContext> contexts, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var businesses = await db.Set<OdrBusiness>().AsNoTracking().OrderBy(b => b.Name).ToListAsync(cancellationToken).ConfigureAwait(false);
        var accounts = (await db.Set<OdrAccount>().AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false)).ToLookup(a => a.BusinessId, StringComparer.Ordinal);
        return TypedResults.Ok(businesses.Select(b => View(b, accounts[b.Id].Select(a => a.UserName))).ToList());
    }

    private static async Task<Results<Ok<OdrBusinessView>, ValidationProblem>> PutBusinessAsync(string id, OdrBusinessBody body, IDbContextFactory<DomainDbContext> contexts, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (id.Length is 0 or > 64 || !id.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_'))
        {
            errors["id"] = ["企业编号只能包含字母、数字、- 和 _，不超过 64 个字符 (id: letters, digits, - and _, at most 64)."];
        }

        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Trim().Length > 200)
        {
            errors["name"] = ["请填写企业名称（不超过 200 字）(name is required, at most 200 characters)."];
        }

        if (body.Branches is { Length: > 4000 })
        {
            errors["branches"] = ["门店列表过长（不超过 4000 字）(branches is longer than 4000 characters)."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "ODR企业信息有误 (The ODR business is invalid)");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var business = await db.Set<OdrBusiness>().FirstOrDefaultAsync(b => b.Id == id, cancellationToken).ConfigureAwait(false);
        if (business is null)
        {
            business = new OdrBusiness { Id = id, Name = body.Name!.Trim(), JoinedAt = time.GetUtcNow() };
            db.Add(business);
        }

        business.Name = body.Name!.Trim();
        business.Branches = string.Join('\n', (body.Branches ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        business.Active = body.Active ?? true;
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["name"] = [$"企业名称“{business.Name}”已被其他ODR企业使用 (Another ODR business has this name)."] });
        }

        var accounts = await db.Set<OdrAccount>().AsNoTracking().Where(a => a.BusinessId == id).Select(a => a.UserName).ToListAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(View(business, accounts));
    }

    private static async Task<Results<Created, ValidationProblem, ProblemHttpResult>> AddAccountAsync(
        string id, OdrAccountBody body, IDbContextFactory<DomainDbContext> contexts, UserManager<ApplicationUser> users, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (!await db.Set<OdrBusiness>().AnyAsync(b => b.Id == id, cancellationToken).ConfigureAwait(false))
        {
            return Problems.NotFoundProblem($"没有ODR企业 {id} (No ODR business {id}).");
        }

        if (string.IsNullOrWhiteSpace(body.Password))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["password"] = ["请设置初始密码 (A password is required)."] });
        }

        var user = new ApplicationUser { UserName = body.UserName?.Trim(), DisplayName = body.DisplayName?.Trim() };
        var created = await users.CreateAsync(user, body.Password).ConfigureAwait(false);
        if (!created.Succeeded)
        {
            return TypedResults.ValidationProblem(created.Errors.GroupBy(e => e.Code.Contains("Password", StringComparison.Ordinal) ? "password" : "userName")
                .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray()));
        }

        await users.AddToRoleAsync(user, RoleNames.Business).ConfigureAwait(false);
        db.Add(new OdrAccount { UserName = user.UserName!, BusinessId = id });
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/api/admin/users/{Uri.EscapeDataString(user.UserName!)}");
    }

    private static async Task<Results<Ok<OdrPendingProposal>, ProblemHttpResult>> ProposalAsync(string trackingNumber, string phone, IDbContextFactory<DomainDbContext> contexts, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var normalized = ComplaintIntakeService.NormalizePhone(phone ?? "");
        var pending = await OdrDecisions.PendingAsync(db, db.Set<Complaint>().Where(c => c.TrackingNumber == trackingNumber && c.ConsumerPhoneKey == normalized), cancellationToken).ConfigureAwait(false);
        return pending is not { } p
            ? Problems.NotFoundProblem("该投诉没有待确认的和解方案 (No settlement proposal waits for a decision).")
            : TypedResults.Ok(new OdrPendingProposal(p.Complaint.TrackingNumber, p.Complaint.RespondentName, p.Settlement.Answer, p.Settlement.Proposal, p.Settlement.ProposedAt));
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DecideAsync(OdrDecisionBody body, IDbContextFactory<DomainDbContext> contexts, WorkflowEngine engine, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body.TrackingNumber) || string.IsNullOrWhiteSpace(body.Phone) || body.Accept is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["accept"] = ["请提供受理号、联系电话和是否接受 (trackingNumber, phone and accept are required)."] });
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var normalized = ComplaintIntakeService.NormalizePhone(body.Phone);
        var pending = await OdrDecisions.PendingAsync(db, db.Set<Complaint>().Where(c => c.TrackingNumber == body.TrackingNumber.Trim() && c.ConsumerPhoneKey == normalized), cancellationToken).ConfigureAwait(false);
        if (pending is not { } p || !await OdrDecisions.CorrelateAsync(engine, p.Complaint.Id, body.Accept.Value, "portal", cancellationToken).ConfigureAwait(false))
        {
            return TypedResults.Problem(title: "没有待确认的和解方案 (No proposal waits for a decision)", detail: "The proposal was decided already, or its time limit passed.",
                statusCode: StatusCodes.Status409Conflict, extensions: new Dictionary<string, object?> { ["code"] = "not-waiting" });
        }

        return TypedResults.NoContent();
    }

    /// <summary>The open odrAnswer tasks by complaint (their business key).</summary>
    private static async Task<Dictionary<string, TaskInfo>> AnswerTasksAsync(WorkflowEngine engine, CancellationToken cancellationToken)
        => (await engine.GetTasksAsync(new TaskQuery(ElementId: AnswerElement), cancellationToken).ConfigureAwait(false))
            .Where(t => t.BusinessKey is not null).GroupBy(t => t.BusinessKey!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    private static async Task<OdrComplaintView> ViewAsync(DomainDbContext db, Complaint c, IReadOnlyDictionary<string, TaskInfo> tasks, CancellationToken cancellationToken)
    {
        var settlements = await db.Set<OdrSettlement>().AsNoTracking().Where(s => s.ComplaintId == c.Id).OrderBy(s => s.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        var notices = await db.Set<OdrNotice>().AsNoTracking().Where(n => n.ComplaintId == c.Id && n.BusinessId == c.OdrBusinessId).OrderBy(n => n.At).ToListAsync(cancellationToken).ConfigureAwait(false);
        var task = tasks.GetValueOrDefault(c.Id);
        return new OdrComplaintView(c.Id, c.TrackingNumber, c.Status, c.RespondentName, PersonalData.MaskName(c.ConsumerName), PersonalData.MaskPhone(c.ConsumerPhone),
            Activities.CaseLibrary.Anonymizer.Mask(c.Request, [c.ConsumerName], [c.RespondentName]), Activities.CaseLibrary.Anonymizer.Mask(c.Facts, [c.ConsumerName], [c.RespondentName]),
            c.ReceivedAt, task?.DueDate, task is not null, c.OdrOutcome,
            [.. settlements.Select(s => new OdrSettlementView(s.Answer, s.Proposal, s.ProposedAt, s.Decision, s.DecidedAt, s.DecidedVia))],
            [.. notices.Select(View)]);
    }

    private static OdrNoticeView View(OdrNotice n) => new(n.Id, n.ComplaintId, n.Kind, n.Text, n.At, n.Author);

    private static OdrBusinessView View(OdrBusiness b, IEnumerable<string> accounts)
        => new(b.Id, b.Name, b.Names().Skip(1).ToList(), b.Active, b.JoinedAt, [.. accounts.Order(StringComparer.Ordinal)]);
}
