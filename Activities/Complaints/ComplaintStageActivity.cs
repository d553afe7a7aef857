using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Persistence;
using ComplaintWorkflows.Engine.Variables;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Complaints;

/// <summary>
/// Marks the complaint as having reached a stage: sets its status, copies what the process has
/// established onto the record, and adds a timeline entry (public ones are what the consumer sees).
/// </summary>
[Activity("complaint.stage", DisplayName = "更新投诉进度 (Complaint stage)", Category = "投诉处理 (Complaints)",
    Description = "设置投诉状态并记录进度（公开的进度消费者可见）；同时同步分类、分派、期限等流程变量到投诉档案。Sets the complaint's status, records a timeline entry and copies classification, dispatch and deadline variables onto the record.")]
[ActivityInput("status", VariableType.String, DisplayName = "状态 (Status)", Required = true,
    Description = "Registered, Classified, Dispatched, Accepted, Refused, Handling, Suspended, InReview, Closed, Terminated, Surveyed, Archived")]
[ActivityInput("text", VariableType.String, DisplayName = "进度说明 (Progress text)", Required = true, Description = "时间线上显示的文字，如“已联系商家协商”；{unit} 代表承办单位名称。What the timeline shows; {unit} stands for the unit's name.")]
[ActivityInput("public", VariableType.Boolean, DisplayName = "消费者可见 (Shown to consumer)", Default = true)]
[ActivityInput("kind", VariableType.String, DisplayName = "事件类型 (Event kind)", Description = "时间线事件代码，默认为状态名；returned 计入退回次数。Timeline code; defaults to the status; 'returned' counts a return for re-dispatch.")]
[ActivityInput("notify", VariableType.Boolean, DisplayName = "通知投诉人 (Notify the consumer)", Default = false,
    Description = "按投诉人选择的方式（短信/邮件）发送进度通知（模板 complaint.progress），与进度记录一并保存。Sends the progress to the consumer on their channel, stored with the timeline entry.")]
