using CausalStream.Core.Formats;

namespace CausalStream.Core.Tests.Formats;

/// <summary>
/// Clock-reset detection on the deterministic cases of pyxdf's own test suite (test_detect_clock_resets.py): the
/// offsets, thresholds and expected segments (inclusive measurement ranges) are the ones pyxdf asserts.
/// </summary>
public sealed class XdfClockResetTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(9)]
    public void RegularOffsetsAreOneSegment(int count)
    {
        var offsets = Offsets(count, times: null, values: null);
        Assert.Equal([(0, count - 1)], Segments(offsets, 5, 5, 10, 1));
    }

    [Theory]
    [InlineData(5, 5, 10, 5, true)]
    [InlineData(2.71e16, 5, 10, 5, false)]
    [InlineData(5, 6, 10, 5, false)]
    [InlineData(5, 5, 2.71e16, 5, false)]
    [InlineData(5, 5, 10, 6, false)]
    public void ForwardJumpIsAResetOnlyWhenTimeAndValueStepsPassBothThresholds(double timeStds, double timeSeconds, double valueStds, double valueSeconds, bool reset)
    {
        // Measurements at 0, 5, 10, 15, 20 s with offset 0, except the first: taken at −6 s with offset 6.
        var offsets = Offsets(5, times: [-6, 5, 10, 15, 20], values: [6, 0, 0, 0, 0]);
        var expected = reset ? new[] { (0, 0), (1, 4) } : [(0, 4)];
        Assert.Equal(expected, Segments(offsets, timeStds, timeSeconds, valueStds, valueSeconds));
    }

    [Fact]
    public void BackwardTimeIsAlwaysAReset()
    {
        var offsets = Offsets(5, times: [6, 5, 10, 15, 20], values: [-6, 0, 0, 0, 0]);
        double inf = double.PositiveInfinity;
        Assert.Equal([(0, 0), (1, 4)], Segments(offsets, inf, inf, inf, inf));
    }

    [Fact]
    public void ADropOfTheOffsetCountsLikeARise()
    {
        // Ten measurements; after the fifth the clock jumps 6 s forward and the offset 6 s down (signed step −6).
        var times = new double[10];
        var values = new double[10];
        for (int i = 0; i < 10; i++)
        {
            times[i] = (5 * i) + (i >= 5 ? 6 : 0);
            values[i] = i >= 5 ? -6 : 0;
        }

        Assert.Equal([(0, 4), (5, 9)], Segments(Offsets(10, times, values), 5, 5, 10, 5));
        Assert.Equal([(0, 9)], Segments(Offsets(10, times, values), 5, 5, 10, 6));
    }

    private static List<XdfClockOffset> Offsets(int count, double[]? times, double[]? values)
    {
        var offsets = new List<XdfClockOffset>(count);
        for (int i = 0; i < count; i++)
        {
            offsets.Add(new XdfClockOffset(times?[i] ?? 5 * i, values?[i] ?? 0));
        }

        return offsets;
    }

    private static List<(int, int)> Segments(List<XdfClockOffset> offsets, double timeStds, double timeSeconds, double valueStds, double valueSeconds)
    {
        var options = new XdfReaderOptions
        {
            ResetThresholdStds = timeStds,
            ResetThresholdSeconds = timeSeconds,
            ResetThresholdOffsetStds = valueStds,
            ResetThresholdOffsetSeconds = valueSeconds,
        };
        var resets = XdfClockSync.DetectResets(offsets, options);
        var segments = new List<(int, int)>();
        int begin = 0;
        for (int i = 0; i < resets.Length; i++)
        {
            if (resets[i])
            {
                segments.Add((begin, i));
                begin = i + 1;
            }
        }

        segments.Add((begin, offsets.Count - 1));
        return segments;
    }
}
