using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplaintWorkflows.Activities.Emergency;

/// <summary>What raised an incident.</summary>
public enum IncidentKind
{
    /// <summary>群体投诉: enough consumers against one respondent about one matter within the window.</summary>
    GroupComplaint,

    /// <summary>投诉量激增: the hourly intake above a multiple of its usual level.</summary>
    VolumeSurge,

    /// <summary>舆情: a public-opinion item graded blue, yellow, orange or red.</summary>
    PublicOpinion,

    /// <summary>A plan started by hand (a drill, or an event reported by phone).</summary>
    Manual,
}

/// <summary>Where an incident stands.</summary>
public enum IncidentStatus
{
    Open,
    DeEscalated,
    Closed,
}

/// <summary>
/// An emergency or mass incident (突发事件/群体性事件) and its plan's record: what raised it, its level
/// (I 特别重大 … IV 一般), the linked complaints, the upward report, the consumers' representatives, the
/// closing review. <see cref="OpenKey"/> is unique while the incident is open, so a detector on two hosts
/// raises one incident for one situation; it is cleared when the incident closes.
/// </summary>
public sealed class EmergencyIncident
{
    public required string Id { get; set; }

    /// <summary>The number staff quote (YJ20261123001).</summary>
    public required string Number { get; set; }

    public IncidentKind Kind { get; set; }

    public IncidentStatus Status { get; set; }

    public required string Title { get; set; }

    /// <summary>Unique while open (e.g. <c>group:某某健身:合同</c>, <c>surge</c>); null for drills and closed incidents.</summary>
    public string? OpenKey { get; set; }

    public string? RespondentName { get; set; }

    public string? RespondentAddress { get; set; }

    /// <summary>The matter complaints were matched on (problem type), when matching by matter.</summary>
    public string? Matter { get; set; }

    /// <summary>I, II, III or IV.</summary>
    public string? Level { get; set; }

    /// <summary>A prepaid-card run-off (预付卡跑路): the joint enforcement group responds.</summary>
    public bool PrepaidCard { get; set; }

    /// <summary>The unit that leads the response (county bureau with jurisdiction over the respondent).</summary>
    public string? UnitId { get; set; }

    public int ComplaintCount { get; set; }

    public int ConsumerCount { get; set; }

    /// <summary>For a surge: complaints in the hour and the usual hourly level it was compared with.</summary>
    public int? SurgeCount { get; set; }

    public double? SurgeBaseline { get; set; }

    /// <summary>舆情 grade: blue, yellow, orange or red.</summary>
    public string? OpinionGrade { get; set; }

    public string? OpinionSource { get; set; }

    /// <summary>演练: same process and tasks, notifications to the participants only.</summary>
    public bool IsDrill { get; set; }

    /// <summary>Drill participants' user names, comma-separated.</summary>
    public string? DrillParticipants { get; set; }

    public string? Summary { get; set; }

    /// <summary>消费者代表 (2-3 chosen by the consumers), as recorded.</summary>
    public string? Representatives { get; set; }

    /// <summary>总结评估: the lessons recorded at the closing review (or the drill review).</summary>
    public string? Lessons { get; set; }

    public DateTimeOffset OpenedAt { get; set; }

    public DateTimeOffset? ReportDueAt { get; set; }

    public DateTimeOffset? ReportedAt { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    public string? ProcessInstanceId { get; set; }

    public string? OpenedBy { get; set; }

    public long Version { get; set; }
}

/// <summary>A complaint belonging to an incident (a complaint belongs to at most one open incident of a kind).</summary>
public sealed class IncidentComplaint
{
    public required string IncidentId { get; set; }

    public required string ComplaintId { get; set; }

    public DateTimeOffset JoinedAt { get; set; }
}

/// <summary>An entry of an incident's record: raised, graded, notified, upward report, representatives, measures, review.</summary>
public sealed class IncidentEvent
{
    public long Id { get; set; }

    public required string IncidentId { get; set; }

