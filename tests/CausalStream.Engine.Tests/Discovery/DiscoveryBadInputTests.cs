using CausalStream.Engine.Discovery;

namespace CausalStream.Engine.Tests.Discovery;

/// <summary>Rank-deficient windows, lags beyond the data and too few rows for the conditioning sets give clear errors or flagged results.</summary>
public sealed class DiscoveryBadInputTests
{
    [Fact]
    public void DuplicatedChannelIsFlaggedAndExplainedByItsTwin()
    {
        var data = WithDuplicate(Var(3, 2000, seed: 4), 3, source: 0);
        var plus = new PcmciPlus(data, 4, 2).Run(new PcmciPlusOptions { TauMax = 2, PcAlpha = 0.01 });
        Assert.True(plus.DegenerateTests > 0);
        Assert.NotEqual(string.Empty, plus.Graph[0, 3, 0]);
        AssertProbabilities(plus.PValues);
        // Everything that drives channel 0 is explained away for its copy by the twin itself.
        for (int tau = 1; tau <= 2; tau++)
        {
            for (int i = 0; i < 4; i++)
            {
                Assert.True(plus.Graph[i, 3, tau].Length == 0 || plus.Graph[i, 0, tau].Length == 0, $"{i}(t-{tau}) drives both twins");
            }
        }

        var pcmci = new Pcmci(data, 4, 2).Run(new PcmciOptions { TauMin = 0, TauMax = 2, PcAlpha = 0.05, AlphaLevel = 0.01 });
        Assert.True(pcmci.DegenerateTests > 0);
        Assert.Equal("o-o", pcmci.Graph[0, 3, 0]);
        AssertProbabilities(pcmci.PValues);
    }

    [Fact]
    public void ConstantChannelGivesNoLinksAndIsFlagged()
    {
        var data = Var(3, 1500, seed: 9);
        for (int t = 0; t < 1500; t++)
        {
            data[(t * 3) + 2] = 5.0;
        }
        var result = new PcmciPlus(data, 3, 2).Run(new PcmciPlusOptions { TauMax = 2 });
        Assert.True(result.DegenerateTests > 0);
        for (int i = 0; i < 3; i++)
        {
            for (int tau = 0; tau <= 2; tau++)
            {
                Assert.Equal(string.Empty, result.Graph[i, 2, tau]);
                Assert.Equal(string.Empty, result.Graph[2, i, tau]);
            }
        }
        AssertProbabilities(result.PValues);
    }

    [Fact]
    public void TauMaxBeyondTheSeriesIsAnError()
    {
        var data = Var(2, 12, seed: 1);
        var error = Assert.Throws<ArgumentException>(() => new Pcmci(data, 2, 5));
        Assert.Contains("12 samples are too few for tau-max 5", error.Message);
        Assert.Throws<ArgumentException>(() => new PcmciPlus(data, 2, 6));
        var pcmci = new Pcmci(Var(2, 100, seed: 1), 2, 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => pcmci.Run(new PcmciOptions { TauMax = 3 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PcmciPlus(pcmci).Run(new PcmciPlusOptions { TauMax = 3 }));
    }

    [Fact]
    public void TooFewRowsForTheConditioningSetAreFlaggedNotReported()
    {
        // 8 channels, tau-max 3: MCI conditions can reach 40+ variables, but only 20 rows remain.
        const int channels = 8;
        var data = Var(channels, 26, seed: 12);
        var result = new Pcmci(data, channels, 3).Run(new PcmciOptions { TauMin = 0, TauMax = 3, PcAlpha = 0.99, AlphaLevel = 0.05 });
        Assert.Equal(20, result.Rows);
        Assert.True(result.DegenerateTests > 0);
        for (int i = 0; i < channels; i++)
        {
            for (int j = 0; j < channels; j++)
            {
                for (int tau = 0; tau <= 3; tau++)
                {
                    if (double.IsNaN(result.PValues[i, j, tau]))
                    {
                        Assert.Equal(string.Empty, result.Graph[i, j, tau]);
                    }
                }
            }
        }
    }

    private static void AssertProbabilities(double[,,] p)
    {
        foreach (double v in p)
        {
            Assert.InRange(v, 0.0, 1.0);
        }
    }

    private static double[] WithDuplicate(double[] data, int channels, int source)
    {
        int samples = data.Length / channels;
        var wide = new double[samples * (channels + 1)];
        for (int t = 0; t < samples; t++)
        {
            data.AsSpan(t * channels, channels).CopyTo(wide.AsSpan(t * (channels + 1)));
            wide[(t * (channels + 1)) + channels] = data[(t * channels) + source];
        }
        return wide;
    }

    /// <summary>A chain VAR(1): x_c ← 0.5 x_c(t−1) + 0.4 x_{c−1}(t−1) + e.</summary>
    private static double[] Var(int channels, int samples, int seed)
    {
        var rng = new Random(seed);
        var x = new double[samples * channels];
        for (int t = 1; t < samples; t++)
        {
            for (int c = 0; c < channels; c++)
            {
                double v = (0.5 * x[((t - 1) * channels) + c]) + Gauss(rng);
                if (c > 0)
                {
                    v += 0.4 * x[((t - 1) * channels) + c - 1];
                }
                x[(t * channels) + c] = v;
            }
        }
        return x;
    }

    private static double Gauss(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble();
        double u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
