using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace ComplaintWorkflows.Activities.Data;

/// <summary>
/// An EF Core compiled query, compiled again for each model it meets. A compiled query belongs to the one model it first
/// ran with; a domain context's model is built per personal-data protector, and EF's model cache may let a model go and
/// build it again (many hosts in one process, as in the tests), so the query follows the context's current model.
/// </summary>
internal sealed class ModelBoundQuery<TDelegate>(Func<TDelegate> compile)
    where TDelegate : class
{
    private Entry? _entry;

    /// <summary>The query compiled for <paramref name="db"/>'s model.</summary>
    public TDelegate For(DbContext db)
    {
        var entry = Volatile.Read(ref _entry);
        if (entry is null || !ReferenceEquals(entry.Model, db.Model))
        {
            entry = new Entry(db.Model, compile());
            Volatile.Write(ref _entry, entry);
        }

        return entry.Query;
    }

    private sealed record Entry(IModel Model, TDelegate Query);
}