    public DateTimeOffset At { get; set; }

    public required string Kind { get; set; }

    public required string Text { get; set; }

    /// <summary>Structured content (the upward report's fields), JSON.</summary>
    public string? Data { get; set; }

    public string? Actor { get; set; }
}

/// <summary>Where the detector has got to in the complaint table (complaint ids are time-ordered).</summary>
public sealed class DetectionCursor
{
    public required string Name { get; set; }

    public string? LastComplaintId { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public long Version { get; set; }
}

internal sealed class EmergencyIncidentConfiguration : IEntityTypeConfiguration<EmergencyIncident>
{
    public void Configure(EntityTypeBuilder<EmergencyIncident> builder)
    {
        builder.ToTable("cw_emergency_incident");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Id).HasMaxLength(64);
        builder.Property(i => i.Number).HasMaxLength(32);
        builder.HasIndex(i => i.Number).IsUnique();
        builder.Property(i => i.Kind).HasConversion<string>().HasMaxLength(32);
        builder.Property(i => i.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(i => i.Title).HasMaxLength(300);
        builder.Property(i => i.OpenKey).HasMaxLength(400);
        builder.HasIndex(i => i.OpenKey).IsUnique();
        builder.Property(i => i.RespondentName).HasMaxLength(200);
        builder.Property(i => i.RespondentAddress).HasMaxLength(300);
        builder.Property(i => i.Matter).HasMaxLength(64);
        builder.Property(i => i.Level).HasMaxLength(4);
        builder.Property(i => i.UnitId).HasMaxLength(64);
        builder.Property(i => i.OpinionGrade).HasMaxLength(16);
        builder.Property(i => i.OpinionSource).HasMaxLength(300);
        builder.Property(i => i.DrillParticipants).HasMaxLength(2000);
        builder.Property(i => i.Summary).HasMaxLength(4000);
        builder.Property(i => i.Representatives).HasMaxLength(1000);
        builder.Property(i => i.Lessons).HasMaxLength(8000);
        builder.Property(i => i.ProcessInstanceId).HasMaxLength(64);
        builder.Property(i => i.OpenedBy).HasMaxLength(64);
        builder.HasIndex(i => new { i.Status, i.OpenedAt });
        builder.Property(i => i.Version).IsConcurrencyToken();
    }
}

internal sealed class IncidentComplaintConfiguration : IEntityTypeConfiguration<IncidentComplaint>
{
    public void Configure(EntityTypeBuilder<IncidentComplaint> builder)
    {
        builder.ToTable("cw_emergency_incident_complaint");
        builder.HasKey(l => new { l.IncidentId, l.ComplaintId });
        builder.Property(l => l.IncidentId).HasMaxLength(64);
        builder.Property(l => l.ComplaintId).HasMaxLength(64);
        builder.HasIndex(l => l.ComplaintId);
    }
}

internal sealed class IncidentEventConfiguration : IEntityTypeConfiguration<IncidentEvent>
{
    public void Configure(EntityTypeBuilder<IncidentEvent> builder)
    {
        builder.ToTable("cw_emergency_incident_event");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.IncidentId).HasMaxLength(64);
        builder.HasIndex(e => e.IncidentId);
        builder.Property(e => e.Kind).HasMaxLength(32);
        builder.Property(e => e.Text).HasMaxLength(8000);
        builder.Property(e => e.Data).HasMaxLength(16000);
        builder.Property(e => e.Actor).HasMaxLength(64);
    }
}

internal sealed class DetectionCursorConfiguration : IEntityTypeConfiguration<DetectionCursor>
{
    public void Configure(EntityTypeBuilder<DetectionCursor> builder)
    {
        builder.ToTable("cw_emergency_cursor");
        builder.HasKey(c => c.Name);
        builder.Property(c => c.Name).HasMaxLength(32);
        builder.Property(c => c.LastComplaintId).HasMaxLength(64);
        builder.Property(c => c.Version).IsConcurrencyToken();
    }
}
