namespace CausalStream.Engine.Effects;

/// <summary>
/// The recent samples of one regular stream, kept in a fixed ring with absolute sample indices, so event windows
/// can be cut out after the fact. Appending allocates nothing; the oldest samples are overwritten when full.
/// </summary>
public sealed class SampleHistory
{
    private readonly double[] _values;
    private readonly double[] _times;
    private long _count;

    /// <summary>Creates a history of <paramref name="capacity"/> samples of <paramref name="channels"/> channels.</summary>
    public SampleHistory(int capacity, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        Capacity = capacity;
        Channels = channels;
        _values = new double[capacity * channels];
        _times = new double[capacity];
    }

    /// <summary>Samples the ring holds at most.</summary>
    public int Capacity { get; }

    /// <summary>Channels per sample.</summary>
    public int Channels { get; }

    /// <summary>Samples appended since creation; the newest has index Count − 1.</summary>
    public long Count => _count;

    /// <summary>Index of the oldest sample still held.</summary>
    public long Oldest => Math.Max(0, _count - Capacity);

    /// <summary>Timestamp of the newest sample (NaN when empty).</summary>
    public double NewestTime => _count == 0 ? double.NaN : _times[(int)((_count - 1) % Capacity)];

    /// <summary>Appends <paramref name="samples"/> row-major samples and their timestamps.</summary>
    public void Append(ReadOnlySpan<double> rowMajor, ReadOnlySpan<double> timestamps, int samples)
    {
        int c = Channels;
        for (int s = 0; s < samples; s++)
        {
            int slot = (int)(_count % Capacity);
            rowMajor.Slice(s * c, c).CopyTo(_values.AsSpan(slot * c, c));
            _times[slot] = timestamps[s];
            _count++;
        }
    }

    /// <summary>Timestamp of sample <paramref name="index"/>, which must be held.</summary>
    public double TimeAt(long index) => _times[(int)(index % Capacity)];

    /// <summary>
    /// Index of the newest held sample whose time is at most <paramref name="time"/> (with a tolerance of a
    /// millionth of the spacing), or −1 when every held sample is later or the history is empty.
    /// </summary>
    public long IndexAtOrBefore(double time)
    {
        long lo = Oldest, hi = _count - 1;
        if (hi < lo)
        {
            return -1;
        }

        double tolerance = hi > lo ? Math.Abs(TimeAt(hi) - TimeAt(hi - 1)) * 1e-6 : 1e-9;
        if (TimeAt(lo) > time + tolerance)
        {
            return -1;
        }

        while (lo < hi)
        {
            long mid = lo + ((hi - lo + 1) / 2);
            if (TimeAt(mid) <= time + tolerance)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return lo;
    }

    /// <summary>Copies samples first..first+count−1 (all channels, row-major) into <paramref name="destination"/>; false when not all are held.</summary>
    public bool CopyRows(long first, int count, Span<double> destination)
    {
        if (first < Oldest || first + count > _count)
        {
            return false;
        }

        int c = Channels;
        for (int i = 0; i < count; i++)
        {
            _values.AsSpan((int)((first + i) % Capacity) * c, c).CopyTo(destination.Slice(i * c, c));
        }

        return true;
    }

    /// <summary>Copies channel <paramref name="channel"/> of samples first..first+count−1 into <paramref name="destination"/>; false when not all are held.</summary>
    public bool CopyChannel(long first, int count, int channel, Span<double> destination)
    {
        if (first < Oldest || first + count > _count)
        {
            return false;
        }

        int c = Channels;
        for (int i = 0; i < count; i++)
        {
            destination[i] = _values[((int)((first + i) % Capacity) * c) + channel];
        }

        return true;
    }
}
