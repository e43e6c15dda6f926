using System.Diagnostics;

namespace CausalStream.Lsl.Time;

/// <summary>
/// The LSL clock (<c>lsl_local_clock</c>): monotonic seconds with an arbitrary epoch. On Linux it reads the same
/// clock as liblsl (CLOCK_MONOTONIC), so timestamps of local outlets need no correction.
/// </summary>
public static class LslClock
{
    /// <summary>Seconds on the local LSL clock.</summary>
    public static double Now
    {
        get
        {
            long ticks = Stopwatch.GetTimestamp();
            long frequency = Stopwatch.Frequency;
            long whole = ticks / frequency;
            long rest = ticks % frequency;
            return whole + (rest / (double)frequency);
        }
    }
}
