using System.Text;
using JiebaNet.Segmenter;

namespace ComplaintWorkflows.Activities.Classification;

/// <summary>
/// The words of a complaint for the text model: jieba.NET's segmentation (its dictionary ships with the
/// package and is copied beside the binaries under <c>jieba/</c>; it is read from disk, never downloaded)
/// plus every domain term (brand, product, legal) the text contains, as one word each.
/// </summary>
/// <remarks>
/// The domain terms are not added to jieba's dictionary: that dictionary is one per process (jieba keeps it in
/// a static singleton), while the terms belong to a model (the ones it was trained with), and two models, or two
/// databases in one test process, may have different terms. A term found in the text is emitted as an extra word,
/// which gives the model the same evidence a dictionary entry would.
/// </remarks>
public sealed class ComplaintTokenizer
{
    /// <summary>The folder, under the application's base directory, of jieba's dictionary files.</summary>
    public const string DictionaryFolder = "jieba";

    // jieba.NET reads its dictionary once per process into a singleton of its own; the segmenter over it is
    // read-only after that (Cut does not change the dictionary), so one instance serves every thread and model.
    private static readonly Lazy<JiebaSegmenter> Segmenter = new(CreateSegmenter, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string[] _terms;
    private readonly string[] _foldedTerms;

    public ComplaintTokenizer(IEnumerable<string>? domainTerms = null)
    {
        _terms = [.. (domainTerms ?? []).Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        _foldedTerms = [.. _terms.Select(t => t.ToUpperInvariant())];
    }

    /// <summary>The domain terms, sorted (saved with a model so that it sees the words it was trained with).</summary>
    public IReadOnlyList<string> DomainTerms => _terms;

    /// <summary>The words of a text separated by single spaces: jieba's words with a letter or digit, then the domain terms found.</summary>
    public string Words(string text) => Words(text, Segment(text));

    /// <summary>
    /// <see cref="Words(string)"/> from the text's jieba segmentation done before (<see cref="Segment"/>, the same for every
    /// tokenizer): a caller predicting several models on one text segments it once.
    /// </summary>
    public string Words(string text, string segmented)
    {
        ArgumentNullException.ThrowIfNull(segmented);
        if (string.IsNullOrEmpty(text) || _foldedTerms.Length == 0)
        {
            return segmented;
        }

        var builder = new StringBuilder(segmented, segmented.Length + 32);
        var folded = text.ToUpperInvariant();
        for (var i = 0; i < _foldedTerms.Length; i++)
        {
            if (folded.Contains(_foldedTerms[i], StringComparison.Ordinal))
            {
                Append(builder, _terms[i]);
            }
        }

        return builder.ToString();
    }

    /// <summary>jieba's words of a text that have a letter or digit, separated by single spaces (no domain terms).</summary>
    public static string Segment(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var builder = new StringBuilder(text.Length * 2);
        foreach (var word in Segmenter.Value.Cut(text, cutAll: false, hmm: true))
        {
            if (word.Any(char.IsLetterOrDigit))
            {
                Append(builder, word);
            }
        }

        return builder.ToString();
    }

    /// <summary>Loads jieba's dictionary now (about a second), so that the first complaint does not wait for it.</summary>
    public static void WarmUp() => _ = Segmenter.Value.Cut("预热", cutAll: false, hmm: true).Count();

    private static void Append(StringBuilder builder, string word)
    {
        if (builder.Length > 0)
        {
            builder.Append(' ');
        }

        // A word is one token: spaces inside it (an English brand name) are joined.
        foreach (var c in word)
        {
            builder.Append(char.IsWhiteSpace(c) ? '_' : c);
        }
    }

    private static JiebaSegmenter CreateSegmenter()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, DictionaryFolder);
        if (!File.Exists(Path.Combine(folder, "dict.txt")))
        {
            throw new FileNotFoundException($"分词词典缺失 (jieba dictionary missing): {Path.Combine(folder, "dict.txt")}; it is copied there by the build from the jieba.NET package.");
        }

        ConfigManager.ConfigFileBaseDir = folder;
        return new JiebaSegmenter();
    }
}
