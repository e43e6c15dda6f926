using System.Text;
using CausalStream.Core.Streams;

namespace CausalStream.Kafka.Wire;

/// <summary>
/// The streams a consumer knows (from the metadata topic or configuration), looked up by the UTF-8 stream id of a
/// chunk message without allocating. Thread-safe; streams are few, so a linear scan of byte ids is fastest.
/// </summary>
public sealed class StreamRegistry
{
    private volatile Entry[] _entries = [];

    public StreamRegistry(IEnumerable<StreamInfo>? streams = null)
    {
        if (streams is not null)
        {
            foreach (var stream in streams)
            {
                Add(stream);
            }
        }
    }

    /// <summary>The streams in registration order.</summary>
    public IReadOnlyList<StreamInfo> Streams
    {
        get
        {
            var entries = _entries;
            var list = new StreamInfo[entries.Length];
            for (int i = 0; i < entries.Length; i++)
            {
                list[i] = entries[i].Stream;
            }

            return list;
        }
    }

    /// <summary>Adds or replaces the metadata of a stream (by name).</summary>
    public void Add(StreamInfo stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        lock (this)
        {
            var entries = _entries;
            byte[] id = Encoding.UTF8.GetBytes(stream.Name);
            for (int i = 0; i < entries.Length; i++)
            {
                if (entries[i].Stream.Name == stream.Name)
                {
                    var copy = (Entry[])entries.Clone();
                    copy[i] = new Entry(id, stream);
                    _entries = copy;
                    return;
                }
            }

            var grown = new Entry[entries.Length + 1];
            entries.CopyTo(grown, 0);
            grown[^1] = new Entry(id, stream);
            _entries = grown;
        }
    }

    public bool TryGet(ReadOnlySpan<byte> utf8Id, out StreamInfo stream)
    {
        var entries = _entries;
        for (int i = 0; i < entries.Length; i++)
        {
            if (utf8Id.SequenceEqual(entries[i].Id))
            {
                stream = entries[i].Stream;
                return true;
            }
        }

        stream = null!;
        return false;
    }

    public bool TryGet(string name, out StreamInfo stream)
    {
        var entries = _entries;
        for (int i = 0; i < entries.Length; i++)
        {
            if (entries[i].Stream.Name == name)
            {
                stream = entries[i].Stream;
                return true;
            }
        }

        stream = null!;
        return false;
    }

    private sealed record Entry(byte[] Id, StreamInfo Stream);
}
