using CausalStream.Core.Streams;

namespace CausalStream.Core.Formats;

/// <summary>
/// The decoded samples of one XDF Samples chunk: timestamps (seconds, after the reader's clock correction) and
/// either numeric values (row-major, samples × channels, as doubles) or strings. The reader reuses one block per
/// stream, so its contents are valid only until the next block is read; copy what you keep.
/// </summary>
public sealed class XdfSampleBlock
{
    private double[] _timestamps = new double[16];
    private double[] _values = new double[16];
    private string[] _strings = new string[16];

    internal XdfSampleBlock(XdfStream stream)
    {
        Stream = stream;
    }

    public XdfStream Stream { get; }

    /// <summary>Samples in the block.</summary>
    public int Count { get; private set; }

    /// <summary>Byte offset of the Samples chunk the block came from.</summary>
    public long ByteOffset { get; internal set; }

    /// <summary>Whether the stream carries strings (then use <see cref="Text"/>) rather than numbers.</summary>
    public bool IsText => Stream.Info.Format == ChannelFormat.String;

    public ReadOnlySpan<double> Timestamps => _timestamps.AsSpan(0, Count);

    /// <summary>Numeric values, row-major (sample i, channel c at i·C + c); empty for string streams.</summary>
    public ReadOnlySpan<double> Values => IsText ? [] : _values.AsSpan(0, Count * Stream.Info.ChannelCount);

    /// <summary>The string value of sample <paramref name="sample"/>, channel <paramref name="channel"/>.</summary>
    public string Text(int sample, int channel = 0)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)sample, (uint)Count, nameof(sample));
        return _strings[(sample * Stream.Info.ChannelCount) + channel];
    }

    internal Span<double> TimestampBuffer => _timestamps;

    internal Span<double> ValueBuffer => _values;

    internal string[] StringBuffer => _strings;

    internal void Reset(int capacity)
    {
        int channels = Stream.Info.ChannelCount;
        if (_timestamps.Length < capacity)
        {
            _timestamps = new double[Math.Max(capacity, _timestamps.Length * 2)];
        }

        if (IsText)
        {
            if (_strings.Length < capacity * channels)
            {
                _strings = new string[Math.Max(capacity * channels, _strings.Length * 2)];
            }
        }
        else if (_values.Length < capacity * channels)
        {
            _values = new double[Math.Max(capacity * channels, _values.Length * 2)];
        }

        Count = 0;
    }

    internal void SetCount(int count) => Count = count;

    /// <summary>Keeps only samples [start, start + count), moving them to the front.</summary>
    internal void Keep(int start, int count)
    {
        int channels = Stream.Info.ChannelCount;
        if (start > 0 && count > 0)
        {
            Array.Copy(_timestamps, start, _timestamps, 0, count);
            if (IsText)
            {
                Array.Copy(_strings, start * channels, _strings, 0, count * channels);
            }
            else
            {
                Array.Copy(_values, start * channels, _values, 0, count * channels);
            }
        }

        Count = count;
    }
}
