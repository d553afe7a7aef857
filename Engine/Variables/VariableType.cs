namespace ComplaintWorkflows.Engine.Variables;

/// <summary>
/// The types a process variable or an activity input/output can have. Values are held in their
/// normal .NET form: null, <see cref="bool"/>, <see cref="string"/>, <see cref="long"/> (every integer),
/// <see cref="double"/>, <see cref="DateTimeOffset"/>, <see cref="List{T}"/> of values and
/// <see cref="Dictionary{TKey,TValue}"/> of string to value (JSON-like).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "The names are the variable types of the Camunda REST API (String, Integer, Double...).")]
public enum VariableType
{
    Any,
    String,
    Boolean,
    Integer,
    Double,
    Date,
    List,
    Map,
}
