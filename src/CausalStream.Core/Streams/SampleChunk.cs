using System.Buffers;

namespace CausalStream.Core.Streams;

/// <summary>
/// A block of n samples × C channels in one pooled, row-major buffer, with n source timestamps (seconds)
/// and the monotonic arrival time of the block. Chunks are pooled: whoever holds a reference calls
/// <see cref="Dispose"/> once when done; a holder that passes the chunk to several consumers takes an
/// extra reference per consumer with <see cref="AddReference"/>. The last release returns the buffers.
/// </summary>
public sealed class SampleChunk : IDisposable
{
    private const int MaxPooledChunks = 4096;
    private const int MaxRetainedDoubles = 1 << 16;
    private static readonly Stack<SampleChunk> Pool = new();

    private double[] _values = [];
    private double[] _timestamps = [];
    private int _references;

    private SampleChunk()
    {
        Stream = null!;
    }

    /// <summary>The stream this chunk claims to belong to.</summary>
    public StreamInfo Stream { get; private set; }

    public int SampleCount { get; private set; }

    /// <summary>Channels per sample as received; may differ from <see cref="StreamInfo.ChannelCount"/> for malformed input.</summary>
    public int ChannelCount { get; private set; }

    /// <summary>Monotonic ticks when the chunk arrived (see <see cref="MonotonicClock"/>).</summary>
    public long ArrivalTicks { get; set; }

    /// <summary>Row-major values: sample i, channel c is at <c>i * ChannelCount + c</c>.</summary>
    public Span<double> Values => _values.AsSpan(0, SampleCount * ChannelCount);

    /// <summary>Source timestamps in seconds, one per sample.</summary>
    public Span<double> Timestamps => _timestamps.AsSpan(0, SampleCount);

    /// <summary>Whether the chunk is currently rented (not yet returned to the pool).</summary>
    public bool IsLive => Volatile.Read(ref _references) > 0;

    /// <summary>Rents a chunk for <paramref name="sampleCount"/> samples of the stream's channel count.</summary>
    public static SampleChunk Rent(StreamInfo stream, int sampleCount, long arrivalTicks = 0)
        => Rent(stream, sampleCount, stream.ChannelCount, arrivalTicks);

    /// <summary>Rents a chunk with an explicit channel count (as a parser received it).</summary>
    public static SampleChunk Rent(StreamInfo stream, int sampleCount, int channelCount, long arrivalTicks = 0)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegative(sampleCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channelCount);
        SampleChunk? chunk = null;
        lock (Pool)
        {
            if (Pool.Count > 0)
            {
                chunk = Pool.Pop();
            }
        }

        chunk ??= new SampleChunk();
        chunk.Stream = stream;
        chunk.SampleCount = sampleCount;
        chunk.ChannelCount = channelCount;
        chunk.ArrivalTicks = arrivalTicks;
        chunk.EnsureCapacity(sampleCount * channelCount, sampleCount);
        chunk._references = 1;
        return chunk;
    }

    /// <summary>Values of sample <paramref name="index"/> across channels.</summary>
    public Span<double> Sample(int index) => _values.AsSpan(index * ChannelCount, ChannelCount);

    /// <summary>Takes one more reference; each reference is released by one <see cref="Dispose"/>.</summary>
    public SampleChunk AddReference()
    {
        if (Interlocked.Increment(ref _references) <= 1)
        {
            throw new ObjectDisposedException(nameof(SampleChunk), "a released chunk cannot be referenced again");
        }

        return this;
    }

    /// <summary>Releases one reference; the last one returns the chunk and its buffers to the pool.</summary>
    public void Dispose()
    {
        int left = Interlocked.Decrement(ref _references);
        if (left > 0)
        {
            return;
        }

        if (left < 0)
        {
            throw new ObjectDisposedException(nameof(SampleChunk), $"chunk of stream '{Stream?.Name}' released more often than referenced");
        }

        if (_values.Length > MaxRetainedDoubles)
        {
            ArrayPool<double>.Shared.Return(_values);
            ArrayPool<double>.Shared.Return(_timestamps);
            _values = [];
            _timestamps = [];
        }

        lock (Pool)
        {
            if (Pool.Count < MaxPooledChunks)
            {
                Pool.Push(this);
            }
        }
    }

    private void EnsureCapacity(int values, int timestamps)
    {
        if (_values.Length < values)
        {
            if (_values.Length > 0)
            {
                ArrayPool<double>.Shared.Return(_values);
            }

            _values = ArrayPool<double>.Shared.Rent(Math.Max(values, 16));
        }

        if (_timestamps.Length < timestamps)
        {
            if (_timestamps.Length > 0)
            {
                ArrayPool<double>.Shared.Return(_timestamps);
            }

            _timestamps = ArrayPool<double>.Shared.Rent(Math.Max(timestamps, 16));
        }
    }
}
