using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ComplaintWorkflows.Activities.Data;
using ComplaintWorkflows.Activities.Designer;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.WorkflowHost.Complaints;

/// <summary>
/// The user-task forms (form-js schemas, <c>Forms/*.form</c> beside the processes), by the key a task's
/// <c>camunda:formKey</c> names (<c>camunda-forms:deployment:closure-record.form</c> → <c>closure-record</c>).
/// Completing a task checks the submitted values against its form on the server: required fields, select
/// options, number ranges and lengths, each error naming the field. Forms published from the process designer
/// (table <c>cw_process_form</c>, read on every use so every host sees a new one at once) win over a shipped
/// file of the same key.
/// </summary>
public sealed class FormCatalog
{
    private readonly Dictionary<string, JsonObject> _forms = new(StringComparer.Ordinal);
    private readonly IDbContextFactory<DomainDbContext>? _contexts;

    public FormCatalog(IOptions<WorkflowsOptions> options, IDbContextFactory<DomainDbContext>? contexts = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _contexts = contexts;
        var folder = Path.GetFullPath(options.Value.FormsFolder, AppContext.BaseDirectory);
        if (!Directory.Exists(folder))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*.form"))
        {
            var schema = JsonNode.Parse(File.ReadAllText(file))?.AsObject()
                ?? throw new InvalidOperationException($"Form file {file} is empty.");
            _forms[Path.GetFileNameWithoutExtension(file)] = schema;
        }
    }

    public IReadOnlyCollection<string> Keys => _forms.Keys;

    /// <summary>The form key a task's <c>formKey</c> points at, or null when it names none of ours.</summary>
    public static string? KeyOf(string? formKey)
    {
        if (string.IsNullOrEmpty(formKey))
        {
            return null;
        }

        var name = formKey[(formKey.LastIndexOf(':') + 1)..];
        return name.EndsWith(".form", StringComparison.Ordinal) ? name[..^5] : name;
    }

    /// <summary>A shipped form file's schema (not those published from the designer: see <see cref="FindAsync"/>).</summary>
    public JsonObject? Find(string? formKey) => KeyOf(formKey) is { } key && _forms.TryGetValue(key, out var schema) ? schema : null;

    /// <summary>The form a task's <c>formKey</c> names: published from the designer, else the shipped file; null when neither.</summary>
    public async Task<JsonObject?> FindAsync(string? formKey, CancellationToken cancellationToken = default)
    {
        if (KeyOf(formKey) is not { } key)
        {
            return null;
        }

        if (_contexts is not null)
        {
            await using var db = await _contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            var published = await db.Set<ProcessForm>().AsNoTracking().Where(f => f.FormKey == key).Select(f => f.SchemaJson).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            if (published is not null && JsonNode.Parse(published) is JsonObject schema)
            {
                return schema;
            }
        }

        return _forms.TryGetValue(key, out var file) ? file : null;
    }

    /// <summary>Every form: the shipped files and those published from the designer.</summary>
    public async Task<IReadOnlyList<FormSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        var all = _forms.ToDictionary(f => f.Key, f => new FormSummary(f.Key, (string?)f.Value["id"], "file", null, null), StringComparer.Ordinal);
        if (_contexts is not null)
        {
            await using var db = await _contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            foreach (var row in await db.Set<ProcessForm>().AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false))
            {
                all[row.FormKey] = new FormSummary(row.FormKey, row.ProcessKey, "designer", row.UpdatedAt, row.UpdatedBy);
            }
        }

        return [.. all.Values.OrderBy(f => f.Key, StringComparer.Ordinal)];
    }

    /// <summary>Checks submitted values against the task's form (published or shipped); errors by field (empty when valid).</summary>
    public async Task<Dictionary<string, string[]>> ValidateAsync(string? formKey, IReadOnlyDictionary<string, object?> values, CancellationToken cancellationToken = default)
        => Validate(await FindAsync(formKey, cancellationToken).ConfigureAwait(false), values);

    /// <summary>Checks submitted values against the form; returns errors by field (empty when valid).</summary>
    public Dictionary<string, string[]> Validate(string? formKey, IReadOnlyDictionary<string, object?> values) => Validate(Find(formKey), values);

    private static Dictionary<string, string[]> Validate(JsonObject? schema, IReadOnlyDictionary<string, object?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (schema?["components"] is not JsonArray components)
        {
            return errors;
        }

        foreach (var component in components.OfType<JsonObject>())
        {
            var key = (string?)component["key"];
            if (key is null)
            {
                continue;
            }

            var label = (string?)component["label"] ?? key;
            var type = (string?)component["type"];
            var validate = component["validate"] as JsonObject;
            values.TryGetValue(key, out var value);
            var text = value switch
            {
                null => null,
                JsonElement { ValueKind: JsonValueKind.Null } => null,
                JsonElement e when e.ValueKind == JsonValueKind.String => e.GetString(),
                JsonElement e => e.GetRawText(),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString(),
            };
            if (string.IsNullOrWhiteSpace(text))
            {
                if (validate?["required"]?.GetValue<bool>() == true)
                {
                    errors[key] = [$"请填写“{label}” ({key} is required)."];
                }

                continue;
            }

            if (type == "select" && component["values"] is JsonArray options && options.OfType<JsonObject>().All(o => (string?)o["value"] != text))
            {
                var allowed = string.Join(", ", options.OfType<JsonObject>().Select(o => (string?)o["value"]));
                errors[key] = [$"“{label}”的取值无效 ({key} must be one of: {allowed})."];
            }
            else if (type == "number")
            {
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                {
                    errors[key] = [$"“{label}”应为数字 ({key} must be a number)."];
                }
                else if ((validate?["min"] is { } min && number < min.GetValue<double>()) || (validate?["max"] is { } max && number > max.GetValue<double>()))
                {
                    errors[key] = [$"“{label}”应在 {validate?["min"]} 到 {validate?["max"]} 之间 ({key} is out of range)."];
                }
            }
            else if (validate?["maxLength"] is { } maxLength && text.Length > maxLength.GetValue<int>())
            {
                errors[key] = [$"“{label}”不能超过 {maxLength} 个字 ({key} is longer than {maxLength} characters)."];
            }
        }

        return errors;
    }
}

/// <summary>A form in the catalogue: its key, where it comes from (<c>file</c> or <c>designer</c>) and, when published, by whom.</summary>
public sealed record FormSummary(string Key, string? Owner, string Source, DateTimeOffset? UpdatedAt, string? UpdatedBy);
