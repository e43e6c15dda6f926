namespace CausalStream.Core.Replay;

/// <summary>
/// How a recording is replayed: pace (1 = real time, 10 = ten times faster, <see cref="double.PositiveInfinity"/> =
/// as fast as the pipeline accepts, lossless) and the span, in seconds from the start of the recording.
/// </summary>
public sealed record ReplayOptions
{
    public double Speed { get; init; } = 1;

    public double From { get; init; }

    public double To { get; init; } = double.PositiveInfinity;

    public bool IsMaxSpeed => double.IsPositiveInfinity(Speed);
}
