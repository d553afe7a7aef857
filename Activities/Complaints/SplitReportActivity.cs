using System.Globalization;
using ComplaintWorkflows.Activities.Calendar;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Variables;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Complaints;

/// <summary>
/// A submission that is both a complaint and a report is handled as two (domain rules): the report part
/// becomes a record of its own (tracking number JB...), linked both ways, so its handling and the
/// reporter's identity stay apart from the complaint. Idempotent per complaint.
/// </summary>
[Activity("complaint.splitReport", DisplayName = "拆分举报 (Split off report)", Category = "投诉处理 (Complaints)",
    Description = "把投诉中的举报内容拆分为独立的举报件（编号 JB…），与原投诉双向关联。Splits the report part of a submission into a report record of its own, linked both ways.")]
[ActivityInput("reportText", VariableType.String, DisplayName = "举报内容 (Report text)", Required = true)]
[ActivityOutput("reportComplaintId", VariableType.String, DisplayName = "举报件编号 (Report id)")]
[ActivityOutput("reportTrackingNumber", VariableType.String, DisplayName = "举报件受理号 (Report tracking number)")]
public sealed class SplitReportActivity(
    IDbContextFactory<DomainDbContext> contexts,
    IOptions<ComplaintOptions> options,
    WorkingCalendar calendar,
    TrackingNumberAllocator numbers,
    ComplaintWorkflows.Engine.Persistence.RowInserter? rows = null) : IActivity
{
    private readonly ComplaintWorkflows.Engine.Persistence.RowInserter _rows = rows ?? new();

    public async ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var complaintId = ComplaintContext.ComplaintId(context);

        // With the step when the store can (the complaint may be new in this very step), else on its own.
        var work = DomainStepWork.For(context, contexts, _rows);
        await using var disposeWork = work.ConfigureAwait(false);
        var complaint = await work.FindAsync<Complaint>(complaintId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Complaint '{complaintId}' of process instance {context.ProcessInstanceId} does not exist.");
        var report = complaint.LinkedComplaintId is { } linked
            ? await work.FindAsync<Complaint>(linked, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Complaint '{complaintId}' is linked to report '{linked}', which does not exist.")
            : null;
        if (report is null)
        {
            var now = context.Time.GetUtcNow();
            report = new Complaint
            {
                Id = Guid.CreateVersion7(now).ToString("N"),
                TrackingNumber = await numbers.NextAsync(options.Value.ReportTrackingPrefix, calendar.LocalDate(now), cancellationToken).ConfigureAwait(false),
                IsReport = true,
                LinkedComplaintId = complaint.Id,
                Channel = complaint.Channel,
                Status = ComplaintStatus.Registered,
                ConsumerUserId = complaint.ConsumerUserId,
                ConsumerName = complaint.ConsumerName,
                ConsumerPhone = complaint.ConsumerPhone,
                ConsumerAddress = complaint.ConsumerAddress,
                ConsumerEmail = complaint.ConsumerEmail,
                RespondentName = complaint.RespondentName,
                RespondentAddress = complaint.RespondentAddress,
                Request = "举报违法行为 (report of a violation)",
                Facts = Convert.ToString(context.GetInput("reportText"), CultureInfo.InvariantCulture)!,
                ReceivedAt = complaint.ReceivedAt,
                RegisteredAt = now,
                UnitId = complaint.UnitId,
            };
            complaint.LinkedComplaintId = report.Id;
            var split = new ComplaintEvent
            {
                ComplaintId = complaint.Id,
                At = now,
                Kind = "report-split",
                Text = $"举报内容已拆分为举报件 {report.TrackingNumber} 另行处理 (Report part filed separately as {report.TrackingNumber})",
                Public = true,
                ProcessInstanceId = context.ProcessInstanceId,
                ElementId = context.ElementId,
            };
            var reportRegistered = new ComplaintEvent
            {
                ComplaintId = report.Id,
                At = now,
                Kind = "registered",
                Text = $"举报已登记，编号 {report.TrackingNumber} (Report registered)",
                Public = true,
            };
            work.Update(complaint);
            work.Add(report);
            work.Insert(split, reportRegistered);
            await work.SaveAsync(cancellationToken).ConfigureAwait(false);
        }

        context.SetOutput("reportComplaintId", report.Id);
        context.SetOutput("reportTrackingNumber", report.TrackingNumber);
    }
}
