namespace CausalStream.Core.Windows;

/// <summary>
/// A sliding window over one stream: a <see cref="RingBuffer"/> holding the newest window of samples plus
/// the hop schedule that says when an analysis of the window is due. <see cref="Append"/> stops at the
/// sample that completes a hop, so a hop that falls in the middle of a chunk is seen at exactly that sample.
/// </summary>
/// <remarks>
/// <para><b>Windows in samples.</b> The first hop is due at the sample that first fills the window; after
/// that, every <see cref="WindowSpec.Hop"/> samples.</para>
/// <para><b>Windows in seconds.</b> The buffer holds round(length·rate) samples. Hops follow the source
/// clock rather than sample counts: a sample at time t is taken to cover [t, t + T) with T the nominal
/// period, and boundary k is b_k = t_first + length + k·hop (t_first = first sample's timestamp), the
/// exclusive end of the k-th window. A hop is due at the first sample whose end t + T reaches b_k to within
/// half a period, i.e. t ≥ b_k − 1.5·T. For a regular stream this puts the first hop on the sample that
/// first fills the window and later hops on the sample nearest each boundary, the same samples a window in
/// samples would pick. Because boundaries are computed from t_first (not by counting samples), hops stay
/// on the source-clock grid across gaps: after a gap the first sample past one or more boundaries emits a
/// single hop, the boundaries it jumped over are counted in <see cref="MissedHops"/>, and the next hop is
/// due at the next grid boundary. A boundary reached before the buffer is full (a gap inside the first
/// window) emits no hop and is counted as missed as well. The window always holds the newest samples, so
/// after a gap it spans more than its nominal length; <see cref="WindowStart"/> and <see cref="WindowEnd"/>
/// give the actual span.</para>
/// </remarks>
public sealed class SlidingWindow
{
    private readonly RingBuffer _ring;
    private readonly bool _timeBased;
    private readonly double _period;
    private readonly double _lengthSeconds;
    private readonly double _hopSeconds;
    private long _nextHopAt;          // windows in samples: value of TotalWritten at which the next hop is due
    private bool _hasFirst;           // windows in seconds: t_first is known
    private double _firstTimestamp;
    private long _nextBoundary;       // windows in seconds: k of the next boundary
    private double _nextDueTime;      // windows in seconds: b_k − 1.5·T

    /// <summary>Creates a window over a stream with <paramref name="channels"/> channels.</summary>
    /// <param name="spec">Length and hop.</param>
    /// <param name="channels">Values per sample.</param>
    /// <param name="nominalRate">The stream's nominal rate in Hz; required (positive) for windows in seconds, 0 allowed for windows in samples.</param>
    public SlidingWindow(WindowSpec spec, int channels, double nominalRate = 0)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Spec = spec;
        Length = spec.LengthInSamples(nominalRate);
        _timeBased = spec.Unit == WindowUnit.Seconds;
        if (_timeBased)
        {
            _period = 1.0 / nominalRate;
            _lengthSeconds = spec.Length;
            _hopSeconds = spec.Hop;
            HopSamples = spec.HopInSamples(nominalRate);
        }
        else
        {
            HopSamples = (int)spec.Hop;
        }

