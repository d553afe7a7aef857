using ComplaintWorkflows.Activities;

namespace ComplaintWorkflows.WorkflowHost.Complaints;

/// <summary>Masks personal data for people whose role does not need it, and for logs.</summary>
public static class PersonalData
{
    /// <summary>
    /// The process variables of the complaint processes that hold a consumer's personal data (set at intake, or passed
    /// to notification activities), and those holding free text a consumer or officer typed (the complaint's text, its
    /// report part, notes), where consumers write their names, numbers and addresses: the engine's history says they
    /// were set but not to what. The complaint record keeps the text, behind its own access rules.
    /// </summary>
    public static readonly IReadOnlyList<string> ProcessVariables = ["consumerName", "consumerPhone", "consumerAddress", "consumerEmail", "phoneNumber", "email", "text", "reportText", "note"];

    /// <summary>张三丰 → 张**; a single character stays.</summary>
    public static string MaskName(string? name)
        => string.IsNullOrEmpty(name) ? "" : name.Length == 1 ? name : name[0] + new string('*', name.Length - 1);

    /// <summary>13812345678 → 138****5678; short numbers keep only their last two digits.</summary>
    public static string MaskPhone(string? phone)
        => string.IsNullOrEmpty(phone) ? "" : phone.Length >= 11 ? phone[..3] + "****" + phone[^4..] : new string('*', Math.Max(0, phone.Length - 2)) + phone[^Math.Min(2, phone.Length)..];

    /// <summary>Keeps the first six characters (province/city/district), masks the rest.</summary>
    public static string MaskAddress(string? address)
        => string.IsNullOrEmpty(address) ? "" : address.Length <= 6 ? address : address[..6] + "****";

    /// <summary>z***@example.com; text without an @ is masked whole.</summary>
    public static string MaskEmail(string? email)
    {
        if (string.IsNullOrEmpty(email))
        {
            return "";
        }

        var at = email.IndexOf('@', StringComparison.Ordinal);
        return at > 0 ? email[..1] + "***" + email[at..] : new string('*', email.Length);
    }

    /// <summary>330302199001011234 → 330302********1234 (the region stays, the birth date and sequence go).</summary>
    public static string MaskIdNumber(string? idNumber)
        => string.IsNullOrEmpty(idNumber) ? "" : idNumber.Length < 10 ? new string('*', idNumber.Length) : idNumber[..6] + new string('*', idNumber.Length - 10) + idNumber[^4..];

    /// <summary>
    /// Free text (a log message, an exception's text) with every mobile number, e-mail address and ID number in it masked
    /// as above; what has no shape to find (names, addresses) is left, so code must not log it.
    /// </summary>
    public static string MaskText(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? "";
        }

        var s = PersonalDataPatterns.Email().Replace(text, m => MaskEmail(m.Value));
        s = PersonalDataPatterns.IdNumber().Replace(s, m => MaskIdNumber(m.Value));
        return PersonalDataPatterns.Mobile().Replace(s, m => m.Groups["prefix"].Value + MaskPhone(m.Groups["number"].Value));
    }
}
