using CausalStream.Engine.Statistics;

namespace CausalStream.Engine.Tests.Statistics;

/// <summary>The solver-layout regression system against the full Gram matrix, permuted to channel-major order.</summary>
public sealed class LaggedCovarianceRegressionSystemTests
{
    [Fact]
    public void RegressionSystemEqualsThePermutedGramForRandomShapesOrdersAndWeightings()
    {
        var rng = new Random(2024);
        for (int trial = 0; trial < 120; trial++)
        {
            int c = rng.Next(1, 6);
            int maxLag = rng.Next(1, 5);
            int lags = rng.Next(1, maxLag + 1);
            bool forgetting = trial % 3 == 1;
            var stats = forgetting
                ? LaggedCovariance.WithForgetting(c, maxLag, 0.97)
                : new LaggedCovariance(c, maxLag, c * maxLag + 3 + rng.Next(0, 50));
            int length = rng.Next(maxLag + 2, 400);
            var sample = new double[c];
            for (int s = 0; s < length; s++)
            {
                for (int j = 0; j < c; j++)
                {
                    sample[j] = rng.NextDouble() < 0.01 ? double.NaN : 10.0 * j + rng.NextDouble() * 4.0 - 2.0;
                }
                stats.Push(sample);
            }

            int dim = stats.GramDimension;
            var gram = new double[dim * dim];
            stats.BuildGram(gram);
            int k = 1 + c * lags;
            int ldz = ((k + 7) & ~7) + 8;
            int ldy = c + 3;
            var zz = new double[k * ldz];
            var zy = new double[k * ldy];
            var yy = new double[c];
            Array.Fill(zz, double.NaN);
            stats.BuildRegressionSystem(lags, zz, ldz, zy, ldy, yy);

            string context = $"trial {trial} (C={c}, max lag {maxLag}, order {lags}, forgetting {forgetting})";
            for (int r = 0; r < k; r++)
            {
                int gr = GramIndex(r, c, lags);
                for (int s = r; s < k; s++)
                {
                    Assert.True(gram[gr * dim + GramIndex(s, c, lags)] == zz[r * ldz + s], $"{context}: Z'Z[{r},{s}]");
                }
                for (int s = k; s < ((k + 7) & ~7); s++)
                {
                    Assert.True(zz[r * ldz + s] == 0.0, $"{context}: padding of row {r} at {s}");
                }
                for (int i = 0; i < c; i++)
                {
                    Assert.True(gram[gr * dim + 1 + i] == zy[r * ldy + i], $"{context}: Z'Y[{r},{i}]");
                }
            }
            for (int i = 0; i < c; i++)
            {
                Assert.Equal(gram[(1 + i) * dim + 1 + i], yy[i]);
            }
        }
    }

    [Fact]
    public void OrderAboveTheMaximumLagAndShortBuffersAreRejected()
    {
        var stats = new LaggedCovariance(3, 2, 20);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => stats.BuildRegressionSystem(3, new double[100], 8, new double[30], 3, new double[3]));
        Assert.Contains("1..2", ex.Message);
        var shortZz = Assert.Throws<ArgumentException>(() => stats.BuildRegressionSystem(2, new double[10], 8, new double[30], 3, new double[3]));
        Assert.Contains("Z'Z", shortZz.Message);
    }

    /// <summary>Channel-major regressor r (0 = intercept, 1 + j·p + a − 1 = channel j at lag a) → index in the full Gram.</summary>
    private static int GramIndex(int r, int c, int lags)
    {
        if (r == 0)
        {
            return 0;
        }
        int j = (r - 1) / lags;
        int a = (r - 1) % lags + 1;
        return 1 + a * c + j;
    }
}
