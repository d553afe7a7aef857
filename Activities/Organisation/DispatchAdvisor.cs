using ComplaintWorkflows.Activities.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Organisation;

/// <summary>What the dispatcher knows about a complaint.</summary>
public sealed record DispatchRequest(
    string? RespondentName,
    string? RespondentAddress,
    string? ProblemType = null,
    string? Industry = null,
    string? GoodsOrService = null,
    string? Text = null);

/// <summary>
/// A dispatch suggestion for the desk to review: the unit, department and handler (the person who should
/// get it now), why (Chinese) and how sure (0..1). Not in jurisdiction: the intake centre and its desk
/// officer, who refuses or transfers it.
/// </summary>
public sealed record DispatchAdvice(
    bool InJurisdiction,
    string? UnitId,
    string? UnitName,
    string? DepartmentId,
    string? DepartmentName,
    string? Handler,
    string? HandlerDisplayName,
    string Reason,
    double Confidence,
    JurisdictionResult Jurisdiction,
    AssigneeChoice Assignee);

/// <summary>
/// Suggests who handles a complaint: the unit with jurisdiction, the department by key phrases, problem type,
/// industry and goods or service (预付卡跑路 → 联合执法小组), the handler by skills (新能源汽车 → a mediator
/// with automotive background) and then by current workload, and finally who takes it now (A/B partner when
/// absent, the duty officer out of office hours).
/// </summary>
public sealed class DispatchAdvisor(
    IDbContextFactory<DomainDbContext> contexts,
    JurisdictionResolver jurisdiction,
    AssigneeResolver assignees,
    IOptions<OrganisationOptions> options,
    OrganisationCache? cache = null)
{
    private readonly OrganisationOptions _options = options.Value;

    public Task<DispatchAdvice> AdviseAsync(DispatchRequest request, CancellationToken cancellationToken = default)
        => AdviseAsync(request, null, cancellationToken);

    /// <summary>Advises, reading on <paramref name="on"/> when given (a step's context), else on a context of its own.</summary>
    public async Task<DispatchAdvice> AdviseAsync(DispatchRequest request, DomainDbContext? on, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var own = on is null ? await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false) : null;
        var db = on ?? own!;
        var organisation = await OrganisationSnapshot.LoadAsync(db, cache, cancellationToken).ConfigureAwait(false);
        var place = jurisdiction.Resolve(organisation, request.RespondentName, request.RespondentAddress);

        if (place.Rule is JurisdictionRule.None or JurisdictionRule.CityOnly || organisation.Unit(place.UnitId) is not { } unit)
        {
            var centre = organisation.IntakeCentre(_options.IntakeCentreUnitId);
            var desk = await assignees.ResolveAsync(db, organisation, null, centre?.Id, StaffRoles.DeskOfficer, true, cancellationToken).ConfigureAwait(false);
            var next = place.InJurisdiction ? "" : "，由受理员决定不予受理或告知投诉人向有管辖权的部门投诉";
            return new DispatchAdvice(place.InJurisdiction, centre?.Id, centre?.Name, null, null, desk.UserName, desk.DisplayName,
                $"{place.Reason}{next}；{desk.Reason}", place.Confidence, place, desk);
        }

        var facts = new Facts(request);
        var neededSkills = NeededSkills(organisation, facts);
        var (department, departmentReason, departmentConfidence) = ChooseDepartment(organisation, unit, facts);
        var handlingUnit = organisation.Unit(department?.UnitId) ?? unit;

        var candidates = Handlers(organisation, handlingUnit, department);
        var skilled = candidates.Where(c => SkillScore(c, neededSkills) > 0).ToList();
        if (neededSkills.Count > 0 && skilled.Count == 0 && organisation.County(unit) is { } county)
        {
            // Nobody here has the background: a handler with it elsewhere in the same county bureau or its stations.
            skilled = [.. organisation.Staff.Where(s => s.Active && s.HasRole(StaffRoles.Handler) && SkillScore(s, neededSkills) > 0
                && organisation.Unit(s.UnitId) is { Active: true } u && organisation.County(u)?.Id == county.Id)];
        }

        if (skilled.Count > 0)
        {
            var best = skilled.Max(c => SkillScore(c, neededSkills));
            candidates = [.. skilled.Where(c => SkillScore(c, neededSkills) == best)];
        }

        var loads = await assignees.OpenComplaintsAsync(db, candidates.Select(c => c.UserName), cancellationToken).ConfigureAwait(false);
        var chosen = assignees.Pick(candidates, loads);
        var parts = new List<string> { place.Reason };
        if (departmentReason is not null)
        {
            parts.Add(departmentReason);
        }

        var skillConfidence = 1.0;
        if (chosen is not null)
        {
            if (chosen.UnitId != handlingUnit.Id)
            {
                handlingUnit = organisation.Unit(chosen.UnitId)!;
                department = organisation.Departments.FirstOrDefault(d => d.Id == chosen.DepartmentId);
            }

            var matched = chosen.Skills.Where(neededSkills.Contains).ToList();
            parts.Add((matched.Count > 0 ? $"承办人{chosen.DisplayName}具有{string.Join("、", matched)}背景" : $"承办人{chosen.DisplayName}")
                + $"，在办{loads.GetValueOrDefault(chosen.UserName)}件（上限{assignees.Limit(chosen)}件）");
            if (neededSkills.Count > 0 && matched.Count == 0)
            {
                parts.Add($"本单位无具有{string.Join("、", neededSkills)}背景的承办人");
                skillConfidence = 0.8;
            }
        }

        var now = await assignees.ResolveAsync(db, organisation, chosen?.UserName, handlingUnit.Id, StaffRoles.Handler, true, cancellationToken).ConfigureAwait(false);
        if (now.Basis != AssigneeBasis.Preferred)
        {
            parts.Add(now.Reason);
        }

        var confidence = Math.Round(place.Confidence * departmentConfidence * skillConfidence * (now.UserName is null ? 0.5 : 1.0), 2);
        return new DispatchAdvice(true, handlingUnit.Id, handlingUnit.Name, department?.Id, department?.Name, now.UserName, now.DisplayName,
            string.Join("；", parts), confidence, place, now);
    }

    private static (Department? Department, string? Reason, double Confidence) ChooseDepartment(OrganisationSnapshot organisation, Unit unit, Facts facts)
    {
        var county = organisation.County(unit);
        var scored = organisation.Departments
            .Where(d => !d.IsLegalSection && (d.UnitId == unit.Id || d.UnitId == county?.Id))
            .Select(d => (Department: d, Score: Score(d, facts)))
            .ToList();

        // A station keeps what it covers; the county bureau's departments take over only on their key phrases (预付卡跑路).
        var eligible = scored.Where(s => s.Department.UnitId == unit.Id || s.Score.Keyword is not null).ToList();
        var best = eligible.Where(s => s.Score.Points > 0)
            .OrderByDescending(s => s.Score.Points)
            .ThenBy(s => s.Department.UnitId == unit.Id ? 0 : 1)
            .ThenBy(s => s.Department.Id, StringComparer.Ordinal)
            .FirstOrDefault();
        if (best.Department is not null)
        {
            var s = best.Score;
            var reason = s.Keyword is not null
                ? $"投诉涉及“{s.Keyword}”，交{best.Department.Name}"
                : $"{string.Join("、", s.Matches)}由{best.Department.Name}承办";
            var confidence = s.Keyword is not null ? 0.95 : s.Matches.Count > 1 ? 0.9 : 0.8;
            return (best.Department, reason, confidence);
        }

        var fallback = eligible.Where(s => s.Department.UnitId == unit.Id && !s.Department.IsJointEnforcementGroup)
            .Select(s => s.Department).FirstOrDefault();
        return fallback is null
            ? (null, null, 0.7)
            : (fallback, $"未匹配到专门科室，由{fallback.Name}承办", 0.6);
    }

    private static (int Points, string? Keyword, List<string> Matches) Score(Department department, Facts facts)
    {
        var points = 0;
        var matches = new List<string>();
        var keyword = department.Keywords.Where(k => k.Length > 0 && facts.All.Contains(k, StringComparison.OrdinalIgnoreCase)).OrderByDescending(k => k.Length).FirstOrDefault();
        if (keyword is not null)
        {
            points += 10;
        }

        if (facts.ProblemType.Length > 0 && department.ProblemTypes.Contains(facts.ProblemType, StringComparer.Ordinal))
        {
            points += 3;
            matches.Add($"问题类型“{facts.ProblemType}”");
        }

        if (facts.Industry.Length > 0 && department.Industries.Contains(facts.Industry, StringComparer.Ordinal))
        {
            points += 2;
            matches.Add($"行业“{facts.Industry}”");
        }

        if (facts.GoodsOrService.Length > 0 && department.GoodsOrServices.Contains(facts.GoodsOrService, StringComparer.Ordinal))
        {
            points += 2;
            matches.Add($"商品或服务“{facts.GoodsOrService}”");
        }

        return (points, keyword, matches);
    }

    /// <summary>Handlers of the department, else of the unit, else its desk officers.</summary>
    private static List<StaffMember> Handlers(OrganisationSnapshot organisation, Unit unit, Department? department)
    {
        var handlers = organisation.Members(unit.Id, StaffRoles.Handler).ToList();
        var inDepartment = department is null ? [] : handlers.Where(h => h.DepartmentId == department.Id).ToList();
        return inDepartment.Count > 0 ? inDepartment
            : handlers.Count > 0 ? handlers
            : [.. organisation.Members(unit.Id, StaffRoles.DeskOfficer)];
    }

    /// <summary>The skills the complaint calls for: a skill whose name or key phrases occur in what is known of it.</summary>
    private HashSet<string> NeededSkills(OrganisationSnapshot organisation, Facts facts)
    {
        var keywords = _options.EffectiveSkillKeywords;
        var skills = organisation.Staff.SelectMany(s => s.Skills).Concat(keywords.Keys).Distinct(StringComparer.Ordinal);
        return skills.Where(skill => facts.All.Contains(skill, StringComparison.OrdinalIgnoreCase)
                || (keywords.TryGetValue(skill, out var phrases) && phrases.Any(p => p.Length > 0 && facts.All.Contains(p, StringComparison.OrdinalIgnoreCase))))
            .ToHashSet(StringComparer.Ordinal);
    }

    private static int SkillScore(StaffMember member, HashSet<string> needed) => member.Skills.Count(needed.Contains);

    private sealed class Facts(DispatchRequest request)
    {
        public string ProblemType { get; } = request.ProblemType?.Trim() ?? "";

        public string Industry { get; } = request.Industry?.Trim() ?? "";

        public string GoodsOrService { get; } = request.GoodsOrService?.Trim() ?? "";

        public string All { get; } = string.Join('\n', new[] { request.ProblemType, request.Industry, request.GoodsOrService, request.Text, request.RespondentName }
            .Where(s => !string.IsNullOrWhiteSpace(s)));
    }
}
