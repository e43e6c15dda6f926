namespace CausalStream.Core.Replay;

/// <summary>
/// Where a replay stands: recording seconds replayed out of the total, samples and markers delivered, wall time,
/// and from these the pace (× real time), sample rate and an estimate of the time left.
/// </summary>
public sealed record ReplayProgress(double RecordingSeconds, double TotalSeconds, long Samples, long Markers, double WallSeconds)
{
    /// <summary>Recording seconds per wall second.</summary>
    public double Pace => WallSeconds > 0 ? RecordingSeconds / WallSeconds : 0;

    public double SamplesPerSecond => WallSeconds > 0 ? Samples / WallSeconds : 0;

    /// <summary>Estimated wall seconds left, or NaN when it cannot be estimated.</summary>
    public double SecondsLeft => Pace > 0 && double.IsFinite(TotalSeconds) ? Math.Max(0, TotalSeconds - RecordingSeconds) / Pace : double.NaN;

    public double Fraction => TotalSeconds > 0 && double.IsFinite(TotalSeconds) ? Math.Clamp(RecordingSeconds / TotalSeconds, 0, 1) : double.NaN;

    /// <summary>A one-line summary, e.g. "replay: 12.0 s of 600.0 s (2.0%), 10.1× real time, 650 k samples/s, ETA 58 s".</summary>
    public string Describe()
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        string total = double.IsFinite(TotalSeconds) ? string.Format(c, " of {0:F1} s ({1:P1})", TotalSeconds, Fraction) : string.Empty;
        string eta = double.IsFinite(SecondsLeft) ? string.Format(c, ", ETA {0:F0} s", SecondsLeft) : string.Empty;
        return string.Format(c, "replay: {0:F1} s{1}, {2:F1}x real time, {3:F0} k samples/s, {4} markers{5}", RecordingSeconds, total, Pace, SamplesPerSecond / 1000, Markers, eta);
    }
}
