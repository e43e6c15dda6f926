using CausalStream.Core.Windows;

namespace CausalStream.Core.Tests.Windows;

public class SlidingWindowTests
{
    private const int Channels = 2;

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(32)]
    public void SampleWindowHopsAtExactSamplesWhateverTheChunkSize(int chunkSize)
    {
        const int length = 50;
        const int hop = 10;
        const int total = 503;
        var window = new SlidingWindow(WindowSpec.InSamples(length, hop), Channels);
        (double[] values, double[] times) = Regular(total, 100, jitter: 0);

        List<Hop> hops = Run(window, values, times, chunkSize);

        var expected = new List<int>();
        for (int i = length - 1; i < total; i += hop)
        {
            expected.Add(i);
        }

        Assert.Equal(expected, hops.Select(h => h.Index));
        Assert.Equal(expected.Count, window.HopsEmitted);
        foreach (Hop h in hops)
        {
            AssertWindowIs(h, values, times, h.Index - length + 1, length);
        }
    }

    [Fact]
    public void WindowContentsSurviveManyWrapsOfTheBuffer()
    {
        var window = new SlidingWindow(WindowSpec.InSamples(13, 13), Channels);
        (double[] values, double[] times) = Regular(13 * 40 + 5, 250, jitter: 0);
        List<Hop> hops = Run(window, values, times, chunkSize: 9);
        Assert.Equal(40, hops.Count);
        foreach (Hop h in hops)
        {
            AssertWindowIs(h, values, times, h.Index - 12, 13);
        }

        Assert.Equal(times[^13], window.WindowStart);
        Assert.Equal(times[^1], window.WindowEnd);
        Assert.Equal(times.Length, window.TotalWritten);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(32)]
    public void SecondsWindowOnARegularStreamHopsOnTheSameSamplesAsASampleWindow(int chunkSize)
    {
        // 100 Hz, 0.5 s window (50 samples), 0.1 s hop (10 samples); timestamps jittered by up to ±0.3 periods.
        (double[] values, double[] times) = Regular(400, 100, jitter: 0.3);
        var bySeconds = new SlidingWindow(WindowSpec.InSeconds(0.5, 0.1), Channels, 100);
        var bySamples = new SlidingWindow(WindowSpec.InSamples(50, 10), Channels);

        List<Hop> secondHops = Run(bySeconds, values, times, chunkSize);
        List<Hop> sampleHops = Run(bySamples, values, times, chunkSize);

        Assert.Equal(50, bySeconds.Length);
        Assert.Equal(sampleHops.Select(h => h.Index), secondHops.Select(h => h.Index));
        Assert.Equal(49, secondHops[0].Index);
        Assert.Equal(0, bySeconds.MissedHops);
        foreach (Hop h in secondHops)
        {
            AssertWindowIs(h, values, times, h.Index - 49, 50);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(32)]
    public void SecondsWindowHopsStayOnTheSourceClockAcrossAGap(int chunkSize)
    {
        // 100 Hz from t0 = 12.345 s, samples 130..156 lost. Boundaries b_k = t0 + 0.5 + 0.1 k; hop at t >= b_k - 1.5 T.
        const double t0 = 12.345;
        const int total = 260;
        var kept = new List<int>();
        for (int i = 0; i < total; i++)
        {
            if (i < 130 || i > 156)
            {
                kept.Add(i);
            }
        }

        double[] times = kept.Select(i => t0 + (i * 0.01)).ToArray();
        double[] values = kept.SelectMany(i => new[] { TestSignals.Value(i, 0), TestSignals.Value(i, 1) }).ToArray();
        var window = new SlidingWindow(WindowSpec.InSeconds(0.5, 0.1), Channels, 100);

        List<Hop> hops = Run(window, values, times, chunkSize);
        int[] hopSamples = hops.Select(h => kept[h.Index]).ToArray();

        // Before the gap every 10 samples from 49; sample 157 passes boundaries 1.4 s and 1.5 s (one hop, one
        // missed); afterwards the grid continues at 159, 169, ... rather than restarting 10 samples after 157.
        int[] expected = [49, 59, 69, 79, 89, 99, 109, 119, 129, 157, 159, 169, 179, 189, 199, 209, 219, 229, 239, 249, 259];
        Assert.Equal(expected, hopSamples);
        Assert.Equal(1, window.MissedHops);
        Assert.Equal(expected.Length, window.HopsEmitted);
        Assert.Equal(ReferenceTimeHops(times, 0.5, 0.1, 100, 50), hops.Select(h => h.Index));
        foreach (Hop h in hops.Where(h => kept[h.Index] >= 159))
        {
            double sampleEnd = times[h.Index] + 0.01;
            double k = (sampleEnd - t0 - 0.5) / 0.1;
            Assert.Equal(Math.Round(k), k, 6);
        }

        // After the gap the window holds the newest 50 samples, which span more than 0.5 s.
        Hop afterGap = hops.Single(h => kept[h.Index] == 157);
        Assert.Equal(t0 + 1.57, afterGap.Times[^1], 9);
        Assert.Equal(t0 + 0.81, afterGap.Times[0], 9); // samples 81..129 and 157
    }

    [Fact]
    public void BoundaryReachedBeforeTheWindowIsFullEmitsNoHop()
    {
        // 100 Hz, samples 20..34 missing: boundaries 0.5 s and 0.6 s are reached with 35 and 45 of 50 samples held.
        int[] kept = Enumerable.Range(0, 120).Where(i => i < 20 || i >= 35).ToArray();
        double[] times = kept.Select(i => i * 0.01).ToArray();
        double[] values = kept.SelectMany(i => new[] { TestSignals.Value(i, 0), TestSignals.Value(i, 1) }).ToArray();
        var window = new SlidingWindow(WindowSpec.InSeconds(0.5, 0.1), Channels, 100);

        List<Hop> hops = Run(window, values, times, chunkSize: 7);

        Assert.Equal(new[] { 69, 79, 89, 99, 109, 119 }, hops.Select(h => kept[h.Index]));
        Assert.Equal(2, window.MissedHops);
    }

    [Fact]
    public void NonIntegerHopInSamplesFollowsTheTimestamps()
    {
        // 0.025 s hop at 100 Hz = 2.5 samples: hops alternate between 2 and 3 samples apart.
        (double[] values, double[] times) = Regular(120, 100, jitter: 0);
        var window = new SlidingWindow(WindowSpec.InSeconds(0.2, 0.025), Channels, 100);
        List<Hop> hops = Run(window, values, times, chunkSize: 5);
        Assert.Equal(ReferenceTimeHops(times, 0.2, 0.025, 100, 20), hops.Select(h => h.Index));
        int[] spacing = hops.Zip(hops.Skip(1), (a, b) => b.Index - a.Index).Distinct().Order().ToArray();
        Assert.Equal(new[] { 2, 3 }, spacing);
    }

    [Fact]
    public void SecondsWindowNeedsANominalRate()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new SlidingWindow(WindowSpec.InSeconds(1, 0.5), 4, nominalRate: 0));
        Assert.Contains("irregular", error.Message);
    }

    [Fact]
    public void MismatchedValuesAreRejected()
    {
        var window = new SlidingWindow(WindowSpec.InSamples(4, 2), Channels);
        var error = Assert.Throws<ArgumentException>(() => window.Append(new double[5], new double[3], out _));
        Assert.Contains("3 samples x 2 channels = 6 values, got 5", error.Message);
    }

    [Fact]
    public void ResetRestartsTheHopSchedule()
    {
        var window = new SlidingWindow(WindowSpec.InSamples(3, 1), 1);
        Assert.Equal(3, window.Append([1, 2, 3, 4], [0, 1, 2, 3], out bool hop));
        Assert.True(hop);
        window.Reset();
        Assert.Equal(0, window.Count);
        Assert.Equal(0, window.HopsEmitted);
        Assert.True(double.IsNaN(window.WindowStart));
        Assert.Equal(3, window.Append([1, 2, 3, 4], [0, 1, 2, 3], out hop));
        Assert.True(hop);
    }

    [Fact]
    public void SteadyStateAllocatesNothing()
    {
        (double[] values, double[] times) = Regular(640, 500, jitter: 0);
        var window = new SlidingWindow(WindowSpec.InSeconds(0.2, 0.02), Channels, 500);
        var copyValues = new double[window.Length * Channels];
        var copyTimes = new double[window.Length];
        long hops = 0;
        long bytes = TestSignals.AllocatedBytes(() =>
        {
            for (int start = 0; start < times.Length; start += 32)
            {
                ReadOnlySpan<double> v = values.AsSpan(start * Channels, 32 * Channels);
                ReadOnlySpan<double> t = times.AsSpan(start, 32);
                while (!t.IsEmpty)
                {
                    int used = window.Append(v, t, out bool hop);
                    v = v[(used * Channels)..];
                    t = t[used..];
                    if (hop)
                    {
                        hops++;
                        window.CopyWindow(copyValues, copyTimes);
                    }
                }
            }

            // Continue the same clock on the next run so the schedule keeps going.
            for (int i = 0; i < times.Length; i++)
            {
                times[i] += 640 / 500.0;
            }
        });
        Assert.Equal(0, bytes);
        Assert.True(hops > 100);
    }

    private static (double[] Values, double[] Times) Regular(int count, double rate, double jitter)
    {
        var times = new double[count];
        var random = new Random(7);
        for (int i = 0; i < count; i++)
        {
            times[i] = 3.0 + (i / rate) + (jitter == 0 ? 0 : (random.NextDouble() * 2 - 1) * jitter / rate);
        }

        return (TestSignals.Values(0, count, Channels), times);
    }

    /// <summary>Feeds the data in chunks, looping over each chunk as the window consumes it, and records every hop.</summary>
    private static List<Hop> Run(SlidingWindow window, double[] values, double[] times, int chunkSize)
    {
        var hops = new List<Hop>();
        for (int start = 0; start < times.Length; start += chunkSize)
        {
            int n = Math.Min(chunkSize, times.Length - start);
            int offset = 0;
            while (offset < n)
            {
                int used = window.Append(
                    values.AsSpan((start + offset) * Channels, (n - offset) * Channels),
                    times.AsSpan(start + offset, n - offset),
                    out bool hop);
                Assert.InRange(used, 1, n - offset);
                offset += used;
                if (hop)
                {
                    var v = new double[window.Count * Channels];
                    var t = new double[window.Count];
                    Assert.Equal(window.Length, window.CopyWindow(v, t));
                    Assert.Equal(t[0], window.WindowStart);
                    Assert.Equal(t[^1], window.WindowEnd);
                    hops.Add(new Hop(start + offset - 1, v, t));
                }
            }
        }

        return hops;
    }

    /// <summary>Straightforward restatement of the seconds-window rule: boundary b_k = t_first + L + k·H is reached by t ≥ b_k − 1.5·T.</summary>
    private static List<int> ReferenceTimeHops(double[] times, double length, double hop, double rate, int capacity)
    {
        var result = new List<int>();
        double period = 1 / rate;
        long k = 0;
        for (int i = 0; i < times.Length; i++)
        {
            bool reached = false;
            while (times[0] + length + (k * hop) - (1.5 * period) <= times[i])
            {
                k++;
                reached = true;
            }

            if (reached && i + 1 >= capacity)
            {
                result.Add(i);
            }
        }

        return result;
    }

    private static void AssertWindowIs(Hop hop, double[] values, double[] times, int first, int count)
    {
        Assert.Equal(values.AsSpan(first * Channels, count * Channels).ToArray(), hop.Values);
        Assert.Equal(times.AsSpan(first, count).ToArray(), hop.Times);
    }

    private sealed record Hop(int Index, double[] Values, double[] Times);
}
