namespace CausalStream.Core.Formats;

/// <summary>
/// A whole CSV recording in memory: channel names, per-row timestamps (seconds) and values (rows × channels,
/// row-major). Empty fields and NaN are kept as NaN so analyses can leave their rows out.
/// </summary>
public sealed record CsvSamples(string File, IReadOnlyList<string> Channels, double[] Timestamps, double[] Values)
{
    public int Rows => Timestamps.Length;

    /// <summary>Problems met while reading, each naming the file, line and column.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    /// <summary>Rows left out whole (wrong field count, unreadable or non-increasing time).</summary>
    public int SkippedRows { get; init; }

    public int ChannelCount => Channels.Count;

    /// <summary>Rate estimated from the median timestamp step, or 0 when it cannot be (fewer than two rows).</summary>
    public double EstimatedRate()
    {
        if (Timestamps.Length < 2)
        {
            return 0;
        }

        var steps = new double[Timestamps.Length - 1];
        for (int i = 1; i < Timestamps.Length; i++)
        {
            steps[i - 1] = Timestamps[i] - Timestamps[i - 1];
        }

        Array.Sort(steps);
        double median = steps[steps.Length / 2];
        return median > 0 ? 1.0 / median : 0;
    }
}
