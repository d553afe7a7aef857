using System.Reflection;
using ComplaintWorkflows.Engine.Activities;

namespace ComplaintWorkflows.Activities;

/// <summary>The activities of this project, found by their <see cref="ActivityAttribute"/>.</summary>
public static class WorkflowActivities
{
    public static IEnumerable<Type> Types => typeof(WorkflowActivities).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IActivity).IsAssignableFrom(t) && t.GetCustomAttribute<ActivityAttribute>() is not null)
        .OrderBy(t => t.FullName, StringComparer.Ordinal);

    /// <summary>A registry with every activity of this project registered.</summary>
    public static ActivityRegistry CreateRegistry()
    {
        var registry = new ActivityRegistry();
        foreach (var type in Types)
        {
            registry.Register(type);
        }

        return registry;
    }
}
