using System.Globalization;
using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Messaging;
using ComplaintWorkflows.Activities.Organisation;
using ComplaintWorkflows.Activities.Surveys;
using ComplaintWorkflows.Engine.Persistence;
using Microsoft.EntityFrameworkCore;
using static ComplaintWorkflows.Benchmarks.SeedBenchmark;

namespace ComplaintWorkflows.Benchmarks;

/// <summary>The stations complaints are dispatched to, with their handlers: the demo organisation's and, for more than a few thousand complaints, generated ones.</summary>
internal sealed class SeedOrganisation
{
    /// <summary>About one station per this many complaints a year (five handlers each: some 50 open tasks per handler).</summary>
    private const int ComplaintsPerStation = 5000;

    public required IReadOnlyList<(string Id, string[] Handlers)> Stations { get; init; }

    public int HandlerCount => Stations.Sum(s => s.Handlers.Length);

    public static async Task<SeedOrganisation> CreateAsync(IDbContextFactory<DomainDbContext> domain, int complaints)
    {
        await using var db = await domain.CreateDbContextAsync();
        var units = await db.Set<Unit>().AsNoTracking().ToListAsync();
        var staff = await db.Set<StaffMember>().AsNoTracking().ToListAsync();
        var bureaus = units.Where(u => u.Kind == UnitKind.CountyBureau).Select(u => u.Id).ToList();
        var stations = units.Where(u => u.Kind == UnitKind.SupervisionStation).ToList();
        var wanted = Math.Max(stations.Count, complaints / ComplaintsPerStation);
        var names = new Random(7);
        for (var k = stations.Count; k < wanted; k++)
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"seed-s{k:D4}");
            var unit = new Unit { Id = id, Name = string.Create(CultureInfo.InvariantCulture, $"第{k}市场监督管理所（压测）"), Kind = UnitKind.SupervisionStation, ParentUnitId = bureaus[k % bureaus.Count], Regions = [string.Create(CultureInfo.InvariantCulture, $"压测街道{k}")] };
            db.Add(unit);
            stations.Add(unit);
            var people = new List<StaffMember>
            {
                new() { UserName = id + "-desk", DisplayName = SeedTexts.Name(names), UnitId = id, Roles = [StaffRoles.DeskOfficer] },
                new() { UserName = id + "-leader", DisplayName = SeedTexts.Name(names), UnitId = id, Roles = [StaffRoles.Leader] },
            };
            people.AddRange(Enumerable.Range(1, 5).Select(h => new StaffMember { UserName = string.Create(CultureInfo.InvariantCulture, $"{id}-h{h}"), DisplayName = SeedTexts.Name(names), UnitId = id, Roles = [StaffRoles.Handler] }));
            db.AddRange(people);
            staff.AddRange(people);
        }

        await db.SaveChangesAsync();
        return new SeedOrganisation
        {
            Stations = [.. stations.Select(s => (s.Id, staff.Where(m => m.UnitId == s.Id && m.HasRole(StaffRoles.Handler)).Select(m => m.UserName).DefaultIfEmpty(s.Id + "-h1").ToArray()))],
        };
    }
}

/// <summary>Writes the rows of seeded complaints: their receipt times spread over the year before now, oldest first.</summary>
internal sealed class SeedWriter(SeedTexts texts, Templates templates, SeedOrganisation organisation, DateTimeOffset now)
{
    private static readonly TimeSpan Year = TimeSpan.FromDays(365);
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    /// <summary>The slots of a template's values that clones replace (see <see cref="Values"/>).</summary>
    private const int Slots = 13;

    private readonly Dictionary<string, TextTemplate> _compiled = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _perDay = new(StringComparer.Ordinal);

    public sealed record Batch(List<object> Domain, List<object> Engine);

    public Batch Next(Random random, int first, int size, int total)
    {
        var batch = new Batch([], []);
        for (var i = first; i < first + size; i++)
        {
            var received = now - Year + (Year * ((i + random.NextDouble()) / total));
            Complaint(random, received, batch);
        }

        return batch;
    }

