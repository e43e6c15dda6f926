namespace CausalStream.Core.Windows;

/// <summary>
/// A fixed-capacity ring of multi-channel samples (row-major doubles) with a parallel ring of source
/// timestamps. Appending overwrites the oldest samples once full; nothing is allocated after construction,
/// so it can sit on the ingest path of every stream.
/// </summary>
public sealed class RingBuffer
{
    private readonly double[] _values;
    private readonly double[] _timestamps;
    private int _head; // slot the next sample is written to

    /// <summary>Creates a ring holding up to <paramref name="capacity"/> samples of <paramref name="channels"/> channels.</summary>
    public RingBuffer(int capacity, int channels)
    {
        if (capacity <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "ring buffer capacity must be at least one sample");
        }

        if (channels <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "ring buffer needs at least one channel");
        }

        if ((long)capacity * channels > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, $"ring buffer of {capacity} samples x {channels} channels is too large");
        }

        Capacity = capacity;
        Channels = channels;
        _values = new double[capacity * channels];
        _timestamps = new double[capacity];
    }

    /// <summary>Maximum number of samples held.</summary>
    public int Capacity { get; }

    /// <summary>Values per sample.</summary>
    public int Channels { get; }

    /// <summary>Samples currently held (at most <see cref="Capacity"/>).</summary>
    public int Count { get; private set; }

    /// <summary>Samples appended since construction or the last <see cref="Clear"/>, including overwritten ones.</summary>
    public long TotalWritten { get; private set; }

    /// <summary>
    /// Appends samples: <paramref name="rowMajorValues"/> holds <c>timestamps.Length × Channels</c> values,
    /// sample i, channel c at <c>i * Channels + c</c>. If more than <see cref="Capacity"/> samples are given,
    /// only the newest <see cref="Capacity"/> are kept.
    /// </summary>
    public void Append(ReadOnlySpan<double> rowMajorValues, ReadOnlySpan<double> timestamps)
    {
        int n = timestamps.Length;
        if (rowMajorValues.Length != n * Channels)
        {
            throw new ArgumentException(
                $"expected {n} samples x {Channels} channels = {n * Channels} values, got {rowMajorValues.Length}",
                nameof(rowMajorValues));
        }

        TotalWritten += n;
        if (n > Capacity)
        {
            int skip = n - Capacity;
            rowMajorValues = rowMajorValues[(skip * Channels)..];
            timestamps = timestamps[skip..];
            n = Capacity;
        }

        // First block: from the head to the end of the array; second block: wraps to the start.
        int first = Math.Min(n, Capacity - _head);
        rowMajorValues[..(first * Channels)].CopyTo(_values.AsSpan(_head * Channels));
        timestamps[..first].CopyTo(_timestamps.AsSpan(_head));
        int second = n - first;
        if (second > 0)
        {
            rowMajorValues[(first * Channels)..].CopyTo(_values);
            timestamps[first..].CopyTo(_timestamps);
        }

        _head += n;
        if (_head >= Capacity)
        {
            _head -= Capacity;
        }

        Count = Math.Min(Capacity, Count + n);
    }

    /// <summary>
    /// Copies the newest <paramref name="n"/> samples, oldest first, into <paramref name="values"/>
    /// (row-major, at least <c>n × Channels</c> long) and <paramref name="timestamps"/> (at least n long).
    /// </summary>
    public void CopyLatest(int n, Span<double> values, Span<double> timestamps)
    {
        if ((uint)n > (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, $"cannot copy {n} samples: the ring holds {Count}");
        }

        if (values.Length < n * Channels)
        {
            throw new ArgumentException($"values span holds {values.Length} doubles; {n} samples x {Channels} channels need {n * Channels}", nameof(values));
        }

        if (timestamps.Length < n)
        {
            throw new ArgumentException($"timestamps span holds {timestamps.Length}; {n} samples need {n}", nameof(timestamps));
        }

        int start = _head - n;
        if (start < 0)
        {
            start += Capacity;
        }

        int first = Math.Min(n, Capacity - start);
        _values.AsSpan(start * Channels, first * Channels).CopyTo(values);
        _timestamps.AsSpan(start, first).CopyTo(timestamps);
        int second = n - first;
        if (second > 0)
        {
            _values.AsSpan(0, second * Channels).CopyTo(values[(first * Channels)..]);
            _timestamps.AsSpan(0, second).CopyTo(timestamps[first..]);
        }
    }

    /// <summary>Values of the sample <paramref name="age"/> steps back from the newest (age 0 = newest).</summary>
    public ReadOnlySpan<double> SampleFromNewest(int age) => _values.AsSpan(SlotFromNewest(age) * Channels, Channels);

    /// <summary>Timestamp of the sample <paramref name="age"/> steps back from the newest (age 0 = newest).</summary>
    public double TimestampFromNewest(int age) => _timestamps[SlotFromNewest(age)];

    /// <summary>Forgets all samples and resets <see cref="TotalWritten"/>; keeps the storage.</summary>
    public void Clear()
    {
        _head = 0;
        Count = 0;
        TotalWritten = 0;
    }

    private int SlotFromNewest(int age)
    {
        if ((uint)age >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(age), age, $"sample age must be in [0, {Count})");
        }

        int slot = _head - 1 - age;
        return slot < 0 ? slot + Capacity : slot;
    }
}