        _ring = new RingBuffer(Length, channels);
        Reset();
    }

    public WindowSpec Spec { get; }

    /// <summary>Window length in samples (the buffer capacity).</summary>
    public int Length { get; }

    /// <summary>Hop in samples (nominal for windows in seconds, whose hops follow timestamps).</summary>
    public int HopSamples { get; }

    public int Channels => _ring.Channels;

    /// <summary>Samples currently in the window (reaches <see cref="Length"/> once full).</summary>
    public int Count => _ring.Count;

    public bool IsFull => _ring.Count == _ring.Capacity;

    /// <summary>Samples appended since construction or <see cref="Reset"/>.</summary>
    public long TotalWritten => _ring.TotalWritten;

    /// <summary>Hops reported through <see cref="Append"/>.</summary>
    public long HopsEmitted { get; private set; }

    /// <summary>Windows in seconds: hop boundaries passed without a hop (inside a gap, or before the window was full).</summary>
    public long MissedHops { get; private set; }

    /// <summary>Timestamp of the oldest sample in the window, NaN when empty.</summary>
    public double WindowStart => _ring.Count == 0 ? double.NaN : _ring.TimestampFromNewest(_ring.Count - 1);

    /// <summary>Timestamp of the newest sample in the window, NaN when empty.</summary>
    public double WindowEnd => _ring.Count == 0 ? double.NaN : _ring.TimestampFromNewest(0);

    /// <summary>Windows in seconds: the next hop boundary b_k in source time (NaN before the first sample, and for windows in samples).</summary>
    public double NextHopBoundary => _timeBased && _hasFirst ? Boundary(_nextBoundary) : double.NaN;

    /// <summary>
    /// Appends samples up to and including the one that completes a hop, and returns how many were consumed.
    /// When <paramref name="hopDue"/> is true the window is full and the caller should analyse it now, then call
    /// again with the rest of the chunk. Allocation-free.
    /// </summary>
    /// <param name="values">Row-major values, <c>timestamps.Length × Channels</c> long.</param>
    /// <param name="timestamps">Source timestamps (seconds), one per sample.</param>
    /// <param name="hopDue">True when the last consumed sample completes a hop.</param>
    public int Append(ReadOnlySpan<double> values, ReadOnlySpan<double> timestamps, out bool hopDue)
    {
        int n = timestamps.Length;
        int channels = _ring.Channels;
        if (values.Length != n * channels)
        {
            ThrowLengthMismatch(n, channels, values.Length);
        }

        hopDue = false;
        if (n == 0)
        {
            return 0;
        }

        return _timeBased
            ? AppendTimeBased(values, timestamps, out hopDue)
            : AppendSampleBased(values, timestamps, out hopDue);
    }

    /// <summary>
    /// Copies the window, oldest sample first, into <paramref name="values"/> (row-major, at least
    /// <c>Count × Channels</c>) and <paramref name="timestamps"/> (at least <see cref="Count"/>); returns <see cref="Count"/>.
    /// </summary>
    public int CopyWindow(Span<double> values, Span<double> timestamps)
    {
        int n = _ring.Count;
        _ring.CopyLatest(n, values, timestamps);
        return n;
    }

    /// <summary>Values of the sample <paramref name="age"/> steps back from the newest (age 0 = newest).</summary>
    public ReadOnlySpan<double> SampleFromNewest(int age) => _ring.SampleFromNewest(age);

    /// <summary>Timestamp of the sample <paramref name="age"/> steps back from the newest (age 0 = newest).</summary>
    public double TimestampFromNewest(int age) => _ring.TimestampFromNewest(age);

    /// <summary>Empties the window and restarts the hop schedule (the next sample becomes t_first).</summary>
    public void Reset()
    {
        _ring.Clear();
        HopsEmitted = 0;
        MissedHops = 0;
        _nextHopAt = Length;
        _hasFirst = false;
        _firstTimestamp = double.NaN;
        _nextBoundary = 0;
        _nextDueTime = double.NaN;
    }

    private int AppendSampleBased(ReadOnlySpan<double> values, ReadOnlySpan<double> timestamps, out bool hopDue)
    {
        long remaining = _nextHopAt - _ring.TotalWritten;
        int take = (int)Math.Min(timestamps.Length, remaining);
        _ring.Append(values[..(take * _ring.Channels)], timestamps[..take]);
        hopDue = _ring.TotalWritten == _nextHopAt;
        if (hopDue)
        {
            _nextHopAt += HopSamples;
            HopsEmitted++;
        }

        return take;
    }

    private int AppendTimeBased(ReadOnlySpan<double> values, ReadOnlySpan<double> timestamps, out bool hopDue)
    {
        int n = timestamps.Length;
        int reached = -1;
        for (int i = 0; i < n; i++)
        {
            double t = timestamps[i];
            if (!_hasFirst)
            {
                if (!double.IsFinite(t))
                {
                    continue;
                }

                _hasFirst = true;
                _firstTimestamp = t;
                _nextBoundary = 0;
                _nextDueTime = DueTime(0);
            }

            if (t >= _nextDueTime)
            {
                reached = i;
                break;
            }
        }

        int take = reached < 0 ? n : reached + 1;
        _ring.Append(values[..(take * _ring.Channels)], timestamps[..take]);
        hopDue = false;
        if (reached < 0)
        {
            return take;
        }

        // Every boundary with b_k − 1.5·T ≤ t has been reached by this sample; move to the first one ahead.
        double reachedTime = timestamps[reached];
        long k = _nextBoundary + 1;
        if (DueTime(k) <= reachedTime)
        {
            k = Math.Max(k, (long)Math.Floor((reachedTime - DueTime(0)) / _hopSeconds));
            while (DueTime(k) <= reachedTime)
            {
                k++;
            }
        }

        long passed = k - _nextBoundary;
        _nextBoundary = k;
        _nextDueTime = DueTime(k);
        if (IsFull)
        {
            hopDue = true;
            HopsEmitted++;
            MissedHops += passed - 1;
        }
        else
        {
            MissedHops += passed;
        }

        return take;
    }

    private double Boundary(long k) => _firstTimestamp + _lengthSeconds + k * _hopSeconds;

    private double DueTime(long k) => Boundary(k) - 1.5 * _period;

    private static void ThrowLengthMismatch(int samples, int channels, int actual)
        => throw new ArgumentException(
            $"expected {samples} samples x {channels} channels = {samples * channels} values, got {actual}", "values");
}
