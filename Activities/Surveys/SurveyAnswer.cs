using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplaintWorkflows.Activities.Surveys;

/// <summary>
/// A consumer's satisfaction survey answer (回访): the six indicators scored 1 (very dissatisfied) to 5 (very
/// satisfied) and a comment, by web form, SMS reply or a staff follow-up call.
/// </summary>
public sealed class SurveyAnswer
{
    public long Id { get; set; }

    public required string ComplaintId { get; set; }

    /// <summary><c>web</c>, <c>sms</c>, <c>phone</c>.</summary>
    public required string Channel { get; set; }

    public int? Speed { get; set; }

    public int? Attitude { get; set; }

    public int? Communication { get; set; }

    public int? Fairness { get; set; }

    public int? Professionalism { get; set; }

    public int Overall { get; set; }

    public string? Comment { get; set; }

    public DateTimeOffset AnsweredAt { get; set; }

    public string? HandlerUserName { get; set; }
}

internal sealed class SurveyAnswerConfiguration : IEntityTypeConfiguration<SurveyAnswer>
{
    public void Configure(EntityTypeBuilder<SurveyAnswer> builder)
    {
        builder.ToTable("cw_survey_answer");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.ComplaintId).HasMaxLength(64);
        builder.HasIndex(s => s.ComplaintId);
        builder.Property(s => s.Channel).HasMaxLength(16);
        builder.Property(s => s.Comment).HasMaxLength(2000);
        builder.Property(s => s.HandlerUserName).HasMaxLength(128);
        builder.HasIndex(s => s.HandlerUserName);
    }
}
