using System.Buffers.Binary;
using ComplaintWorkflows.Activities.Attachments;

namespace ComplaintWorkflows.Activities.Speech;

/// <summary>The containers a browser's MediaRecorder (or our WAV encoder) produces.</summary>
public enum RecordingKind
{
    Wav,
    Ogg,
    WebM,
}

/// <summary>What a recording's bytes say it is: the container, its sample rate and channels, and its length where the container tells it.</summary>
public sealed record RecordingFormat(RecordingKind Kind, int SampleRate, int Channels, TimeSpan? Duration)
{
    public AttachmentType AttachmentType => RecordingFormats.TypeOf(Kind);
}

/// <summary>
/// Recognises a recording by its content (RIFF/WAVE with its fmt and data chunks; Ogg with an Opus or Vorbis head,
/// measured by the last page's granule position; WebM by its EBML header) and maps the declared Content-Type to a kind.
/// </summary>
public static class RecordingFormats
{
    private static readonly AttachmentType Wav = new("audio/wav", "WAV 录音", [".wav"]);
    private static readonly AttachmentType Ogg = new("audio/ogg", "OGG 录音", [".ogg", ".oga", ".opus"]);
    private static readonly AttachmentType WebM = new("audio/webm", "WebM 录音", [".webm"]);

    /// <summary>The media types an upload may declare, as the pages show them.</summary>
    public static IReadOnlyList<string> MediaTypes { get; } = [Wav.MediaType, Ogg.MediaType, WebM.MediaType];

    public static AttachmentType TypeOf(RecordingKind kind) => kind switch
    {
        RecordingKind.Wav => Wav,
        RecordingKind.Ogg => Ogg,
        _ => WebM,
    };

    /// <summary>The kind a Content-Type header names (parameters such as <c>;codecs=opus</c> ignored), or null for any other type.</summary>
    public static RecordingKind? KindOfContentType(string? contentType)
    {
        var media = (contentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        return media switch
        {
            "audio/wav" or "audio/wave" or "audio/x-wav" or "audio/vnd.wave" => RecordingKind.Wav,
            "audio/ogg" or "audio/opus" => RecordingKind.Ogg,
            "audio/webm" => RecordingKind.WebM,
            _ => null,
        };
    }

    /// <summary>The recording's format, or null when the content is none of the three containers (or a broken one).</summary>
    public static RecordingFormat? Inspect(ReadOnlySpan<byte> content)
        => content switch
        {
            [0x52, 0x49, 0x46, 0x46, _, _, _, _, 0x57, 0x41, 0x56, 0x45, ..] => InspectWav(content),
            [0x4F, 0x67, 0x67, 0x53, ..] => InspectOgg(content),
            [0x1A, 0x45, 0xDF, 0xA3, ..] => new RecordingFormat(RecordingKind.WebM, 0, 0, null),
            _ => null,
        };

    private static RecordingFormat? InspectWav(ReadOnlySpan<byte> content)
    {
        int sampleRate = 0, channels = 0, byteRate = 0;
        var position = 12;
        while (position + 8 <= content.Length)
        {
            var id = content.Slice(position, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(content.Slice(position + 4, 4));
            var body = position + 8;
            if (id.SequenceEqual("fmt "u8) && body + 16 <= content.Length)
            {
                channels = BinaryPrimitives.ReadUInt16LittleEndian(content.Slice(body + 2, 2));
                sampleRate = (int)BinaryPrimitives.ReadUInt32LittleEndian(content.Slice(body + 4, 4));
                byteRate = (int)BinaryPrimitives.ReadUInt32LittleEndian(content.Slice(body + 8, 4));
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (byteRate <= 0 || channels <= 0 || sampleRate <= 0)
                {
                    return null;
                }

                // A streamed WAV leaves the size 0 or all ones: the data then runs to the end.
                var available = content.Length - body;
                var length = size == 0 || size > available ? available : (long)size;
                return new RecordingFormat(RecordingKind.Wav, sampleRate, channels, TimeSpan.FromSeconds((double)length / byteRate));
            }

            position = body + (int)Math.Min(size + (size & 1), int.MaxValue - body);
        }

        return null;
    }

    private static RecordingFormat? InspectOgg(ReadOnlySpan<byte> content)
    {
        // The first page carries the codec's identification header right after the segment table.
        if (content.Length < 28)
        {
            return null;
        }

        var segments = content[26];
        var packet = 27 + segments;
        if (packet + 19 > content.Length)
        {
            return null;
        }

        var head = content[packet..];
        int sampleRate, channels, divisor, skip = 0;
        if (head.StartsWith("OpusHead"u8))
        {
            channels = head[9];
            skip = BinaryPrimitives.ReadUInt16LittleEndian(head.Slice(10, 2));
            sampleRate = (int)BinaryPrimitives.ReadUInt32LittleEndian(head.Slice(12, 4));
            divisor = 48000; // Opus granule positions count 48 kHz samples whatever the input rate.
        }
        else if (head.Length >= 16 && head[0] == 1 && head.Slice(1, 6).SequenceEqual("vorbis"u8))
        {
            channels = head[11];
            sampleRate = (int)BinaryPrimitives.ReadUInt32LittleEndian(head.Slice(12, 4));
            divisor = sampleRate;
        }
        else
        {
            return null;
        }

        var last = content.LastIndexOf("OggS"u8);
        long granule = last >= 0 && last + 14 <= content.Length ? BinaryPrimitives.ReadInt64LittleEndian(content.Slice(last + 6, 8)) : -1;
        TimeSpan? duration = granule > skip && divisor > 0 ? TimeSpan.FromSeconds((double)(granule - skip) / divisor) : null;
        return new RecordingFormat(RecordingKind.Ogg, sampleRate, channels, duration);
    }
}