[ActivityInput("notifyTemplate", VariableType.String, DisplayName = "通知模板 (Template)", Default = Messaging.DefaultNotificationTemplates.Progress)]
public sealed class ComplaintStageActivity(
    IDbContextFactory<DomainDbContext> contexts,
    IOptions<ComplaintOptions> options,
    Messaging.NotificationService notifications,
    Messaging.NotificationSignal signal,
    Messaging.ConsumerNotifications consumers,
    RowInserter? rows = null) : IActivity
{
    /// <summary>Writes the stage without SaveChanges, whose SQL would be generated again at every stage of every complaint.</summary>
    private readonly RowInserter _rows = rows ?? new RowInserter();

    /// <summary>In the text, stands for the name of the complaint's unit as it is now (after the desk's changes).</summary>
    public const string UnitPlaceholder = "{unit}";

    /// <summary>The complaint, tracked (compiled once: every stage of every complaint loads it; per instance, as a compiled query belongs to one model).</summary>
    private readonly ModelBoundQuery<Func<DomainDbContext, string, CancellationToken, Task<Complaint?>>> _byId = new(() => EF.CompileAsyncQuery(
        (DomainDbContext db, string id, CancellationToken cancellationToken) => db.Set<Complaint>().FirstOrDefault(c => c.Id == id)));

    public async ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var statusText = context.GetInput<string>("status")!;
        if (!Enum.TryParse<ComplaintStatus>(statusText, true, out var status))
        {
            throw new InvalidOperationException($"Input 'status' of complaint.stage at element '{context.ElementId}': '{statusText}' is not a complaint status ({string.Join(", ", Enum.GetNames<ComplaintStatus>())}).");
        }

        var complaintId = ComplaintContext.ComplaintId(context);

        // Written with the step when the engine's store can (the same database), else in a transaction of its own.
        var work = DomainStepWork.For(context, contexts, _rows);
        await using var disposeWork = work.ConfigureAwait(false);
        var db = work.Db;

        // An earlier stage of the same step has the record already, as it left it.
        var complaint = db.Set<Complaint>().Local.FindEntry(complaintId)?.Entity
            ?? await _byId.For(db)(db, complaintId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Complaint '{complaintId}' of process instance {context.ProcessInstanceId} does not exist.");
        var before = db.Entry(complaint).CurrentValues.Clone();
        ComplaintEvent entry;
        Messaging.Notification? added;
        try
        {
            (entry, added) = await StageAsync(context, db, complaint, status, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // What the step's work holds stays with the step: a stage that fails leaves the record as it found it.
            db.Entry(complaint).CurrentValues.SetValues(before);
            throw;
        }

        work.Update(complaint);
        work.Insert(entry, added);
        work.OnCommitted(() => signal.WakeFor(added));
        await work.SaveAsync(cancellationToken).ConfigureAwait(false);

        context.SetVariable("complaintStatus", status.ToString());
    }

    /// <summary>Changes the record for the stage and makes its timeline entry and notification (not yet stored).</summary>
    private async Task<(ComplaintEvent Entry, Messaging.Notification? Added)> StageAsync(ActivityContext context, DomainDbContext db, Complaint complaint, ComplaintStatus status, CancellationToken cancellationToken)
    {
        var now = context.Time.GetUtcNow();
        var kind = context.GetInput<string>("kind") is { Length: > 0 } k ? k : status.ToString().ToLowerInvariant();
        complaint.Status = status;
        if (!complaint.IsReport && context.ProcessDefinitionKey == options.Value.ProcessKey)
        {
            complaint.ProcessInstanceId ??= context.ProcessInstanceId;
        }

        ComplaintRecordSync.Apply(complaint, context);
        switch (status)
        {
            case ComplaintStatus.Accepted:
                complaint.AcceptedAt ??= now;
                break;
            case ComplaintStatus.Closed or ComplaintStatus.Terminated:
                complaint.ClosedAt = now;
                complaint.ClosedOnTime = complaint.HandlingDueAt is not { } due || now <= due;
                break;
            case ComplaintStatus.Refused:
                complaint.ClosedAt = now;
                break;
            case ComplaintStatus.Archived:
                complaint.ArchivedAt = now;
                break;
            default:
                break;
        }

        if (kind == "returned")
        {
            complaint.ReturnCount++;
        }

        complaint.Version++;
        var text = context.GetInput<string>("text")!;
        if (text.Contains(UnitPlaceholder, StringComparison.Ordinal))
        {
            var unitName = await db.Set<Organisation.Unit>().Where(u => u.Id == complaint.UnitId).Select(u => u.Name).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            text = text.Replace(UnitPlaceholder, unitName ?? complaint.UnitId ?? "承办单位", StringComparison.Ordinal);
        }

        var entry = new ComplaintEvent
        {
            ComplaintId = complaint.Id,
            At = now,
            Kind = kind,
            Text = text,
            Public = context.GetInput("public") is not false,
            ProcessInstanceId = context.ProcessInstanceId,
            ElementId = context.ElementId,
        };
        var notify = context.GetInput("notify") is true && context.GetInput("public") is not false
            && Messaging.ConsumerNotifications.Consumer(complaint) is not null;
        Messaging.Notification? added = null;
        if (notify)
        {
            // Stored in the same transaction as the timeline entry: the consumer is told exactly what the timeline says.
            var values = consumers.ComplaintValues(complaint);
            values["text"] = text;
            (added, _) = await notifications.PrepareAsync(db, new Messaging.NotificationRequest
            {
                Key = Messaging.ConsumerNotifications.KeyFor(context),
                Template = context.GetInput<string>("notifyTemplate") ?? Messaging.DefaultNotificationTemplates.Progress,
                Recipient = Messaging.ConsumerNotifications.Consumer(complaint)!,
                Values = values,
                Reference = complaint.Id,
            }, context.ProcessInstanceId, cancellationToken).ConfigureAwait(false);
        }

        return (entry, added);
    }
}
