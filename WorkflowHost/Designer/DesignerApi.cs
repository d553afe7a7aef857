using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Designer;
using ComplaintWorkflows.Activities.Organisation;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Parsing;
using ComplaintWorkflows.Engine.Runtime;
using ComplaintWorkflows.WorkflowHost.Complaints;
using ComplaintWorkflows.WorkflowHost.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.WorkflowHost.Designer;

/// <summary>
/// What the process designer needs besides the engine API: element templates generated from the activities,
/// the organisation's task groups for user tasks, drafts kept on the server, the forms, and publishing (the
/// engine's validation refuses a process with errors; the forms go with it). Administrators only.
/// </summary>
public static partial class DesignerApi
{
    /// <summary>Drafts and forms larger than this are refused (the engine's own BPMN limit applies on publish).</summary>
    internal const int MaxDraftChars = 8 * 1024 * 1024;

    /// <summary>At most this many instances in the viewer's list (the newest).</summary>
    internal const int MaxInstancesListed = 500;

    public static IEndpointRouteBuilder MapDesignerApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/designer").WithTags("Designer").RequireAuthorization(Policies.Administrator);
        api.MapGet("/element-templates", GetElementTemplates)
            .WithName("GetElementTemplates")
            .WithSummary("Camunda 7 element templates of every registered custom activity (service task, delegate expression, typed input parameters).");
        api.MapGet("/task-groups", GetTaskGroupsAsync)
            .WithName("GetTaskGroups")
            .WithSummary("Candidate groups a user task can name: the organisation's groups and the per-complaint-unit expressions.");
        api.MapGet("/assignees", GetAssigneesAsync)
            .WithName("GetAssignees")
            .WithSummary("Active staff a user task can be assigned to, with their unit.");
        api.MapGet("/drafts", GetDraftsAsync)
            .WithName("GetDrafts")
            .WithSummary("The unpublished drafts (without their XML).");
        api.MapGet("/drafts/{key}", GetDraftAsync)
            .WithName("GetDraft")
            .WithSummary("One draft with its BPMN XML and forms.");
        api.MapPut("/drafts/{key}", SaveDraftAsync)
            .WithName("SaveDraft")
            .WithSummary("Saves a draft; the revision it was based on must still be the latest (else 409).");
        api.MapDelete("/drafts/{key}", DeleteDraftAsync)
            .WithName("DeleteDraft")
            .WithSummary("Discards a draft.");
        api.MapGet("/forms", GetFormsAsync)
            .WithName("GetDesignerForms")
            .WithSummary("The user-task forms: shipped files and those published from the designer.");
        api.MapGet("/forms/{key}", GetFormAsync)
            .WithName("GetDesignerForm")
            .WithSummary("One form's form-js schema.");
        api.MapGet("/instances", GetInstancesAsync)
            .WithName("GetDesignerInstances")
            .WithSummary("The latest process instances (newest first), optionally of one process and only the active ones.");
        api.MapGet("/instances/{id}", GetInstanceViewAsync)
            .WithName("GetDesignerInstance")
            .WithSummary("What the instance viewer shows: the instance, its current tokens, journal, variables, incidents and jobs.");
        api.MapPost("/publish", PublishAsync)
            .WithName("PublishProcess")
            .WithSummary("Deploys the BPMN (a new version when it changed) with its forms after the engine's validation, and discards the draft.");
        return endpoints;
    }

    private static Ok<JsonArray> GetElementTemplates(ActivityRegistry registry) => TypedResults.Ok(ElementTemplates.For(registry.Descriptors));

    private static async Task<Ok<IReadOnlyList<TaskGroup>>> GetTaskGroupsAsync(OrganisationService organisation, CancellationToken cancellationToken)
    {
        var units = await organisation.ListUnitsAsync(cancellationToken).ConfigureAwait(false);
        var departments = await organisation.ListDepartmentsAsync(null, cancellationToken).ConfigureAwait(false);
        var staff = await organisation.ListStaffAsync(null, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(TaskGroups.Of(units, departments, staff));
    }

    private static async Task<Ok<List<TaskGroup>>> GetAssigneesAsync(OrganisationService organisation, CancellationToken cancellationToken)
    {
        var units = (await organisation.ListUnitsAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(u => u.Id, StringComparer.Ordinal);
        var staff = await organisation.ListStaffAsync(null, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(staff.Where(m => m.Active).OrderBy(m => m.UnitId, StringComparer.Ordinal).ThenBy(m => m.UserName, StringComparer.Ordinal)
            .Select(m => new TaskGroup(m.UserName, $"{m.DisplayName} · {(units.TryGetValue(m.UnitId, out var unit) ? unit.Name : m.UnitId)} ({m.UserName})", "user"))
            .ToList());
    }

    private static async Task<Ok<List<DraftSummary>>> GetDraftsAsync(IDbContextFactory<DomainDbContext> contexts, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var drafts = await db.Set<ProcessDraft>().AsNoTracking().OrderBy(d => d.ProcessKey)
            .Select(d => new DraftSummary(d.ProcessKey, d.Name, d.BasedOnVersion, d.UpdatedAt, d.UpdatedBy, d.Revision))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(drafts);
    }

    private static async Task<Results<Ok<DraftDto>, ProblemHttpResult>> GetDraftAsync(string key, IDbContextFactory<DomainDbContext> contexts, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var draft = await db.Set<ProcessDraft>().AsNoTracking().FirstOrDefaultAsync(d => d.ProcessKey == key, cancellationToken).ConfigureAwait(false);
        return draft is null ? Problems.NotFoundProblem($"流程 '{key}' 没有草稿 (No draft of process '{key}').") : TypedResults.Ok(DraftDto.Of(draft));
    }

    private static async Task<Results<Ok<DraftSummary>, ValidationProblem, ProblemHttpResult>> SaveDraftAsync(
        string key, SaveDraftRequest body, ClaimsPrincipal user, IDbContextFactory<DomainDbContext> contexts, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!KeyPattern().IsMatch(key))
        {
            errors["key"] = [$"流程标识“{key}”无效：须以字母或下划线开头，只含字母、数字、-、_、.，最多 {DesignerLimits.Key} 个字符 (process key: a letter or _ first, then letters, digits, - _ .)."];
        }

        if (string.IsNullOrWhiteSpace(body.Xml))
        {
            errors["xml"] = ["草稿的 BPMN 内容为空 (The draft's BPMN XML is empty)."];
        }
        else if (body.Xml.Length > MaxDraftChars)
        {
            errors["xml"] = [$"草稿过大（{body.Xml.Length} 字符，上限 {MaxDraftChars}） (The draft is larger than {MaxDraftChars} characters)."];
        }

        var forms = CheckForms(body.Forms, errors);
        if (body.Name?.Length > DesignerLimits.Name)
        {
            errors["name"] = [$"名称最多 {DesignerLimits.Name} 个字符 (name: at most {DesignerLimits.Name} characters)."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var draft = await db.Set<ProcessDraft>().FirstOrDefaultAsync(d => d.ProcessKey == key, cancellationToken).ConfigureAwait(false);
        if (draft is null)
        {
            if (body.Revision is > 0)
            {
                return Conflict(key);
            }

            draft = new ProcessDraft { ProcessKey = key, Xml = "", FormsJson = "{}", UpdatedBy = "" };
            db.Add(draft);
        }
        else if (body.Revision != draft.Revision)
        {
            return Conflict(key);
        }

        draft.Name = body.Name;
        draft.BasedOnVersion = body.BasedOnVersion;
        draft.Xml = body.Xml!;
        draft.FormsJson = forms.ToJsonString();
        draft.UpdatedAt = time.GetUtcNow();
        draft.UpdatedBy = user.Identity?.Name ?? "?";
        draft.Revision++;
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // Another host or tab saved (or created) the same draft between our read and our write.
            return Conflict(key);
        }

        return TypedResults.Ok(new DraftSummary(draft.ProcessKey, draft.Name, draft.BasedOnVersion, draft.UpdatedAt, draft.UpdatedBy, draft.Revision));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteDraftAsync(string key, IDbContextFactory<DomainDbContext> contexts, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var deleted = await db.Set<ProcessDraft>().Where(d => d.ProcessKey == key).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        return deleted == 0 ? Problems.NotFoundProblem($"流程 '{key}' 没有草稿 (No draft of process '{key}').") : TypedResults.NoContent();
    }

    private static async Task<Ok<IReadOnlyList<FormSummary>>> GetFormsAsync(FormCatalog forms, CancellationToken cancellationToken)
        => TypedResults.Ok(await forms.ListAsync(cancellationToken).ConfigureAwait(false));

    private static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> GetFormAsync(string key, FormCatalog forms, CancellationToken cancellationToken)
        => await forms.FindAsync(key, cancellationToken).ConfigureAwait(false) is { } schema
            ? TypedResults.Ok(schema)
            : Problems.NotFoundProblem($"没有表单 '{key}' (No form '{key}').");

    private static async Task<Ok<List<InstanceSummary>>> GetInstancesAsync(string? key, bool? active, int? limit, WorkflowEngine engine, CancellationToken cancellationToken)
    {
        var take = Math.Clamp(limit ?? 100, 1, MaxInstancesListed);
        var instances = await engine.GetInstancesAsync(string.IsNullOrWhiteSpace(key) ? null : key, active ?? false, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(instances.OrderByDescending(i => i.StartedAt).Take(take)
            .Select(i => new InstanceSummary(i.Id, i.DefinitionKey, i.DefinitionVersion, i.BusinessKey, i.Status.ToString(), i.StartedAt, i.EndedAt, i.Incidents.Count))
            .ToList());
    }

    private static async Task<Results<Ok<InstanceView>, ProblemHttpResult>> GetInstanceViewAsync(string id, WorkflowEngine engine, CancellationToken cancellationToken)
    {
        try
        {
            var instance = await engine.GetInstanceAsync(id, cancellationToken).ConfigureAwait(false);
            var tokens = await engine.GetTokensAsync(id, cancellationToken).ConfigureAwait(false);
            var journal = await engine.GetJournalAsync(id, cancellationToken).ConfigureAwait(false);
            var variables = await engine.GetVariablesAsync(id, cancellationToken).ConfigureAwait(false);
            var incidents = instance.Status == InstanceStatus.Active ? await engine.GetIncidentsAsync(id, cancellationToken).ConfigureAwait(false) : [];
            var jobs = await engine.GetJobsAsync(id, cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(new InstanceView(instance, tokens, journal, variables, incidents, jobs));
        }
        catch (WorkflowException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: EngineApi.StatusOf(ex), extensions: new Dictionary<string, object?> { ["code"] = ex.Code });
        }
    }

    private static async Task<Results<Ok<PublishResult>, ValidationProblem, ProblemHttpResult>> PublishAsync(
        PublishRequest body, ClaimsPrincipal user, WorkflowEngine engine, FormCatalog formCatalog, IDbContextFactory<DomainDbContext> contexts, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(body.Xml))
        {
            errors["xml"] = ["要发布的 BPMN 内容为空 (The BPMN XML to publish is empty)."];
        }

        var forms = CheckForms(body.Forms, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        // The engine's executable validation, the same the deploy API applies: any error refuses the whole file.
        var findings = engine.Validate(body.Xml!, "designer");
        if (findings.Any(f => f.IsError))
        {
            return InvalidBpmn("流程存在错误，不能发布 (The process has errors and cannot be published).", findings);
        }

        // Every form a user task names must exist: in this publication, published before, or shipped.
        var missing = new List<ValidationFinding>();
        foreach (Match match in FormKeyAttribute().Matches(body.Xml!))
        {
            var formKey = FormCatalog.KeyOf(match.Groups["key"].Value);
            if (formKey is not null && !forms.ContainsKey(formKey) && await formCatalog.FindAsync(formKey, cancellationToken).ConfigureAwait(false) is null)
            {
                missing.Add(new ValidationFinding(FindingSeverity.Error, "form-missing", $"表单“{formKey}”不存在，请先设计表单 (Form '{formKey}' does not exist).", null, "bpmn:UserTask", LineOf(body.Xml!, match.Index)));
            }
        }

        if (missing.Count > 0)
        {
            return InvalidBpmn("用户任务引用的表单不存在 (A user task names a form that does not exist).", missing);
        }

        DeploymentResult result;
        try
        {
            result = await engine.DeployAsync(body.Xml!, "designer", cancellationToken).ConfigureAwait(false);
        }
        catch (DeploymentException ex)
        {
            return InvalidBpmn(ex.Message, ex.Findings);
        }

        var who = user.Identity?.Name ?? "?";
        var now = time.GetUtcNow();
        var processKeys = result.Definitions.Select(d => d.Key).ToList();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        foreach (var (formKey, schema) in forms)
        {
            var row = await db.Set<ProcessForm>().FirstOrDefaultAsync(f => f.FormKey == formKey, cancellationToken).ConfigureAwait(false);
            if (row is null)
            {
                row = new ProcessForm { FormKey = formKey, ProcessKey = "", SchemaJson = "", UpdatedBy = "" };
                db.Add(row);
            }

            row.ProcessKey = processKeys.FirstOrDefault() ?? "";
            row.SchemaJson = schema!.ToJsonString();
            row.UpdatedAt = now;
            row.UpdatedBy = who;
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        var draftKeys = processKeys.Append(body.DraftKey ?? "").Distinct(StringComparer.Ordinal).ToList();
        await db.Set<ProcessDraft>().Where(d => draftKeys.Contains(d.ProcessKey)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new PublishResult(
            result.Changed,
            [.. result.Definitions.Select(d => new EngineApi.DefinitionSummary(d.Id, d.Key, d.Name, d.Version, d.DeployedAt))],
            [.. result.Findings],
            [.. forms.Select(f => f.Key)]));
    }

    /// <summary>The forms of a request: keys checked, each a form-js schema (an object with a components array).</summary>
    private static JsonObject CheckForms(JsonObject? forms, Dictionary<string, string[]> errors)
    {
        var checkedForms = new JsonObject();
        foreach (var (key, schema) in forms ?? [])
        {
            if (!FormKeyPattern().IsMatch(key))
            {
                errors[$"forms.{key}"] = [$"表单标识“{key}”无效：只能用小写字母、数字和连字符，最多 64 个字符 (form key: lower-case letters, digits and hyphens, at most 64)."];
            }
            else if (schema is not JsonObject form || form["components"] is not JsonArray)
            {
                errors[$"forms.{key}"] = [$"表单“{key}”不是 form-js 表单（缺少 components） (Form '{key}' is not a form-js schema: no components array)."];
            }
            else
            {
                checkedForms[key] = form.DeepClone();
            }
        }

        return checkedForms;
    }

    private static ProblemHttpResult Conflict(string key)
        => TypedResults.Problem(
            title: "草稿已被修改 (The draft changed)",
            detail: $"流程 '{key}' 的草稿已被他人保存，请重新打开草稿后再修改 (Someone saved the draft of '{key}' meanwhile; open it again).",
            statusCode: StatusCodes.Status409Conflict,
            extensions: new Dictionary<string, object?> { ["code"] = "conflict" });

    private static ProblemHttpResult InvalidBpmn(string detail, IReadOnlyList<ValidationFinding> findings)
        => TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "流程不能发布 (The process cannot be published)",
            extensions: new Dictionary<string, object?> { ["code"] = "invalid-bpmn", ["findings"] = findings });

    private static int LineOf(string text, int index) => 1 + text.AsSpan(0, index).Count('\n');

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.\-]{0,127}$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    internal static partial Regex FormKeyPattern();

    [GeneratedRegex("""camunda:formKey\s*=\s*"(?<key>[^"]*)"|camunda:formKey\s*=\s*'(?<key>[^']*)'""")]
    private static partial Regex FormKeyAttribute();

    public sealed record DraftSummary(string ProcessKey, string? Name, int? BasedOnVersion, DateTimeOffset UpdatedAt, string UpdatedBy, long Revision);

    public sealed record DraftDto(string ProcessKey, string? Name, int? BasedOnVersion, string Xml, JsonObject Forms, DateTimeOffset UpdatedAt, string UpdatedBy, long Revision)
    {
        internal static DraftDto Of(ProcessDraft d)
            => new(d.ProcessKey, d.Name, d.BasedOnVersion, d.Xml, JsonNode.Parse(d.FormsJson) as JsonObject ?? [], d.UpdatedAt, d.UpdatedBy, d.Revision);
    }

    /// <summary>A draft to save: <see cref="Revision"/> is the one it was opened at (0 or null for a new draft).</summary>
    public sealed record SaveDraftRequest(string? Name, int? BasedOnVersion, string? Xml, JsonObject? Forms, long? Revision);

    /// <summary>What to publish: the BPMN, the forms edited with it, and the draft it came from (discarded on success).</summary>
    public sealed record PublishRequest(string? Xml, JsonObject? Forms, string? DraftKey);

    public sealed record InstanceSummary(string Id, string DefinitionKey, int DefinitionVersion, string? BusinessKey, string Status, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, int Incidents);

    public sealed record InstanceView(
        ProcessInstanceInfo Instance,
        IReadOnlyList<TokenInfo> Tokens,
        IReadOnlyList<JournalEntry> Journal,
        IReadOnlyDictionary<string, object?> Variables,
        IReadOnlyList<IncidentInfo> Incidents,
        IReadOnlyList<JobInfo> Jobs);

    public sealed record PublishResult(bool Changed, IReadOnlyList<EngineApi.DefinitionSummary> Definitions, IReadOnlyList<ValidationFinding> Findings, IReadOnlyList<string> Forms);
}

/// <summary>A candidate group a user task can name, with what people call it.</summary>
public sealed record TaskGroup(string Value, string Label, string Kind);

/// <summary>The organisation's task groups (<c>role@unit</c>, <c>legal@unit</c>, <c>intake_desk</c>) and the expressions that pick the complaint's unit.</summary>
public static class TaskGroups
{
    private static readonly (string Role, string Label)[] PerComplaintUnit =
    [
        (StaffRoles.DeskOfficer, "受理员"),
        (StaffRoles.Handler, "承办人"),
        (StaffRoles.Reviewer, "审核人"),
        (StaffRoles.Leader, "分管领导"),
        ("legal", "法制审核"),
    ];

    public static IReadOnlyList<TaskGroup> Of(IReadOnlyList<Unit> units, IReadOnlyList<Department> departments, IReadOnlyList<StaffMember> staff)
    {
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(departments);
        ArgumentNullException.ThrowIfNull(staff);
        var dynamic = PerComplaintUnit.Select(p => new TaskGroup($"${{'{p.Role}@' + unitId}}", $"投诉所属单位的{p.Label}（按流程变量 unitId） ({p.Role} of the complaint's unit)", "expression"));
        var unitById = units.ToDictionary(u => u.Id, StringComparer.Ordinal);
        var departmentById = departments.ToDictionary(d => d.Id, StringComparer.Ordinal);
        var groups = staff
            .Where(m => m.Active)
            .SelectMany(m => OrganisationService.CandidateGroups(m, unitById.GetValueOrDefault(m.UnitId), m.DepartmentId is { } d ? departmentById.GetValueOrDefault(d) : null))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(g => new TaskGroup(g, Label(g, unitById), "group"));
        return [.. dynamic, .. groups];
    }

    private static string Label(string group, Dictionary<string, Unit> units)
    {
        if (group == StaffUser.IntakeDeskGroup)
        {
            return "投诉举报中心受理台 (intake desk)";
        }

        var at = group.IndexOf('@', StringComparison.Ordinal);
        if (at < 0)
        {
            return group;
        }

        var role = group[..at];
        var roleName = role == "legal" ? "法制审核" : StaffRoles.DisplayName(role);
        var unitId = group[(at + 1)..];
        return $"{(units.TryGetValue(unitId, out var unit) ? unit.Name : unitId)} · {roleName} ({group})";
    }
}
