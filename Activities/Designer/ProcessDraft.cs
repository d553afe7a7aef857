using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplaintWorkflows.Activities.Designer;

/// <summary>
/// A process being edited in the designer and not yet published: one draft per process key, its BPMN XML and
/// the user-task forms it carries, kept in the database so every host (and the next sign-in) sees the same draft.
/// </summary>
public sealed class ProcessDraft
{
    /// <summary>The BPMN process id (a definition key).</summary>
    public required string ProcessKey { get; set; }

    /// <summary>The process name shown in the designer's list.</summary>
    public string? Name { get; set; }

    /// <summary>The deployed version the draft was opened from (null for a new or imported process).</summary>
    public int? BasedOnVersion { get; set; }

    public required string Xml { get; set; }

    /// <summary>The forms edited with the draft: a JSON object of form key → form-js schema.</summary>
    public required string FormsJson { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public required string UpdatedBy { get; set; }

    /// <summary>Grows with every save; a save that names an older revision is refused (someone else saved meanwhile).</summary>
    public long Revision { get; set; }
}

/// <summary>A user-task form (form-js schema) published with a process from the designer; it wins over a shipped form file of the same key.</summary>
public sealed class ProcessForm
{
    /// <summary>The form's key (<c>camunda:formKey="camunda-forms:deployment:KEY.form"</c>).</summary>
    public required string FormKey { get; set; }

    /// <summary>The process it was published with.</summary>
    public required string ProcessKey { get; set; }

    public required string SchemaJson { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public required string UpdatedBy { get; set; }
}

/// <summary>Sizes of the designer's columns.</summary>
public static class DesignerLimits
{
    public const int Key = 128;
    public const int Name = 256;
    public const int User = 256;
}

internal sealed class ProcessDraftConfiguration : IEntityTypeConfiguration<ProcessDraft>
{
    public void Configure(EntityTypeBuilder<ProcessDraft> builder)
    {
        builder.ToTable("cw_process_draft");
        builder.HasKey(d => d.ProcessKey);
        builder.Property(d => d.ProcessKey).HasMaxLength(DesignerLimits.Key);
        builder.Property(d => d.Name).HasMaxLength(DesignerLimits.Name);
        builder.Property(d => d.UpdatedBy).HasMaxLength(DesignerLimits.User);
        builder.Property(d => d.Revision).IsConcurrencyToken();
    }
}

internal sealed class ProcessFormConfiguration : IEntityTypeConfiguration<ProcessForm>
{
    public void Configure(EntityTypeBuilder<ProcessForm> builder)
    {
        builder.ToTable("cw_process_form");
        builder.HasKey(f => f.FormKey);
        builder.Property(f => f.FormKey).HasMaxLength(DesignerLimits.Key);
        builder.Property(f => f.ProcessKey).HasMaxLength(DesignerLimits.Key);
        builder.Property(f => f.UpdatedBy).HasMaxLength(DesignerLimits.User);
    }
}
