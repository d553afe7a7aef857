using System.Reflection;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace ComplaintWorkflows.Activities.Classification;

/// <summary>
/// The fast scoring path of one trained linear pipeline (maximum entropy, SDCA maximum entropy, or one-versus-all
/// averaged perceptron with its Platt calibrators): the text's character n-grams and word n-grams are looked up in the
/// vocabulary the pipeline fixed at training (read from its slot names), weighted by count and L2-normalised per block
/// as ML.NET's text featuriser does, and scored from the exported weights and biases, without ML.NET's row machinery.
/// Immutable, so thread-safe without a lock. <see cref="TryCreate"/> gives null for a pipeline it cannot reproduce
/// (LightGBM): that one keeps ML.NET's prediction engine.
/// </summary>
internal sealed class LinearTextScorer
{
    private const char StartMarker = '\u0002';
    private const char EndMarker = '\u0003';

    // What ML.NET's text normaliser (lower case, no punctuation, no diacritics, numbers kept) makes of each char
    // ('\uffff' here: removed), and the name its character tokenizer gives each char in n-gram slot names. Both are
    // read once per process from ML.NET itself and never change.
    private static readonly Lazy<(char[] Normalized, string[] Names)> CharTables = new(BuildCharTables, LazyThreadSafetyMode.ExecutionAndPublication);

    private const char Removed = '\uffff';

    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _charSlots;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _wordSlots;
    private readonly int _charCount;
    private readonly int _charNgram;
    private readonly int _wordNgram;
    private readonly int _classes;
    private readonly float[] _weights; // feature-major: _weights[feature * _classes + class]
    private readonly float[] _biases;
    private readonly PlattCalibrator[]? _calibrators; // one-versus-all: each class's calibrator; null: softmax

    private LinearTextScorer(Dictionary<string, int> charSlots, Dictionary<string, int> wordSlots, int charCount, int charNgram, int wordNgram, int classes, float[] weights, float[] biases, PlattCalibrator[]? calibrators)
    {
        _charSlots = charSlots.GetAlternateLookup<ReadOnlySpan<char>>();
        _wordSlots = wordSlots.GetAlternateLookup<ReadOnlySpan<char>>();
        _charCount = charCount;
        _charNgram = charNgram;
        _wordNgram = wordNgram;
        _classes = classes;
        _weights = weights;
        _biases = biases;
        _calibrators = calibrators;
    }

    /// <summary>The fast path of a trained pipeline (featurisers CharFeatures and WordFeatures, then a linear trainer), or null.</summary>
    public static LinearTextScorer? TryCreate(MLContext ml, ITransformer model, int characterNgramLength, int wordNgramLength)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(model);
        if (model is not IEnumerable<ITransformer> chain || chain.LastOrDefault() is not ISingleFeaturePredictionTransformer<object> last)
        {
            return null;
        }

        var schema = model.GetOutputSchema(ml.Data.LoadFromEnumerable(Array.Empty<TextClassificationModel.TextRow>()).Schema);
        var charNames = SlotNames(schema, "CharFeatures");
        var wordNames = SlotNames(schema, "WordFeatures");
        if (charNames is null || wordNames is null)
        {
            return null;
        }

        var features = charNames.Length + wordNames.Length;
        float[] weights;
        float[] biases;
        PlattCalibrator[]? calibrators = null;
        int classes;
        switch (last.Model)
        {
            case LinearMulticlassModelParametersBase multiclass:
            {
                VBuffer<float>[] rows = [];
                multiclass.GetWeights(ref rows, out classes);
                biases = [.. multiclass.GetBiases()];
                weights = new float[features * classes];
                for (var c = 0; c < classes; c++)
                {
                    if (rows[c].Length != features)
                    {
                        return null;
                    }

                    foreach (var (index, value) in rows[c].Items())
                    {
                        weights[index * classes + c] = value;
                    }
                }

                break;
            }

            case OneVersusAllModelParameters ova:
            {
                // The binary sub-models are not public on this type in ML.NET 6: read through the property it has.
                if (typeof(OneVersusAllModelParameters).GetProperty("SubModelParameters", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)?.GetValue(ova) is not System.Collections.IEnumerable listed)
                {
                    return null;
                }

                var subs = listed.Cast<object>().ToArray();
                classes = subs.Length;
                weights = new float[features * classes];
                biases = new float[classes];
                calibrators = new PlattCalibrator[classes];
                for (var c = 0; c < classes; c++)
                {
                    // A calibrated binary model: its linear sub-model and its Platt calibrator (the generic types differ once loaded).
                    var sub = subs[c];
                    var type = sub.GetType();
                    if (Property(type, "SubModel")?.GetValue(sub) is not LinearBinaryModelParameters linear
                        || Property(type, "Calibrator")?.GetValue(sub) is not PlattCalibrator platt
                        || linear.Weights.Count != features)
                    {
                        return null;
                    }

                    for (var f = 0; f < features; f++)
                    {
                        weights[f * classes + c] = linear.Weights[f];
                    }

                    biases[c] = linear.Bias;
                    calibrators[c] = platt;
                }

                break;
            }

            default:
                return null;
        }

