using System.Collections;
using System.Globalization;
using System.Reflection;
using ComplaintWorkflows.Engine.Expressions;
using ComplaintWorkflows.Engine.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.WorkflowHost.Tests.Docs;

/// <summary>
/// One setting as configuration spells it, with its type, its default as a default-constructed options object has it,
/// and the property it binds (<c>Class.Property</c>).
/// </summary>
public sealed record Setting(string Key, string Type, string Default, string Source);

/// <summary>
/// Every setting the host reads from configuration, found by reflection: the options classes the host binds (every
/// <see cref="IConfigureOptions{TOptions}"/> of a ComplaintWorkflows type that <c>AddComplaintWorkflows</c> registers),
/// each at its section, with the public settable properties of each, nested option objects followed down. A collection
/// or dictionary property is one setting whose key ends in <c>:&lt;n&gt;</c> (an index) or <c>:&lt;name&gt;</c> (a key).
/// </summary>
public static class SettingsCatalogue
{
    /// <summary>Sections of the options classes that have no <c>Section</c> constant of their own.</summary>
    private static readonly Dictionary<Type, string> SectionsWithoutConstant = new()
    {
        [typeof(ExpressionOptions)] = "Workflows:Expressions",
        [typeof(WorkflowEngineOptions)] = "Workflows:Engine",
    };

