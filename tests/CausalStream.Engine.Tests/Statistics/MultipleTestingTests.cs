using CausalStream.Engine.Statistics;

namespace CausalStream.Engine.Tests.Statistics;

public sealed class MultipleTestingTests
{
    private static readonly double[] PValues = [0.01, 0.04, 0.03, 0.005, 0.2, 0.5, 0.04, 1e-5, 0.9, 0.049];

    [Fact]
    public void BenjaminiHochbergMatchesStatsmodelsFdrBh()
    {
        // statsmodels.stats.multitest.multipletests(PValues, method='fdr_bh')[1]
        double[] expected = [0.03333333333333333, 0.06666666666666667, 0.06666666666666667, 0.024999999999999998, 0.25, 0.5555555555555556, 0.06666666666666667, 0.0001, 0.9, 0.07];
        var q = MultipleTesting.BenjaminiHochberg(PValues);
        for (int k = 0; k < q.Length; k++)
        {
            Assert.Equal(expected[k], q[k], 1e-15);
        }
    }

    [Fact]
    public void BonferroniMatchesStatsmodels()
    {
        double[] expected = [0.1, 0.4, 0.3, 0.05, 1.0, 1.0, 0.4, 0.0001, 1.0, 0.49];
        var adjusted = new double[PValues.Length];
        MultipleTesting.Bonferroni(PValues, adjusted);
        for (int k = 0; k < adjusted.Length; k++)
        {
            Assert.Equal(expected[k], adjusted[k], 1e-15);
        }
    }

    [Fact]
    public void BenjaminiHochbergIsMonotoneInThePValues()
    {
        var rng = new Random(7);
        var p = new double[200];
        for (int k = 0; k < p.Length; k++)
        {
            p[k] = Math.Pow(rng.NextDouble(), 3);
        }
        var q = MultipleTesting.BenjaminiHochberg(p);
        for (int a = 0; a < p.Length; a++)
        {
            Assert.True(q[a] >= p[a] && q[a] <= 1.0);
            for (int b = 0; b < p.Length; b++)
            {
                if (p[a] <= p[b])
                {
                    Assert.True(q[a] <= q[b]);
                }
            }
        }
    }

    [Fact]
    public void AdjustInPlaceWithNoCorrectionCopies()
    {
        var p = (double[])PValues.Clone();
        MultipleTesting.Adjust(MultipleTestCorrection.None, p, p, new double[p.Length], new int[p.Length]);
        Assert.Equal(PValues, p);
    }
}
