namespace CausalStream.Core.Windows;

/// <summary>
/// Result of checking a timestamp with a <see cref="GapDetector"/>: what was found, where, and how large the
/// jump was. A small value type, so reporting an anomaly allocates nothing.
/// </summary>
/// <param name="Kind">What was found.</param>
/// <param name="Index">Position of the sample within the checked span (0 for a single-sample check, -1 when nothing was found).</param>
/// <param name="Timestamp">The checked sample's timestamp (seconds).</param>
/// <param name="Previous">The previous sample's timestamp (NaN for a stream's first sample).</param>
/// <param name="ExpectedPeriod">Nominal sample period (seconds), 0 for irregular streams.</param>
public readonly record struct TimestampCheck(TimestampCheckKind Kind, int Index, double Timestamp, double Previous, double ExpectedPeriod)
{
    /// <summary>A result meaning "nothing found".</summary>
    public static TimestampCheck None => new(TimestampCheckKind.Ok, -1, double.NaN, double.NaN, 0);

    /// <summary>Jump from the previous timestamp in seconds (negative when backwards, NaN without a previous one).</summary>
    public double Jump => Timestamp - Previous;

    /// <summary>True for anything other than <see cref="TimestampCheckKind.Ok"/>.</summary>
    public bool IsAnomaly => Kind != TimestampCheckKind.Ok;
}