    private void Complaint(Random random, DateTimeOffset received, Batch batch)
    {
        var (station, handlers) = organisation.Stations[random.Next(organisation.Stations.Count)];
        var handler = handlers[random.Next(handlers.Length)];
        var (respondent, respondentAddress) = SeedTexts.Respondent(random);
        var (facts, request, problemType, industry) = texts.Story(random, received, respondent);
        var day = received.ToOffset(Beijing).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var sequence = _perDay[day] = _perDay.GetValueOrDefault(day, 500_000) + 1;
        var tier = random.Next(10) switch { < 3 => ComplexityTier.Simple, < 8 => ComplexityTier.General, _ => ComplexityTier.Complex };
        var acceptedAt = received + TimeSpan.FromHours(12 + random.Next(60));
        var handlingDue = acceptedAt + TimeSpan.FromDays((tier switch { ComplexityTier.Simple => 3, ComplexityTier.General => 7, _ => 15 }) * 1.4);
        var closedAt = acceptedAt + ((handlingDue - acceptedAt) * (0.3 + (random.NextDouble() * 0.8)));
        var roll = random.Next(100);
        var age = now - received;
        var status = age < TimeSpan.FromHours(1) ? ComplaintStatus.Registered
            : age < TimeSpan.FromHours(3) ? ComplaintStatus.Classified
            : now < acceptedAt ? ComplaintStatus.Dispatched
            : roll < 5 ? ComplaintStatus.Refused
            : now < closedAt ? (roll % 20) switch { 0 => ComplaintStatus.Suspended, 1 or 2 => ComplaintStatus.Accepted, 3 or 4 => ComplaintStatus.InReview, _ => ComplaintStatus.Handling }
            : roll < 7 ? ComplaintStatus.Terminated
            : now - closedAt < TimeSpan.FromDays(10) ? ComplaintStatus.Closed
            : now - closedAt < TimeSpan.FromDays(30) ? (roll % 2 == 0 ? ComplaintStatus.Surveyed : ComplaintStatus.Closed)
            : roll % 5 == 0 ? ComplaintStatus.Surveyed : ComplaintStatus.Archived;
        var accepted = status is not (ComplaintStatus.Registered or ComplaintStatus.Classified or ComplaintStatus.Dispatched or ComplaintStatus.Refused);
        var closed = status is ComplaintStatus.Closed or ComplaintStatus.Terminated or ComplaintStatus.Surveyed or ComplaintStatus.Archived;
        var template = templates.For(status);
        var phone = SeedTexts.Phone(random);
        var complaint = new Complaint
        {
            Id = Guid.CreateVersion7(received).ToString("N"),
            TrackingNumber = string.Create(CultureInfo.InvariantCulture, $"TS{day}{sequence:D6}"),
            Channel = (ComplaintChannel)random.Next(10),
            Status = status,
            ConsumerName = SeedTexts.Name(random),
            ConsumerPhone = phone,
            ConsumerAddress = random.Next(3) == 0 ? null : respondentAddress.Replace("号", "号" + random.Next(1, 30) + "幢", StringComparison.Ordinal),
            ConsumerEmail = random.Next(10) == 0 ? string.Create(CultureInfo.InvariantCulture, $"user{random.Next(1_000_000)}@example.cn") : null,
            NotifyBy = random.Next(10) == 0 ? MessageChannel.Email : MessageChannel.Sms,
            RespondentName = respondent,
            RespondentAddress = respondentAddress,
            Request = request,
            Facts = facts,
            ReceivedAt = received,
            RegisteredAt = received + TimeSpan.FromMinutes(random.Next(1, 20)),
            RuleSet = template.Complaint.RuleSet,
            ProblemType = status == ComplaintStatus.Registered ? null : problemType,
            Industry = status == ComplaintStatus.Registered ? null : industry,
            Tier = status == ComplaintStatus.Registered ? null : tier,
            ClassificationConfidence = status == ComplaintStatus.Registered ? null : Math.Round(0.5 + (random.NextDouble() / 2), 3),
            SuspectedProfessionalClaimant = phone.StartsWith("1390577", StringComparison.Ordinal) && random.Next(5) == 0,
            UnitId = status == ComplaintStatus.Registered ? null : station,
            HandlerUserName = accepted ? handler : null,
            AcceptanceDueAt = received + TimeSpan.FromDays(9),
            HandlingDueAt = accepted ? handlingDue : null,
            AcceptedAt = accepted ? acceptedAt : null,
            ClosedAt = closed ? closedAt : status == ComplaintStatus.Refused ? acceptedAt : null,
            ArchivedAt = status == ComplaintStatus.Archived ? closedAt + TimeSpan.FromDays(15) : null,
            ClosedOnTime = closed ? closedAt <= handlingDue : null,
            MediationSucceeded = closed && status != ComplaintStatus.Terminated ? random.Next(10) < 7 : null,
            SatisfactionScore = status is ComplaintStatus.Surveyed or ComplaintStatus.Archived && random.Next(2) == 0 ? 3 + random.Next(3) : null,
            RefusalGround = status == ComplaintStatus.Refused ? "不属于本部门管辖" : null,
            ContentFingerprint = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(phone + respondent + facts))),
            ProcessInstanceId = Guid.CreateVersion7(received).ToString("N"),
        };
        batch.Domain.Add(complaint);
        Timeline(complaint, acceptedAt, handler, batch);
        if (complaint.SatisfactionScore is { } score)
        {
            batch.Domain.Add(new SurveyAnswer { ComplaintId = complaint.Id, Channel = random.Next(3) == 0 ? "web" : "sms", Overall = score, Speed = score, Attitude = score, AnsweredAt = closedAt + TimeSpan.FromDays(3), HandlerUserName = handler });
        }

        Process(complaint, template, received, batch);
    }

    private static void Timeline(Complaint c, DateTimeOffset acceptedAt, string handler, Batch batch)
    {
        void Add(DateTimeOffset at, string kind, string text, bool shown, string actor = "system")
            => batch.Domain.Add(new ComplaintEvent { ComplaintId = c.Id, At = at, Kind = kind, Text = text, Public = shown, Actor = actor, ProcessInstanceId = c.ProcessInstanceId });

        Add(c.RegisteredAt, "registered", $"投诉已登记，编号 {c.TrackingNumber} (Complaint registered)", true, "consumer");
        if (c.Status == ComplaintStatus.Registered)
        {
            return;
        }

        Add(c.RegisteredAt.AddMinutes(1), "classified", $"已分类：{c.ProblemType}，{c.Industry}", false);
        if (c.Status == ComplaintStatus.Classified)
        {
            return;
        }

        Add(c.RegisteredAt.AddMinutes(30), "dispatched", "已分派至承办单位 (Dispatched to the handling unit)", true, "zx-desk-a");
        if (c.Status == ComplaintStatus.Refused)
        {
            Add(acceptedAt, "refused", $"不予受理：{c.RefusalGround}", true, c.UnitId + "-desk");
            return;
        }

        if (c.AcceptedAt is null)
        {
            return;
        }

        Add(acceptedAt, "accepted", "已受理，正在处理 (Accepted)", true, handler);
        Add(acceptedAt.AddHours(2), "handling", "已联系商家协商 (Contacting the business)", true, handler);
        if (c.ClosedAt is { } closedAt)
        {
            Add(closedAt, c.Status == ComplaintStatus.Terminated ? "terminated" : "closed", c.MediationSucceeded == true ? "调解成功，已办结 (Mediated and closed)" : "已办结 (Closed)", true, handler);
        }

        if (c.SatisfactionScore is not null)
        {
            Add(c.ClosedAt!.Value.AddDays(3), "surveyed", "已回访 (Survey answered)", false);
        }

        if (c.ArchivedAt is { } archivedAt)
        {
            Add(archivedAt, "archived", "已归档 (Archived)", false);
        }
    }

    /// <summary>The values a template's text is cut at, in slot order, for a template's complaint or a clone's.</summary>
    private static string?[] Values(Complaint c, string? taskId) =>
    [
        c.Id, c.TrackingNumber, c.ProcessInstanceId, c.ConsumerName, c.ConsumerPhone, c.RespondentName, c.RespondentAddress,
        c.Facts, c.Request, c.ConsumerAddress, c.UnitId, c.HandlerUserName, taskId,
    ];

    private string Render(Template template, string text, string?[] values)
    {
        if (!_compiled.TryGetValue(text, out var compiled))
        {
            compiled = _compiled[text] = new TextTemplate(text, Values(template.Complaint, template.Tasks.Count > 0 ? template.Tasks[0].Id : null));
        }

        return compiled.Render(values);
    }

    private void Process(Complaint c, Template template, DateTimeOffset received, Batch batch)
    {
        var taskId = Guid.CreateVersion7(received).ToString("N");
        var values = Values(c, taskId);
        System.Diagnostics.Debug.Assert(values.Length == Slots);
        var shift = received.ToUnixTimeMilliseconds() - template.Complaint.ReceivedAt.ToUnixTimeMilliseconds();
        var ended = c.Status is ComplaintStatus.Refused or ComplaintStatus.Terminated or ComplaintStatus.Surveyed or ComplaintStatus.Archived;
        var t = template.Instance;
        batch.Engine.Add(new InstanceRow
        {
            Id = c.ProcessInstanceId!,
            DefinitionId = t.DefinitionId,
            DefinitionKey = t.DefinitionKey,
            BusinessKey = t.BusinessKey is null ? null : Render(template, t.BusinessKey, values),
            Status = ended ? (c.Status == ComplaintStatus.Terminated ? 2 : 1) : 0,
            Revision = t.Revision,
            State = Render(template, t.State, values),
            StartedAt = t.StartedAt + shift,
            EndedAt = ended ? (c.ArchivedAt ?? c.ClosedAt ?? received).ToUnixTimeMilliseconds() : null,
        });
        foreach (var j in template.Journal)
        {
            batch.Engine.Add(new JournalRow { InstanceId = c.ProcessInstanceId!, FirstSequence = j.FirstSequence, LastSequence = j.LastSequence, At = j.At + shift, Entries = Render(template, j.Entries, values) });
        }

        if (OpenTask(c, template, taskId, values) is { } task)
        {
            batch.Engine.Add(task);
            foreach (var candidate in TaskCandidateRow.Of(task))
            {
                batch.Engine.Add(candidate);
            }
        }

        foreach (var n in template.Notifications)
        {
            var at = n.CreatedAt.AddMilliseconds(shift);
            var old = now - at > TimeSpan.FromDays(1);
            batch.Domain.Add(new Notification
            {
                Key = Render(template, n.Key, values) is var key && key == n.Key ? key + ":" + c.Id : key,
                MessageId = Guid.CreateVersion7(at).ToString("N"),
                Template = n.Template,
                Channel = n.Channel,
                Recipient = Render(template, n.Recipient, values),
                RecipientUserName = n.RecipientUserName,
                Text = Render(template, n.Text, values),
                Subject = n.Subject,
                HtmlBody = n.HtmlBody is null ? null : Render(template, n.HtmlBody, values),
                SmsTemplateCodes = n.SmsTemplateCodes,
                Values = Render(template, n.Values, values),
                Status = old ? NotificationStatus.Delivered : n.Status,
                Attempts = Math.Max(n.Attempts, old ? 1 : 0),
                NextAttemptAt = n.NextAttemptAt.AddMilliseconds(shift),
                Provider = n.Provider,
                ComplaintId = c.Id,
                ProcessInstanceId = c.ProcessInstanceId,
                CreatedAt = at,
                UpdatedAt = n.UpdatedAt.AddMilliseconds(shift),
                SentAt = old ? at.AddSeconds(2) : n.SentAt?.AddMilliseconds(shift),
                DeliveredAt = old ? at.AddSeconds(9) : n.DeliveredAt?.AddMilliseconds(shift),
            });
        }
    }

    /// <summary>The user task the complaint waits at, as the process would have created it for its unit and handler.</summary>
    private TaskRow? OpenTask(Complaint c, Template template, string taskId, string?[] values)
    {
        (string Element, string Name, string Form, string? Assignee, string? Groups, DateTimeOffset? Due, DateTimeOffset Created)? stage = c.Status switch
        {
            ComplaintStatus.Registered or ComplaintStatus.Classified => ("reviewDispatch", "审核分类与分派", "dispatch-review", null, ",intake_desk,", c.ReceivedAt.AddHours(2), c.RegisteredAt),
            ComplaintStatus.Dispatched => ("acceptanceDecision", "受理审查", "acceptance-decision", null, $",desk_officer@{c.UnitId},", c.AcceptanceDueAt, c.RegisteredAt.AddMinutes(30)),
            ComplaintStatus.Accepted or ComplaintStatus.Handling or ComplaintStatus.Suspended => ("mediate", "处理与调解", "mediation", c.HandlerUserName, null, c.HandlingDueAt, c.AcceptedAt!.Value),
            ComplaintStatus.InReview => ("deskReview", "投诉台审核", "closure-review", null, $",desk_officer@{c.UnitId},", null, c.HandlingDueAt!.Value.AddDays(-1)),
            _ => null,
        };
        if (stage is not { } s)
        {
            return null;
        }

        var like = template.Tasks.FirstOrDefault(x => x.ElementId == s.Element) ?? (template.Tasks.Count > 0 ? template.Tasks[0] : templates.For(ComplaintStatus.Registered).Tasks[0]);
        return new TaskRow
        {
            Id = taskId,
            InstanceId = c.ProcessInstanceId!,
            NodeId = like.NodeId,
            ElementId = s.Element,
            Name = s.Name,
            DefinitionKey = like.DefinitionKey,
            BusinessKey = like.BusinessKey is null ? null : Render(template, like.BusinessKey, values),
            Assignee = s.Assignee,
            CandidateUsers = like.CandidateUsers,
            CandidateGroups = s.Groups ?? like.CandidateUsers,
            DueDate = s.Due?.ToUnixTimeMilliseconds(),
            DueSort = ComplaintWorkflows.Engine.Runtime.InboxKey.DueSortOf(s.Due),
            Priority = like.Priority,
            FormKey = $"camunda-forms:deployment:{s.Form}.form",
            CreatedAt = s.Created.ToUnixTimeMilliseconds(),
        };
    }
}
