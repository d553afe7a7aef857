namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>What the commit takes besides the instance: the host's step work and the journal entries.</summary>
internal sealed partial class Step
{
    /// <summary>
    /// The step's work of type <typeparamref name="T"/>, created at first use; null when the store cannot write it with
    /// the step (the in-memory store, or another database than the store's), and then the activity writes on its own.
    /// </summary>
    internal T? Work<T>(Func<T> create)
        where T : class, Persistence.IStepWork
    {
        foreach (var existing in Changes.Work)
        {
            if (existing is T mine)
            {
                return mine;
            }
        }

        var work = create();
        if (!engine.Store.CommitsStepWorkFor(work.Database))
        {
            work.Dispose();
            return null;
        }

        Changes.Work.Add(work);
        return work;
    }

    /// <summary>After the commit: tells the work's waiters.</summary>
    public void Committed()
    {
        foreach (var work in Changes.Work)
        {
            work.Committed();
        }
    }

    /// <summary>Lets go of the work's resources, committed or not.</summary>
    public void DisposeWork()
    {
        foreach (var work in Changes.Work)
        {
            work.Dispose();
        }

        Changes.Work.Clear();
    }

    internal void Journal(JournalKind kind, ExecutionNode node, string? detail = null)
    {
        if (!engine.Options.KeepJournal)
        {
            return;
        }

        Changes.Journal.Add(new JournalEntry(Instance.NextJournalSequence++, Now, kind, node.Id, node.ElementId, node.Element.TypeName, UserId, detail));
    }

    internal void VariableSet(ExecutionNode scope, string name, object? value)
    {
        if (engine.Options.KeepJournal)
        {
            var described = engine.Options.PersonalVariables.Contains(name) ? Variables.VariableValues.DescribeMasked(value) : Variables.VariableValues.Describe(value);
            Journal(JournalKind.VariableSet, scope, $"{name} = {described}");
        }
    }
}
