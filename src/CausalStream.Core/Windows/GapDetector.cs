using CausalStream.Core.Streams;

namespace CausalStream.Core.Windows;

/// <summary>
/// Watches one stream's timestamps for lost samples and clock trouble: a gap is a jump of more than 1.5
/// nominal periods from the previous sample, backwards is a timestamp earlier than the previous one
/// (equal timestamps are accepted). Irregular streams (rate 0) are only checked for backwards jumps.
/// Anomalies are returned as values and counted, never thrown; checking allocates nothing.
/// </summary>
/// <remarks>
/// After any finite timestamp, including a backwards one, that timestamp becomes the reference for the next
/// sample, so a clock reset is reported once and the stream then continues from the new clock. NaN or
/// infinite timestamps are reported as <see cref="TimestampCheckKind.NotFinite"/> and do not move the reference.
/// </remarks>
public sealed class GapDetector
{
    private readonly double _gapThreshold;
    private double _previous = double.NaN;

    /// <summary>Creates a detector for a stream with the given nominal rate (Hz; 0 = irregular).</summary>
    public GapDetector(double nominalRate)
    {
        if (!double.IsFinite(nominalRate) || nominalRate < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(nominalRate), nominalRate, "nominal rate must be finite and >= 0 (0 = irregular)");
        }

        ExpectedPeriod = nominalRate > 0 ? 1.0 / nominalRate : 0;
        _gapThreshold = nominalRate > 0 ? 1.5 * ExpectedPeriod : double.PositiveInfinity;
    }

    /// <summary>Creates a detector for <paramref name="stream"/>.</summary>
    public GapDetector(StreamInfo stream)
        : this((stream ?? throw new ArgumentNullException(nameof(stream))).NominalRate)
    {
    }

    /// <summary>Nominal sample period in seconds, 0 for irregular streams.</summary>
    public double ExpectedPeriod { get; }

    /// <summary>Gaps seen so far.</summary>
    public long GapCount { get; private set; }

    /// <summary>Backwards timestamps seen so far.</summary>
    public long BackwardsCount { get; private set; }

    /// <summary>NaN or infinite timestamps seen so far.</summary>
    public long NotFiniteCount { get; private set; }

    /// <summary>Timestamps checked so far.</summary>
    public long SamplesChecked { get; private set; }

    /// <summary>The reference timestamp the next sample is compared with (NaN before the first finite one).</summary>
    public double LastTimestamp => _previous;

    /// <summary>Checks one timestamp; the result's <see cref="TimestampCheck.Index"/> is 0.</summary>
    public TimestampCheck CheckSample(double timestamp)
    {
        double previous = _previous;
        TimestampCheckKind kind = Classify(timestamp);
        return new TimestampCheck(kind, 0, timestamp, previous, ExpectedPeriod);
    }

    /// <summary>
    /// Checks a chunk's timestamps in order and returns how many anomalies it holds; <paramref name="first"/>
    /// describes the first one (or is <see cref="TimestampCheck.None"/> when the chunk is clean).
    /// </summary>
    public int Check(ReadOnlySpan<double> timestamps, out TimestampCheck first)
    {
        first = TimestampCheck.None;
        int anomalies = 0;
        for (int i = 0; i < timestamps.Length; i++)
        {
            double previous = _previous;
            TimestampCheckKind kind = Classify(timestamps[i]);
            if (kind != TimestampCheckKind.Ok)
            {
                if (anomalies == 0)
                {
                    first = new TimestampCheck(kind, i, timestamps[i], previous, ExpectedPeriod);
                }

                anomalies++;
            }
        }

        return anomalies;
    }

    /// <summary>Forgets the reference timestamp and zeroes the counters.</summary>
    public void Reset()
    {
        _previous = double.NaN;
        GapCount = 0;
        BackwardsCount = 0;
        NotFiniteCount = 0;
        SamplesChecked = 0;
    }

    private TimestampCheckKind Classify(double t)
    {
        SamplesChecked++;
        if (!double.IsFinite(t))
        {
            NotFiniteCount++;
            return TimestampCheckKind.NotFinite;
        }

        double previous = _previous;
        _previous = t;
        if (double.IsNaN(previous))
        {
            return TimestampCheckKind.Ok;
        }

        double jump = t - previous;
        if (jump < 0)
        {
            BackwardsCount++;
            return TimestampCheckKind.Backwards;
        }

        if (jump > _gapThreshold)
        {
            GapCount++;
            return TimestampCheckKind.Gap;
        }

        return TimestampCheckKind.Ok;
    }
}
