namespace CausalStream.Core.Formats;

/// <summary>
/// How an <see cref="XdfReader"/> post-processes timestamps. The defaults follow pyxdf's <c>load_xdf</c> defaults:
/// clock offsets are applied (robust linear fit, segmented at clock resets), timestamps are not dejittered.
/// </summary>
public sealed record XdfReaderOptions
{
    /// <summary>Map every stream's timestamps onto the recorder's clock using its ClockOffset chunks.</summary>
    public bool SynchronizeClocks { get; init; } = true;

    /// <summary>Detect clock resets in the offsets and fit each segment between resets on its own.</summary>
    public bool HandleClockResets { get; init; } = true;

    /// <summary>Replace the timestamps of regular streams by a linear fit per gap-free segment.</summary>
    public bool Dejitter { get; init; }

    /// <summary>A jump in measurement time is a reset candidate when it exceeds the median by this many MADs...</summary>
    public double ResetThresholdStds { get; init; } = 5;

    /// <summary>...and by this many seconds.</summary>
    public double ResetThresholdSeconds { get; init; } = 5;

    /// <summary>A jump in offset value is a reset candidate when it exceeds the median by this many MADs...</summary>
    public double ResetThresholdOffsetStds { get; init; } = 10;

    /// <summary>...and by this many seconds.</summary>
    public double ResetThresholdOffsetSeconds { get; init; } = 1;

    /// <summary>Residual scale (seconds) of the robust fit: residuals beyond it count linearly, not squared.</summary>
    public double WinsorThreshold { get; init; } = 0.0001;

    /// <summary>Dejittering starts a new segment at a gap longer than this many seconds...</summary>
    public double JitterBreakSeconds { get; init; } = 1;

    /// <summary>...or longer than this many sample periods, whichever is larger.</summary>
    public double JitterBreakSamples { get; init; } = 500;
}