        return new LinearTextScorer(Index(charNames), Index(wordNames), charNames.Length, characterNgramLength, wordNgramLength, classes, weights, biases, calibrators);
    }

    /// <summary>The pipeline's Score column for a text and its words (<see cref="ComplaintTokenizer.Words(string, string)"/>).</summary>
    public float[] Score(string text, string words)
    {
        var (normalized, names) = CharTables.Value;
        var slots = new List<int>(text.Length * _charNgram + 8);
        var charSlots = slots.Count;

        // Character n-grams of the normalised text between the start and end markers.
        var sequence = new List<char>(text.Length + 2);
        foreach (var c in text)
        {
            if (normalized[c] != Removed)
            {
                sequence.Add(normalized[c]);
            }
        }

        var buffer = new StringBuilder(64);
        if (sequence.Count > 0)
        {
            sequence.Insert(0, StartMarker);
            sequence.Add(EndMarker);
            for (var i = 0; i < sequence.Count; i++)
            {
                buffer.Clear();
                for (var n = 0; n < _charNgram && i + n < sequence.Count; n++)
                {
                    if (n > 0)
                    {
                        buffer.Append('|');
                    }

                    buffer.Append(names[sequence[i + n]]);
                    if (Lookup(_charSlots, buffer) is { } slot)
                    {
                        slots.Add(slot);
                    }
                }
            }
        }

        charSlots = slots.Count;

        // Word n-grams of the normalised words, split on spaces.
        var normalizedWords = new StringBuilder(words.Length);
        foreach (var c in words)
        {
            if (normalized[c] != Removed)
            {
                normalizedWords.Append(normalized[c]);
            }
        }

        var tokens = normalizedWords.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < tokens.Length; i++)
        {
            buffer.Clear();
            for (var n = 0; n < _wordNgram && i + n < tokens.Length; n++)
            {
                if (n > 0)
                {
                    buffer.Append('|');
                }

                buffer.Append(tokens[i + n]);
                if (Lookup(_wordSlots, buffer) is { } slot)
                {
                    slots.Add(_charCount + slot);
                }
            }
        }

        // Term counts, L2-normalised within the character block and within the word block.
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(slots);
        var charPart = span[..charSlots];
        var wordPart = span[charSlots..];
        charPart.Sort();
        wordPart.Sort();
        var scores = new double[_classes];
        for (var c = 0; c < _classes; c++)
        {
            scores[c] = _biases[c];
        }

        Accumulate(charPart, scores);
        Accumulate(wordPart, scores);
        var result = new float[_classes];
        if (_calibrators is { } platt)
        {
            var sum = 0.0;
            for (var c = 0; c < _classes; c++)
            {
                var p = Math.Max(platt[c].PredictProbability((float)scores[c]), 0f);
                result[c] = p;
                sum += p;
            }

            for (var c = 0; c < _classes && sum > 0; c++)
            {
                result[c] = (float)(result[c] / sum);
            }

            return result;
        }

        var max = scores.Max();
        var total = 0.0;
        for (var c = 0; c < _classes; c++)
        {
            scores[c] = Math.Exp(scores[c] - max);
            total += scores[c];
        }

        for (var c = 0; c < _classes; c++)
        {
            result[c] = (float)(scores[c] / total);
        }

        return result;
    }

    private void Accumulate(ReadOnlySpan<int> sortedSlots, double[] scores)
    {
        var squares = 0.0;
        for (var i = 0; i < sortedSlots.Length;)
        {
            var j = i;
            while (j < sortedSlots.Length && sortedSlots[j] == sortedSlots[i])
            {
                j++;
            }

            squares += (double)(j - i) * (j - i);
            i = j;
        }

        if (squares <= 0)
        {
            return;
        }

        var norm = Math.Sqrt(squares);
        for (var i = 0; i < sortedSlots.Length;)
        {
            var j = i;
            while (j < sortedSlots.Length && sortedSlots[j] == sortedSlots[i])
            {
                j++;
            }

            var value = (j - i) / norm;
            var row = sortedSlots[i] * _classes;
            for (var c = 0; c < _classes; c++)
            {
                scores[c] += value * _weights[row + c];
            }

            i = j;
        }
    }

    private static int? Lookup(Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> slots, StringBuilder name)
    {
        Span<char> chars = name.Length <= 256 ? stackalloc char[name.Length] : new char[name.Length];
        name.CopyTo(0, chars, name.Length);
        return slots.TryGetValue(chars, out var slot) ? slot : null;
    }

    /// <summary>A public property by name, the most derived one when a derived type hides its base's.</summary>
    private static PropertyInfo? Property(Type type, string name)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private static Dictionary<string, int> Index(string[] names)
    {
        var index = new Dictionary<string, int>(names.Length, StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++)
        {
            index.TryAdd(names[i], i);
        }

        return index;
    }

    private static string[]? SlotNames(DataViewSchema schema, string column)
    {
        if (schema.GetColumnOrNull(column) is not { } found || !found.HasSlotNames())
        {
            return null;
        }

        var names = default(VBuffer<ReadOnlyMemory<char>>);
        found.GetSlotNames(ref names);
        return [.. names.DenseValues().Select(n => n.ToString())];
    }

    /// <summary>Runs every char through ML.NET's own text normaliser and character tokenizer once, to read what they make of it.</summary>
    private static (char[] Normalized, string[] Names) BuildCharTables()
    {
        const char separator = '\u0001';
        var ml = new MLContext(0);
        var all = new StringBuilder(65536 * 2);
        for (var c = 0; c <= char.MaxValue; c++)
        {
            if (c != separator)
            {
                all.Append((char)c).Append(separator);
            }
        }

        var data = ml.Data.LoadFromEnumerable(new[] { new CharRow { Text = all.ToString() } });
        var pipeline = ml.Transforms.Text.NormalizeText("Normalized", nameof(CharRow.Text), Microsoft.ML.Transforms.Text.TextNormalizingEstimator.CaseMode.Lower, keepDiacritics: false, keepPunctuations: false, keepNumbers: true)
            .Append(ml.Transforms.Text.TokenizeIntoCharactersAsKeys("Chars", "Normalized", useMarkerCharacters: true));
        var transformed = pipeline.Fit(data).Transform(data);
        var output = ml.Data.CreateEnumerable<NormalizedRow>(transformed, reuseRowObject: false).Single().Normalized;
        var normalized = new char[char.MaxValue + 1];
        var position = 0;
        for (var c = 0; c <= char.MaxValue; c++)
        {
            if (c == separator)
            {
                normalized[c] = separator;
                continue;
            }

            if (output[position] == separator)
            {
                normalized[c] = Removed;
                position++;
            }
            else
            {
                normalized[c] = output[position];
                position += 2;
            }
        }

        var keyValues = default(VBuffer<ReadOnlyMemory<char>>);
        transformed.Schema["Chars"].GetKeyValues(ref keyValues);
        var values = keyValues.DenseValues().Select(v => v.ToString()).ToArray();
        // Key k (1-based) is the char k; char 0 has no key.
        var names = new string[char.MaxValue + 1];
        names[0] = "";
        for (var c = 1; c <= char.MaxValue; c++)
        {
            names[c] = c - 1 < values.Length ? values[c - 1] : ((char)c).ToString();
        }

        return (normalized, names);
    }

    private sealed class CharRow
    {
        public string Text { get; set; } = "";
    }

    private sealed class NormalizedRow
    {
        public string Normalized { get; set; } = "";
    }
}
