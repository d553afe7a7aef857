using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ComplaintWorkflows.Engine.Runtime;

/// <summary>
/// Writes the JSON documents the engine stores (instance snapshots, journal batches) into a pooled buffer and
/// returns the text: no growing stream and no copy of it per commit. Non-ASCII text (Chinese names and
/// addresses) stays as UTF-8 instead of six-byte <c>\uXXXX</c> escapes; quotes, backslashes and control
/// characters are still escaped, and the documents go to the database, never into HTML.
/// </summary>
internal static class CompactJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        using var buffer = new PooledBuffer();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            write(writer, state);
        }

        return Encoding.UTF8.GetString(buffer.Written);
    }

    /// <summary>A growable byte buffer rented from the shared array pool.</summary>
    private sealed class PooledBuffer : IBufferWriter<byte>, IDisposable
    {
        private byte[] _array = ArrayPool<byte>.Shared.Rent(4096);
        private int _count;

        public ReadOnlySpan<byte> Written => _array.AsSpan(0, _count);

        public void Advance(int count) => _count += count;

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            Ensure(sizeHint);
            return _array.AsMemory(_count);
        }

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            Ensure(sizeHint);
            return _array.AsSpan(_count);
        }

        private void Ensure(int sizeHint)
        {
            var needed = _count + Math.Max(sizeHint, 1);
            if (needed <= _array.Length)
            {
                return;
            }

            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _array.Length * 2));
            _array.AsSpan(0, _count).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_array);
            _array = larger;
        }

        public void Dispose()
        {
            ArrayPool<byte>.Shared.Return(_array);
            _array = [];
        }
    }
}
