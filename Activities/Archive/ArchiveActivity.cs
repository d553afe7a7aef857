using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Engine.Activities;
using ComplaintWorkflows.Engine.Variables;

namespace ComplaintWorkflows.Activities.Archive;

/// <summary>Freezes the complaint and everything it went through into the hash-chained archive.</summary>
[Activity("complaint.archive", DisplayName = "归档 (Archive)", Category = "投诉处理 (Complaints)",
    Description = "将投诉的全部经过（档案、时间线、办结报告、案件、回访）写入不可篡改的哈希链归档。Writes the complaint and everything it went through into the hash-chained, tamper-evident archive.")]
[ActivityOutput("archiveHash", VariableType.String, DisplayName = "归档哈希 (Archive hash)")]
[ActivityOutput("archiveSequence", VariableType.Integer, DisplayName = "归档序号 (Archive sequence)")]
public sealed class ArchiveActivity(ArchiveService archive) : IActivity
{
    public async ValueTask ExecuteAsync(ActivityContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var entry = await archive.ArchiveAsync(ComplaintContext.ComplaintId(context), cancellationToken).ConfigureAwait(false);
        context.SetOutput("archiveHash", entry.Hash);
        context.SetOutput("archiveSequence", entry.Sequence);
    }
}
