using ComplaintWorkflows.Activities.Calendar;
using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Persistence;
using ComplaintWorkflows.Engine.Variables;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Odr;

/// <summary>
/// Finds whether the complaint's respondent is an active business of the ODR programme (its name or a branch's);
/// if so records it on the complaint and sets <c>odrBusinessId</c> and the answer deadline <c>odrAnswerDueAt</c>
/// (<see cref="OdrOptions.AnswerWorkingDays"/> working days from now); else <c>odrBusinessId</c> is empty.
/// </summary>
[Activity("odr.match", DisplayName = "匹配ODR企业 (Match ODR business)", Category = "在线纠纷解决 (ODR)",
    Description = "被投诉方是否为在线消费纠纷解决（ODR）企业或其门店；是则记录企业并计算答复期限 odrAnswerDueAt。Whether the respondent is an ODR business; sets odrBusinessId and odrAnswerDueAt.")]
[ActivityInput("respondentName", VariableType.String, DisplayName = "被投诉方 (Respondent)", Required = true)]
[ActivityOutput("odrBusinessId", VariableType.String, DisplayName = "ODR企业 (ODR business)")]
[ActivityOutput("odrAnswerDueAt", VariableType.String, DisplayName = "企业答复期限 (Answer deadline)")]
public sealed class OdrMatchActivity(IDbContextFactory<DomainDbContext> contexts, WorkingCalendar calendar, IOptions<OdrOptions> options, RowInserter? rows = null) : IActivity
{
    private readonly RowInserter _rows = rows ?? new();

    public async ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var respondent = context.GetInput<string>("respondentName")!.Trim();
        var work = DomainStepWork.For(context, contexts, _rows);
        await using var disposeWork = work.ConfigureAwait(false);
        var db = work.Db;
        var businesses = await db.Set<OdrBusiness>().AsNoTracking().Where(b => b.Active).ToListAsync(cancellationToken).ConfigureAwait(false);
        var business = businesses.FirstOrDefault(b => b.Names().Contains(respondent, StringComparer.Ordinal));
        if (business is null)
        {
            context.SetOutput("odrBusinessId", "");
            return;
        }

        var complaintId = ComplaintContext.ComplaintId(context);
        var complaint = db.Set<Complaint>().Local.FindEntry(complaintId)?.Entity
            ?? await db.Set<Complaint>().FirstOrDefaultAsync(c => c.Id == complaintId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Complaint '{complaintId}' of process instance {context.ProcessInstanceId} does not exist.");
        var now = context.Time.GetUtcNow();
        var due = calendar.AddWorkingDays(now, options.Value.AnswerWorkingDays);
        complaint.OdrBusinessId = business.Id;
        complaint.Version++;
        work.Update(complaint);
        work.Insert(new ComplaintEvent
        {
            ComplaintId = complaint.Id, At = now, Kind = "odr-offered", Public = true,
            Text = $"被投诉方已加入在线消费纠纷解决（ODR），请商家于 {SlaClock.Format(due, calendar.Zone)[..10]} 前答复并提出和解方案",
            ProcessInstanceId = context.ProcessInstanceId, ElementId = context.ElementId,
        });
        await work.SaveAsync(cancellationToken).ConfigureAwait(false);
        context.SetOutput("odrBusinessId", business.Id);
        context.SetOutput("odrAnswerDueAt", SlaClock.Format(due, calendar.Zone));
    }
}
