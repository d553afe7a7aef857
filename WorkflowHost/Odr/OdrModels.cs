using ComplaintWorkflows.Activities.Complaints;

namespace ComplaintWorkflows.WorkflowHost.Odr;

/// <summary>
/// A complaint as its ODR business sees it on the enterprise portal. The consumer's personal data follows the portal's
/// rule (docs/api.md, "Enterprise portal"): the name masked to its first character (张**), the phone to 138****5678, the
/// address and e-mail not shown at all, and the request and facts with the personal data in them masked as the case
/// library masks published texts (names, numbers, ID numbers, detailed addresses; the respondent's name kept).
/// </summary>
public sealed record OdrComplaintView(
    string Id,
    string TrackingNumber,
    ComplaintStatus Status,
    string RespondentName,
    string ConsumerName,
    string ConsumerPhone,
    string Request,
    string Facts,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? AnswerDueAt,
    bool AwaitingAnswer,
    string? Outcome,
    IReadOnlyList<OdrSettlementView> Settlements,
    IReadOnlyList<OdrNoticeView> Notices);

public sealed record OdrSettlementView(string Answer, string Proposal, DateTimeOffset ProposedAt, string? Decision, DateTimeOffset? DecidedAt, string? DecidedVia);

public sealed record OdrNoticeView(long Id, string? ComplaintId, string Kind, string Text, DateTimeOffset At, string Author);

/// <summary>The business's answer and settlement proposal.</summary>
public sealed record OdrAnswerBody(string? Answer, string? Proposal);

/// <summary>A handler's feedback to the business (处理意见, kind <c>feedback</c>) or a risk notice (风险提示, kind <c>risk</c>).</summary>
public sealed record OdrNoticeBody(string? BusinessId, string? ComplaintId, string? Kind, string? Text);

public sealed record OdrBusinessBody(string? Id, string? Name, string? Branches, bool? Active);

public sealed record OdrBusinessView(string Id, string Name, IReadOnlyList<string> Branches, bool Active, DateTimeOffset JoinedAt, IReadOnlyList<string> Accounts);

public sealed record OdrAccountBody(string? UserName, string? DisplayName, string? Password);

/// <summary>The consumer's decision on the portal: the tracking number and the phone it was filed with, as on the tracking page.</summary>
public sealed record OdrDecisionBody(string? TrackingNumber, string? Phone, bool? Accept);

/// <summary>The proposal waiting for the consumer's decision (on the tracking page).</summary>
public sealed record OdrPendingProposal(string TrackingNumber, string RespondentName, string Answer, string Proposal, DateTimeOffset ProposedAt);