    /// <summary>The options types the host configures from configuration, with their sections.</summary>
    public static IReadOnlyList<(Type Type, string Section)> BoundSections()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.AddComplaintWorkflows();
        var types = builder.Services
            .Select(d => d.ServiceType)
            .Where(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IConfigureOptions<>))
            .Select(t => t.GetGenericArguments()[0])
            .Where(t => t.Namespace?.StartsWith("ComplaintWorkflows.", StringComparison.Ordinal) == true)
            .Distinct();
        return [.. types.Select(t => (t, SectionOf(t))).OrderBy(s => s.Item2, StringComparer.Ordinal)];
    }

    /// <summary>The section an options type is bound at: its <c>Section</c> constant, else the one named above.</summary>
    public static string SectionOf(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (type.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field)
        {
            return (string)field.GetRawConstantValue()!;
        }

        return SectionsWithoutConstant.TryGetValue(type, out var section)
            ? section
            : throw new InvalidOperationException($"The host binds {type.FullName}, which has no Section constant: add its section to {nameof(SectionsWithoutConstant)}.");
    }

    /// <summary>Every setting of the bound sections, section by section, properties in declaration order.</summary>
    public static IReadOnlyList<Setting> All()
    {
        var settings = new List<Setting>();
        foreach (var (type, section) in BoundSections())
        {
            Collect(section, type, Activator.CreateInstance(type), settings);
        }

        return settings;
    }

    private static void Collect(string path, Type type, object? value, List<Setting> settings)
    {
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.SetMethod?.IsPublic == true && p.GetIndexParameters().Length == 0)
            .OrderBy(p => p.MetadataToken);
        foreach (var property in properties)
        {
            var key = path + ":" + property.Name;
            var propertyValue = value is null ? null : property.GetValue(value);
            Describe(key, $"{type.Name}.{property.Name}", property.PropertyType, propertyValue, settings);
        }
    }

    private static void Describe(string key, string source, Type type, object? value, List<Setting> settings)
    {
        if (IsLeaf(type))
        {
            settings.Add(new Setting(key, TypeName(type), Format(value), source));
        }
        else if (DictionaryValueType(type) is { } valueType)
        {
            DescribeElements(key + ":<name>", source, valueType, value is IDictionary d ? [.. d.Keys.Cast<object>().Select(k => (object?)$"{k}: {FormatPlain(d[k])}")] : [], settings);
        }
        else if (ElementType(type) is { } elementType)
        {
            DescribeElements(key + ":<n>", source, elementType, value is IEnumerable e ? [.. e.Cast<object?>()] : [], settings);
        }
        else
        {
            Collect(key, type, value, settings);
        }
    }

    /// <summary>A collection's elements: one setting for leaf elements (the default lists them), else the element's settings.</summary>
    private static void DescribeElements(string key, string source, Type elementType, List<object?> defaults, List<Setting> settings)
    {
        if (IsLeaf(elementType))
        {
            settings.Add(new Setting(key, TypeName(elementType), defaults.Count == 0 ? None : $"`{string.Join(", ", defaults.Select(FormatPlain))}`", source));
        }
        else if (ElementType(elementType) is { } inner && IsLeaf(inner))
        {
            settings.Add(new Setting(key + ":<n>", TypeName(inner), defaults.Count == 0 ? None : $"`{string.Join("; ", defaults.Select(FormatPlain))}`", source));
        }
        else
        {
            Collect(key, elementType, null, settings);
        }
    }

    /// <summary>
    /// Binds every setting without a placeholder in its key from configuration set to a value other than its default, as
    /// the host binds it (its registered <see cref="IConfigureOptions{TOptions}"/>), and answers each key with the value
    /// it then has, formatted as the probe was; a key the binder ignores keeps its default.
    /// </summary>
    public static IReadOnlyList<(string Key, string Probe, string Bound)> Probe()
    {
        var probes = new Dictionary<string, string?>(StringComparer.Ordinal);
        var leaves = new List<(string Key, Type Type, object Root, string Section)>();
        var sections = BoundSections();
        foreach (var (type, section) in sections)
        {
            var root = Activator.CreateInstance(type)!;
            foreach (var (key, property, value) in Leaves(section, type, root))
            {
                probes[key] = ProbeValue(property.PropertyType, value);
                leaves.Add((key, type, root, section));
            }
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(probes);
        builder.AddComplaintWorkflows();
        using var services = builder.Services.BuildServiceProvider();
        var bound = new Dictionary<Type, object>();
        foreach (var (type, _) in sections)
        {
            var instance = Activator.CreateInstance(type)!;
            foreach (var configure in services.GetServices(typeof(IConfigureOptions<>).MakeGenericType(type)))
            {
                typeof(IConfigureOptions<>).MakeGenericType(type).GetMethod("Configure")!.Invoke(configure, [instance]);
            }

            bound[type] = instance;
        }

        return [.. leaves.Select(l => (l.Key, probes[l.Key]!, FormatPlain(Read(bound[l.Type], l.Key[(l.Section.Length + 1)..]))))];
    }

    private static IEnumerable<(string Key, PropertyInfo Property, object? Value)> Leaves(string path, Type type, object? value)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.SetMethod?.IsPublic == true && p.GetIndexParameters().Length == 0))
        {
            var propertyValue = value is null ? null : property.GetValue(value);
            if (IsLeaf(property.PropertyType))
            {
                yield return (path + ":" + property.Name, property, propertyValue);
            }
            else if (DictionaryValueType(property.PropertyType) is null && ElementType(property.PropertyType) is null)
            {
                foreach (var leaf in Leaves(path + ":" + property.Name, property.PropertyType, propertyValue))
                {
                    yield return leaf;
                }
            }
        }
    }

    private static object? Read(object root, string path)
    {
        object? value = root;
        foreach (var name in path.Split(':'))
        {
            value = value?.GetType().GetProperty(name)!.GetValue(value);
        }

        return value;
    }

    private static string ProbeValue(Type type, object? value)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t switch
        {
            _ when t.IsEnum => Enum.GetNames(t).First(n => n != value?.ToString()),
            _ when t == typeof(bool) => value is true ? "false" : "true",
            _ when t == typeof(int) => FormatPlain((value is int i ? i : 0) + 1),
            _ when t == typeof(long) => FormatPlain((value is long l ? l : 0) + 1),
            _ when t == typeof(double) => FormatPlain((value is double d ? d : 0) + 0.25),
            _ when t == typeof(float) => FormatPlain((value is float f ? f : 0) + 0.25f),
            _ when t == typeof(TimeSpan) => FormatPlain((value is TimeSpan s ? s : TimeSpan.Zero) + TimeSpan.FromSeconds(7)),
            _ when t == typeof(Uri) => "https://probe.example/",
            _ when t == typeof(TimeZoneInfo) => "UTC",
            _ => "probe-value",
        };
    }

    private const string None = "(none)";

    private static bool IsLeaf(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(TimeSpan) || t == typeof(DateTimeOffset)
            || t == typeof(DateTime) || t == typeof(Uri) || t == typeof(TimeZoneInfo) || t == typeof(Guid);
    }

    private static Type? DictionaryValueType(Type type)
        => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>) && type.GetGenericArguments()[0] == typeof(string)
            ? type.GetGenericArguments()[1]
            : null;

    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        return type.IsGenericType && type.GetGenericTypeDefinition() is var definition && (definition == typeof(List<>) || definition == typeof(HashSet<>))
            ? type.GetGenericArguments()[0]
            : null;
    }

    private static string TypeName(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t.IsEnum)
        {
            return string.Join(" / ", Enum.GetNames(t));
        }

        return t switch
        {
            _ when t == typeof(string) => "string",
            _ when t == typeof(bool) => "bool",
            _ when t == typeof(int) || t == typeof(long) => "integer",
            _ when t == typeof(double) || t == typeof(float) || t == typeof(decimal) => "number",
            _ when t == typeof(TimeSpan) => "TimeSpan",
            _ when t == typeof(Uri) => "URL",
            _ when t == typeof(TimeZoneInfo) => "time zone id",
            _ => t.Name,
        };
    }

    private static string Format(object? value) => value is null || (value is string s && s.Length == 0) ? None : $"`{FormatPlain(value)}`";

    private static string FormatPlain(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
        TimeZoneInfo zone => zone.Id,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable e and not string => string.Join(", ", e.Cast<object?>().Select(FormatPlain)),
        _ => value.ToString() ?? "",
    };
}
