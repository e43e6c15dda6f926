namespace CausalStream.Core.Tests.Windows;

/// <summary>Reference data and measurement helpers shared by the window tests.</summary>
internal static class TestSignals
{
    /// <summary>Value of sample <paramref name="index"/>, channel <paramref name="channel"/>: unique and easy to read in failures.</summary>
    public static double Value(long index, int channel) => (index * 1000) + channel;

    /// <summary>Row-major values for samples [start, start + count).</summary>
    public static double[] Values(long start, int count, int channels)
    {
        var values = new double[count * channels];
        for (int i = 0; i < count; i++)
        {
            for (int c = 0; c < channels; c++)
            {
                values[(i * channels) + c] = Value(start + i, c);
            }
        }

        return values;
    }

    /// <summary>Bytes allocated on this thread while running <paramref name="action"/> (after one warm-up run).</summary>
    public static long AllocatedBytes(Action action)
    {
        action();
        long before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
