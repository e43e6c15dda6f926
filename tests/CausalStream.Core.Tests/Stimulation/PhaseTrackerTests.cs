using CausalStream.Core.Stimulation;

namespace CausalStream.Core.Tests.Stimulation;

/// <summary>The resonator phase estimate against sinusoids whose phase is known in closed form.</summary>
public sealed class PhaseTrackerTests
{
    private const double Rate = 1000;

    [Theory]
    [InlineData(6.0, 0.0)]      // at the centre of 4–8 Hz: no phase error
    [InlineData(6.0, 180.0)]
    [InlineData(6.0, -90.0)]
    [InlineData(5.0, 0.0)]      // off centre: a bounded shift
    [InlineData(7.5, 90.0)]
    public void CrossingsComeOncePerCycleNearTheTargetPhase(double frequency, double targetDegrees)
    {
        var tracker = new PhaseTracker(Rate, 4, 8);
        double target = targetDegrees * Math.PI / 180;
        var crossings = new List<double>();
        for (int n = 0; n < 20 * Rate; n++)
        {
            double truePhase = 2 * Math.PI * frequency * n / Rate;
            if (tracker.Add(3.0 * Math.Cos(truePhase), target) && n > 3 * Rate)
            {
                crossings.Add(PhaseTracker.Wrap(truePhase));
            }
        }

        // One crossing per cycle after the transient, at the true phase within the response's shift at that frequency.
        Assert.InRange(crossings.Count, (int)(17 * frequency) - 1, (int)(17 * frequency) + 1);
        double tolerance = frequency == 6.0 ? 0.5 : 45.0;
        foreach (double phase in crossings)
        {
            double errorDegrees = Math.Abs(PhaseTracker.Wrap(phase - target)) * 180 / Math.PI;
            Assert.True(errorDegrees <= tolerance + (360 * frequency / Rate), $"crossing at {phase * 180 / Math.PI:F1}°, target {targetDegrees}°");
        }
        Assert.Equal(3.0, tracker.Amplitude, frequency == 6.0 ? 0.05 : 1.0);
    }

    [Fact]
    public void AmplitudeFallsOutsideTheBandAndBadSamplesAreIgnored()
    {
        var inBand = new PhaseTracker(Rate, 4, 8);
        var outBand = new PhaseTracker(Rate, 4, 8);
        for (int n = 0; n < 5 * Rate; n++)
        {
            inBand.Add(Math.Sin(2 * Math.PI * 6 * n / Rate), 0);
            outBand.Add(Math.Sin(2 * Math.PI * 40 * n / Rate), 0);
        }
        Assert.True(outBand.Amplitude < 0.15 * inBand.Amplitude, $"40 Hz amplitude {outBand.Amplitude}, 6 Hz {inBand.Amplitude}");
        double phase = inBand.Phase;
        Assert.False(inBand.Add(double.NaN, phase));
        Assert.Equal(phase, inBand.Phase);
    }

    [Fact]
    public void BandsBeyondNyquistAreRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => new PhaseTracker(100, 40, 60));
        Assert.Contains("40-60 Hz", ex.Message);
    }
}
