using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace ComplaintWorkflows.Engine.Activities;

/// <summary>
/// The activities an engine can run, by name, with their descriptors. Activity classes are created once
/// (through the service provider when one is given, so they can take services in their constructor).
/// </summary>
public sealed class ActivityRegistry : IActivityCatalog
{
    private readonly Dictionary<string, Registration> _byName = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public IEnumerable<ActivityDescriptor> Descriptors
    {
        get
        {
            lock (_gate)
            {
                return _byName.Values.Where(r => r.IsPrimaryName).Select(r => r.Descriptor).ToList();
            }
        }
    }

    /// <summary>Registers an activity class described by its <see cref="ActivityAttribute"/>; also reachable by its full class name.</summary>
    public ActivityRegistry Register<TActivity>()
        where TActivity : class, IActivity
        => Register(typeof(TActivity));

    public ActivityRegistry Register(Type activityType)
    {
        ArgumentNullException.ThrowIfNull(activityType);
        var descriptor = Describe(activityType);
        var registration = new Registration(descriptor, activityType, null, true);
        Add(descriptor.Name, registration);
        if (activityType.FullName is { } fullName && fullName != descriptor.Name)
        {
            Add(fullName, registration with { IsPrimaryName = false });
        }

        return this;
    }

    /// <summary>Registers a ready instance under a descriptor (handy for tests and simple activities).</summary>
    public ActivityRegistry Register(ActivityDescriptor descriptor, IActivity instance)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(instance);
        Add(descriptor.Name, new Registration(descriptor, instance.GetType(), instance, true));
        return this;
    }

    public bool TryGetDescriptor(string name, out ActivityDescriptor descriptor)
    {
        lock (_gate)
        {
            if (_byName.TryGetValue(name, out var registration))
            {
                descriptor = registration.Descriptor;
                return true;
            }
        }

        descriptor = null!;
        return false;
    }

    internal bool TryResolve(string name, IServiceProvider? services, out IActivity activity, out ActivityDescriptor descriptor)
    {
        Registration? registration;
        lock (_gate)
        {
            _byName.TryGetValue(name, out registration);
        }

        if (registration is null)
        {
            activity = null!;
            descriptor = null!;
            return false;
        }

        descriptor = registration.Descriptor;
        activity = registration.Instance ?? registration.Create(services);
        return true;
    }

    /// <summary>Reads the descriptor of an activity class from its attributes.</summary>
    public static ActivityDescriptor Describe(Type activityType)
    {
        ArgumentNullException.ThrowIfNull(activityType);
        var attribute = activityType.GetCustomAttribute<ActivityAttribute>()
            ?? throw new ArgumentException($"{activityType.FullName} has no [Activity] attribute naming it.", nameof(activityType));
        var inputs = activityType.GetCustomAttributes<ActivityInputAttribute>()
            .Select(i => new ActivityPort(i.Name, i.Type, i.DisplayName ?? i.Name, i.Description, i.Required, i.Default))
            .ToList();
        var outputs = activityType.GetCustomAttributes<ActivityOutputAttribute>()
            .Select(o => new ActivityPort(o.Name, o.Type, o.DisplayName ?? o.Name, o.Description))
            .ToList();
        return new ActivityDescriptor(attribute.Name, attribute.DisplayName ?? attribute.Name, attribute.Category, attribute.Description, inputs, outputs);
    }

    private void Add(string name, Registration registration)
    {
        lock (_gate)
        {
            if (_byName.TryGetValue(name, out var existing) && existing.Type != registration.Type)
            {
                throw new InvalidOperationException($"Activity name '{name}' is already registered by {existing.Type.FullName}.");
            }

            _byName[name] = registration;
        }
    }

    private sealed record Registration(ActivityDescriptor Descriptor, Type Type, IActivity? Instance, bool IsPrimaryName)
    {
        private IActivity? _created;

        public IActivity Create(IServiceProvider? services)
        {
            var created = Volatile.Read(ref _created);
            if (created is not null)
            {
                return created;
            }

            created = services is null
                ? (IActivity)Activator.CreateInstance(Type)!
                : (IActivity)ActivatorUtilities.CreateInstance(services, Type);
            return Interlocked.CompareExchange(ref _created, created, null) ?? created;
        }
    }
}
