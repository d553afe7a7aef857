using System.Text;
using System.Text.RegularExpressions;

namespace ComplaintWorkflows.Activities.Messaging.Sms;

/// <summary>A survey reply read as an overall score (1-5, 5 most satisfied, as <c>cw_survey_answer</c> counts) and a comment.</summary>
public sealed record SurveyReplyReading(int Score, string? Comment);

/// <summary>
/// Reads a consumer's SMS reply to the survey invitation. The invitation and the reminder (templates
/// <c>survey.invitation</c> and <c>survey.reminder</c> of the notification service) ask for a digit on the survey's
/// own scale: "5非常满意 4满意 3一般 2不满意 1非常不满意". So:
/// <list type="table">
/// <item><term>a leading digit 1-5, or "N分" (also 五分, 打2分)</term><description>N</description></item>
/// <item><term>非常满意 / 很满意 / 十分满意</term><description>5</description></item>
/// <item><term>满意 / 比较满意</term><description>4</description></item>
/// <item><term>一般 / 基本满意 / 还行</term><description>3</description></item>
/// <item><term>不满意 / 不太满意</term><description>2</description></item>
/// <item><term>非常不满意 / 很不满意 / 很差</term><description>1</description></item>
/// </list>
/// Full-width digits and punctuation count as their ASCII forms (NFKC). What follows the score, separators trimmed,
/// is the comment ("2 态度不好" → 2, "态度不好"; "不满意，没退款" → 2, "没退款"). Anything else (6, 12315, an
/// unrelated text) is unreadable and is kept for staff.
/// </summary>
public static partial class SurveyReply
{
    private static readonly (string Word, int Score)[] Words =
    [
        // Longest and negative first: 不满意 contains 满意.
        ("非常不满意", 1), ("很不满意", 1), ("特别不满意", 1), ("极不满意", 1), ("十分不满意", 1), ("不太满意", 2), ("不满意", 2), ("不满", 2),
        ("非常满意", 5), ("十分满意", 5), ("特别满意", 5), ("很满意", 5), ("比较满意", 4), ("基本满意", 3), ("满意", 4),
        ("一般", 3), ("还行", 3), ("还可以", 3), ("很差", 1), ("太差", 1), ("差评", 1), ("好评", 5),
    ];

    private static readonly Dictionary<char, int> ChineseDigits = new() { ['一'] = 1, ['二'] = 2, ['两'] = 2, ['三'] = 3, ['四'] = 4, ['五'] = 5 };

    /// <summary>The reading of a reply, or null when it is not a survey answer.</summary>
    public static SurveyReplyReading? Read(string? text, int maxCommentLength = 2000)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        // A reply pushed as JSON may hold a lone surrogate ("\ud800") or a code point the normaliser refuses: a lone
        // surrogate is read as U+FFFD, and a text that still cannot be normalised is read as it is.
        var wellFormed = WellFormed(text);
        string normalized;
        try
        {
            normalized = wellFormed.Normalize(NormalizationForm.FormKC).Trim();
        }
        catch (ArgumentException)
        {
            normalized = wellFormed.Trim();
        }

        // "5分", "4 分", "五分", optionally preceded by "评" / "打".
        var points = PointsPattern().Match(normalized);
        if (points.Success)
        {
            var digit = points.Groups["n"].Value[0];
            var score = char.IsAsciiDigit(digit) ? digit - '0' : ChineseDigits[digit];
            return new SurveyReplyReading(score, Comment(normalized.Remove(points.Index, points.Length), maxCommentLength));
        }

        // A leading digit 1-5 on its own (not part of a longer number such as 12315).
        var choice = ChoicePattern().Match(normalized);
        if (choice.Success)
        {
            return new SurveyReplyReading(choice.Groups["c"].Value[0] - '0', Comment(normalized[choice.Length..], maxCommentLength));
        }

        foreach (var (word, score) in Words)
        {
            var at = normalized.IndexOf(word, StringComparison.Ordinal);
            // At the start, allowing a word before it ("我很满意"), but not "不是很满意".
            if (at is >= 0 and <= 1)
            {
                return new SurveyReplyReading(score, Comment(normalized[(at + word.Length)..], maxCommentLength));
            }
        }

        return null;
    }

    private static string WellFormed(string text)
    {
        if (!text.Any(char.IsSurrogate))
        {
            return text;
        }

        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(chars[i]))
            {
                chars[i] = '\uFFFD';
            }
        }

        return new string(chars);
    }

    private static string? Comment(string rest, int maxLength)
    {
        var trimmed = rest.Trim().Trim(Separators).Trim();
        if (trimmed.Length == 0)
        {
            return null;
        }

        return trimmed.Length <= maxLength ? trimmed : trimmed[..maxLength];
    }

    private static readonly char[] Separators = [',', '.', ';', ':', '!', '?', '，', '。', '；', '：', '！', '？', '、', ' ', '-', '~', '—', '…', '\n', '\r', '\t'];

    [GeneratedRegex(@"^(?:评|打|给)?\s*(?<n>[1-5一二两三四五])\s*分")]
    private static partial Regex PointsPattern();

    [GeneratedRegex(@"^(?<c>[1-5])(?![0-9])")]
    private static partial Regex ChoicePattern();

    /// <summary>For logs and lists: a reply's text cut to a length.</summary>
    public static string Preview(string text, int length) => text.Length <= length ? text : string.Concat(text.AsSpan(0, length), "…");
}
