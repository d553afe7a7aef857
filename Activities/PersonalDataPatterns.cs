using System.Text.RegularExpressions;

namespace ComplaintWorkflows.Activities;

/// <summary>
/// The shapes of personal data in free text, one set for everything that looks for them: the publication anonymiser
/// (<see cref="CaseLibrary.Anonymizer"/>) and the log masker (the host's <c>PersonalData.MaskText</c>). A number inside a
/// longer run of letters and digits (an instance id, a hash, a millisecond timestamp) is not taken for one.
/// </summary>
public static partial class PersonalDataPatterns
{
    /// <summary>An e-mail address.</summary>
    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")]
    public static partial Regex Email();

    /// <summary>A resident ID number: 18 characters (birth date 18xx–20xx, last one a digit or X), or the old 15 digits.</summary>
    [GeneratedRegex(@"(?<![0-9A-Za-z])(?:[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]|[1-9]\d{7}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3})(?![0-9A-Za-z])")]
    public static partial Regex IdNumber();

    /// <summary>
    /// A mainland mobile number, with spaces or dashes between its digits and an optional +86 / 0086 / 86 prefix:
    /// group <c>prefix</c> is the prefix (with its separator), group <c>number</c> the eleven digits as written. Latin
    /// letters glued to it ("abc13812345678", "13812345678abc", "tel13812345678") do not hide it; a longer digit run (a
    /// tracking or order number) or a run of letters and digits with other digits in it (an id, a hash) is not one.
    /// </summary>
    [GeneratedRegex(@"(?<![0-9+])(?<!\d[A-Za-z]+)(?<prefix>(?:\+|00)?86[ \-]?)?(?<number>1[3-9]\d(?:[ \-]?\d){8})(?!\d)(?![A-Za-z]+\d)")]
    public static partial Regex Mobile();
}
