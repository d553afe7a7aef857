using System.Globalization;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Organisation;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Variables;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Emergency;

/// <summary>
/// Grades an incident into levels I-IV and names who responds: the leadership group and office, the on-site
/// responders, the joint enforcement group for a prepaid-card run-off and the leader who supervises. In a drill
/// every one of them is a drill participant.
/// </summary>
[Activity("emergency.grade", DisplayName = "事件分级 (Grade incident)", Category = "应急处置 (Emergencies)",
    Description = "按涉及消费者人数（群体投诉）或激增倍数（投诉量激增）将事件分为 I 特别重大、II 重大、III 较大、IV 一般四级（阈值见配置 Workflows:Domain:Emergency），"
        + "确定领导小组、办公室、现场处置人员、联合执法小组（预付卡跑路）和督办领导；演练时均为参演人员。"
        + " Grades the incident I-IV by consumers involved or surge multiple and names the leadership group, office, on-site responders, joint enforcement group and supervising leader (drill participants in a drill).")]
[ActivityOutput("level", VariableType.String, DisplayName = "级别 (Level)", Description = "I | II | III | IV")]
[ActivityOutput("levelName", VariableType.String, DisplayName = "级别名称 (Level name)")]
[ActivityOutput("prepaidCard", VariableType.Boolean, DisplayName = "预付卡跑路 (Prepaid-card run-off)")]
[ActivityOutput("leadershipUsers", VariableType.String, DisplayName = "领导小组 (Leadership group)", Description = "用户名，逗号分隔 (user names, comma-separated)")]
[ActivityOutput("officeUsers", VariableType.String, DisplayName = "办公室 (Office)")]
[ActivityOutput("responseUsers", VariableType.String, DisplayName = "现场处置人员 (On-site responders)")]
[ActivityOutput("jointUsers", VariableType.String, DisplayName = "联合执法小组 (Joint enforcement group)")]
[ActivityOutput("leader", VariableType.String, DisplayName = "督办领导 (Supervising leader)")]
[ActivityOutput("drillMark", VariableType.String, DisplayName = "演练标记 (Drill mark)", Description = "演练时为“【演练】”，否则为空")]
public sealed class EmergencyGradeActivity(
    IDbContextFactory<DomainDbContext> contexts,
    IncidentService incidents,
    AssigneeResolver assignees,
    OrganisationCache cache,
    IOptions<EmergencyOptions> options,
    IOptions<OrganisationOptions> organisationOptions) : IActivity
{
    public async ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = options.Value;
        var incident = await incidents.GetAsync(IncidentContext.IncidentId(context), cancellationToken).ConfigureAwait(false);
        var level = incident.Level ?? Grade(incident, settings);
        OrganisationSnapshot organisation;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            organisation = await OrganisationSnapshot.LoadAsync(db, cache, cancellationToken).ConfigureAwait(false);
        }

        var centre = organisation.IntakeCentre(organisationOptions.Value.IntakeCentreUnitId);
        var lead = organisation.Unit(incident.UnitId) ?? centre;
        List<string> leadership, office, response, joint;
        string? leader;
        if (incident.IsDrill)
        {
            var participants = IncidentContext.Users(incident.DrillParticipants);
            leadership = office = response = joint = participants;
            leader = participants.FirstOrDefault(p => organisation.Member(p)?.HasRole(StaffRoles.Leader) == true) ?? participants.FirstOrDefault();
        }
        else
        {
            var units = new List<Unit?> { centre, lead, lead is null ? null : organisation.County(lead) }.OfType<Unit>().DistinctBy(u => u.Id).ToList();
            leadership = settings.LeadershipGroup.Count > 0
                ? [.. settings.LeadershipGroup]
                : [.. units.SelectMany(u => organisation.Members(u.Id, StaffRoles.Leader)).Select(m => m.UserName).Distinct(StringComparer.Ordinal)];
            office = settings.Office.Count > 0
                ? [.. settings.Office]
                : centre is null ? [] : [.. organisation.Members(centre.Id, StaffRoles.DeskOfficer).Select(m => m.UserName)];
            var jointDepartments = organisation.Departments.Where(d => d.IsJointEnforcementGroup && lead is not null && (d.UnitId == lead.Id || d.UnitId == organisation.County(lead)?.Id)).Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
            joint = [.. organisation.Staff.Where(s => s.Active && s.DepartmentId is not null && jointDepartments.Contains(s.DepartmentId)).Select(s => s.UserName)];
            response = lead is null ? office : [.. organisation.Members(lead.Id, StaffRoles.Handler).Select(m => m.UserName)];
            if (response.Count == 0)
            {
                response = office;
            }

            if (joint.Count == 0)
            {
                joint = response;
            }

            leader = (lead is null ? null : await assignees.LeaderAsync(lead.Id, cancellationToken).ConfigureAwait(false))?.UserName ?? leadership.FirstOrDefault();
        }

        if (leader is null || office.Count == 0)
        {
            throw new InvalidOperationException($"应急事件 {incident.Number} 找不到领导小组或办公室成员 (no leader or office for incident {incident.Number}): set {EmergencyOptions.Section}:LeadershipGroup and :Office, then retry element '{context.ElementId}'.");
        }

        var levelName = IncidentService.LevelName(level);
        await incidents.RecordAsync(context, incident.Id, "graded",
            $"{(incident.IsDrill ? "【演练】" : "")}事件定级为{levelName}；{Basis(incident)}{(incident.PrepaidCard ? "；预付卡跑路，由联合执法小组处置" : "")}",
            null, "system", i => i.Level = level, cancellationToken).ConfigureAwait(false);
        context.SetOutput("level", level);
        context.SetOutput("levelName", levelName);
        context.SetOutput("prepaidCard", incident.PrepaidCard);
        context.SetOutput("leadershipUsers", string.Join(',', leadership));
        context.SetOutput("officeUsers", string.Join(',', office));
        context.SetOutput("responseUsers", string.Join(',', response));
        context.SetOutput("jointUsers", string.Join(',', joint));
        context.SetOutput("leader", leader);
        context.SetOutput("drillMark", incident.IsDrill ? "【演练】" : "");
    }

    /// <summary>The level by the configured criteria.</summary>
    public static string Grade(EmergencyIncident incident, EmergencyOptions options)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(options);
        if (incident.Kind == IncidentKind.VolumeSurge)
        {
            var multiple = incident.SurgeBaseline is > 0 ? (incident.SurgeCount ?? 0) / incident.SurgeBaseline.Value : double.MaxValue;
            return multiple >= options.LevelISurgeMultiple ? "I" : multiple >= options.LevelIISurgeMultiple ? "II" : multiple >= options.LevelIIISurgeMultiple ? "III" : "IV";
        }

        var consumers = incident.ConsumerCount;
        return consumers >= options.LevelIConsumers ? "I" : consumers >= options.LevelIIConsumers ? "II" : consumers >= options.LevelIIIConsumers ? "III" : "IV";
    }

    private static string Basis(EmergencyIncident incident) => incident.Kind switch
    {
        IncidentKind.VolumeSurge => string.Create(CultureInfo.InvariantCulture, $"近一小时 {incident.SurgeCount} 件，平常每小时约 {incident.SurgeBaseline:0.#} 件"),
        IncidentKind.GroupComplaint => $"涉及消费者 {incident.ConsumerCount} 名、投诉 {incident.ComplaintCount} 件",
        _ => incident.Level is null ? "按一般事件处置" : "按启动时确定的级别",
    };
}
