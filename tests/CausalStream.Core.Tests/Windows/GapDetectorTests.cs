using CausalStream.Core.Streams;
using CausalStream.Core.Windows;

namespace CausalStream.Core.Tests.Windows;

public class GapDetectorTests
{
    [Fact]
    public void ReportsGapsAndBackwardsJumpsWithTheFirstAnomaly()
    {
        var detector = new GapDetector(100);
        double[] chunk = [1.00, 1.01, 1.02, 1.03, 1.04, 1.07, 1.08, 1.09, 1.10, 1.05, 1.06];

        int anomalies = detector.Check(chunk, out TimestampCheck first);

        Assert.Equal(2, anomalies);
        Assert.Equal(TimestampCheckKind.Gap, first.Kind);
        Assert.Equal(5, first.Index);
        Assert.Equal(1.07, first.Timestamp);
        Assert.Equal(1.04, first.Previous);
        Assert.Equal(0.03, first.Jump, 12);
        Assert.Equal(0.01, first.ExpectedPeriod, 15);
        Assert.Equal(1, detector.GapCount);
        Assert.Equal(1, detector.BackwardsCount);
        Assert.Equal(11, detector.SamplesChecked);
    }

    [Fact]
    public void ComparesTheFirstSampleOfAChunkWithTheLastOfThePrevious()
    {
        var detector = new GapDetector(new StreamInfo("lfp", "LFP", "t", 4, 1000, ChannelFormat.Float32));
        Assert.Equal(0, detector.Check([0.001, 0.002, 0.003], out _));
        Assert.Equal(1, detector.Check([0.0005, 0.0015], out TimestampCheck first));
        Assert.Equal(TimestampCheckKind.Backwards, first.Kind);
        Assert.Equal(0, first.Index);
        Assert.Equal(-0.0025, first.Jump, 12);

        // The backwards timestamp became the new reference: continuing from it is clean.
        Assert.Equal(0, detector.Check([0.0025, 0.0035], out first));
        Assert.False(first.IsAnomaly);
        Assert.Equal(-1, first.Index);
    }

    [Theory]
    [InlineData(1.4, TimestampCheckKind.Ok)]
    [InlineData(1.6, TimestampCheckKind.Gap)]
    [InlineData(0.0, TimestampCheckKind.Ok)]
    [InlineData(-0.1, TimestampCheckKind.Backwards)]
    public void GapThresholdIsOneAndAHalfPeriods(double periods, TimestampCheckKind expected)
    {
        var detector = new GapDetector(250);
        Assert.Equal(TimestampCheckKind.Ok, detector.CheckSample(10.0).Kind);
        TimestampCheck check = detector.CheckSample(10.0 + (periods * 0.004));
        Assert.Equal(expected, check.Kind);
        Assert.Equal(0.004, check.ExpectedPeriod, 15);
    }

    [Fact]
    public void IrregularStreamsOnlyReportBackwardsJumps()
    {
        var detector = new GapDetector(0);
        double[] events = [0.1, 0.1, 5.0, 500.0, 499.0, 600.0, 600.0];

        int anomalies = detector.Check(events, out TimestampCheck first);

        Assert.Equal(1, anomalies);
        Assert.Equal(TimestampCheckKind.Backwards, first.Kind);
        Assert.Equal(4, first.Index);
        Assert.Equal(0, first.ExpectedPeriod);
        Assert.Equal(0, detector.GapCount);
        Assert.Equal(1, detector.BackwardsCount);
    }

    [Fact]
    public void NonFiniteTimestampsAreReportedAndDoNotMoveTheReference()
    {
        var detector = new GapDetector(100);
        int anomalies = detector.Check([1.00, double.NaN, 1.01, double.PositiveInfinity, 1.02], out TimestampCheck first);
        Assert.Equal(2, anomalies);
        Assert.Equal(TimestampCheckKind.NotFinite, first.Kind);
        Assert.Equal(1, first.Index);
        Assert.Equal(2, detector.NotFiniteCount);
        Assert.Equal(0, detector.GapCount);
        Assert.Equal(1.02, detector.LastTimestamp);
    }

    [Fact]
    public void CountsMatchAReferenceScanOverManyChunks()
    {
        // A 500 Hz clock with dropped samples and occasional resets, fed in chunks of varying size.
        var random = new Random(11);
        var times = new List<double>();
        double t = 100;
        for (int i = 0; i < 5000; i++)
        {
            double r = random.NextDouble();
            t += r < 0.01 ? -0.05 : r < 0.03 ? 0.002 * random.Next(2, 6) : 0.002;
            times.Add(t);
        }

        int expectedGaps = 0;
        int expectedBackwards = 0;
        for (int i = 1; i < times.Count; i++)
        {
            double jump = times[i] - times[i - 1];
            expectedGaps += jump > 0.003 ? 1 : 0;
            expectedBackwards += jump < 0 ? 1 : 0;
        }

        var detector = new GapDetector(500);
        int total = 0;
        for (int start = 0, size = 1; start < times.Count; start += size, size = (size % 37) + 1)
        {
            total += detector.Check(times.GetRange(start, Math.Min(size, times.Count - start)).ToArray(), out _);
        }

        Assert.True(expectedGaps > 50 && expectedBackwards > 20);
        Assert.Equal(expectedGaps, detector.GapCount);
        Assert.Equal(expectedBackwards, detector.BackwardsCount);
        Assert.Equal(expectedGaps + expectedBackwards, total);
    }

    [Fact]
    public void CheckingAllocatesNothing()
    {
        var detector = new GapDetector(1000);
        double[] chunk = Enumerable.Range(0, 64).Select(i => i * 0.001).ToArray();
        chunk[10] = 0.5;
        long bytes = TestSignals.AllocatedBytes(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                detector.Check(chunk, out _);
                detector.CheckSample(1.0);
            }
        });
        Assert.Equal(0, bytes);
    }
}
