using CausalStream.Engine.Statistics;
using MathNet.Numerics.Distributions;

namespace CausalStream.Engine.Tests.Statistics;

/// <summary>F upper tails against MathNet's F distribution and closed forms.</summary>
public sealed class FDistributionTailTests
{
    [Theory]
    [InlineData(1.0, 5.0)]
    [InlineData(3.0, 40.0)]
    [InlineData(10.0, 86976.0)]
    [InlineData(5.0, 1000.0)]
    [InlineData(2.0, 2.0)]
    [InlineData(20.0, 300.0)]
    public void TailsEqualOneMinusMathNetCdfWhereTheCdfIsAccurate(double df1, double df2)
    {
        var tail = new FDistributionTail(df1, df2);
        var reference = new FisherSnedecor(df1, df2);
        for (double f = 0.01; f < 8.0; f *= 1.3)
        {
            double expected = 1.0 - reference.CumulativeDistribution(f);
            double actual = tail.Survival(f);
            Assert.True(Math.Abs(actual - expected) <= 1e-12 + 1e-9 * expected, $"F({df1},{df2}) at {f}: {actual:R} vs {expected:R}");
        }
    }

    [Fact]
    public void TinyTailsKeepRelativeAccuracy()
    {
        // F(2, df2) has the closed form P(F > f) = (1 + 2f/df2)^(−df2/2).
        const double df2 = 500.0;
        var tail = new FDistributionTail(2.0, df2);
        foreach (double f in new[] { 0.5, 5.0, 50.0, 200.0 })
        {
            double expected = Math.Pow(1.0 + 2.0 * f / df2, -df2 / 2.0);
            Assert.Equal(1.0, tail.Survival(f) / expected, 10);
        }
    }

    [Fact]
    public void EdgeValuesAndBadDegreesOfFreedom()
    {
        var tail = new FDistributionTail(3, 30);
        Assert.Equal(1.0, tail.Survival(0.0));
        Assert.Equal(1.0, tail.Survival(double.NaN));
        Assert.Equal(0.0, tail.Survival(double.PositiveInfinity));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FDistributionTail(0, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FDistributionTail(2, double.PositiveInfinity));
    }
}
