using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Odr;
using Microsoft.EntityFrameworkCore;

namespace ComplaintWorkflows.WorkflowHost.Odr;

/// <summary>Which business an enterprise portal account belongs to (<c>cw_odr_account</c>).</summary>
public static class OdrAccounts
{
    public static async Task<string?> BusinessOfAsync(IDbContextFactory<DomainDbContext> contexts, string userName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contexts);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<OdrAccount>().AsNoTracking().Where(a => a.UserName == userName).Select(a => a.BusinessId).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
    }
}
