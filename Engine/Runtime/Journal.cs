namespace ComplaintWorkflows.Engine.Runtime;

public enum JournalKind
{
    ProcessStarted,
    ProcessCompleted,
    ProcessTerminated,
    ElementEntered,
    ElementCompleted,
    ElementCancelled,
    VariableSet,
    TaskAssigned,
    Incident,
    Migrated,
}

/// <summary>
/// One line of an instance's history, in order (<see cref="Sequence"/> counts up per instance): what
/// happened at which element, when, and, where a person acted, who.
/// </summary>
public sealed record JournalEntry(
    long Sequence,
    DateTimeOffset At,
    JournalKind Kind,
    int NodeId,
    string ElementId,
    string ElementType,
    string? UserId,
    string? Detail);
