using System.Diagnostics;

namespace CausalStream.Core.Streams;

/// <summary>The arrival clock: monotonic ticks used to measure latency from sample arrival to result emission.</summary>
public static class MonotonicClock
{
    public static long Frequency => Stopwatch.Frequency;

    public static long Now => Stopwatch.GetTimestamp();

    public static double ToSeconds(long ticks) => ticks / (double)Stopwatch.Frequency;

    public static double ToMicroseconds(long ticks) => ticks * 1e6 / Stopwatch.Frequency;

    public static long FromSeconds(double seconds) => (long)(seconds * Stopwatch.Frequency);
}
