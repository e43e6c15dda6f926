using CausalStream.Engine.Discovery;

namespace CausalStream.Engine.Tests.Discovery;

/// <summary>PCMCI+ recovers the lagged and contemporaneous links, with orientations, of a structural model simulated here.</summary>
public sealed class PcmciPlusRecoveryTests
{
    [Fact]
    public void RecoversLaggedAndContemporaneousLinksWithTheirOrientation()
    {
        // x0 ← 0.6 x0(t−1);            x1 ← 0.5 x1(t−1) + 0.5 x0(t)
        // x3 ← 0.5 x3(t−1) + 0.4 x0(t−2); x2 ← 0.4 x2(t−1) + 0.45 x1(t) − 0.45 x3(t)
        // x4 ← 0.5 x4(t−1) − 0.4 x2(t−1)
        // Contemporaneous: the collider x1 → x2 ← x3, and x0 → x1, oriented by rule R1 from x0(t−1) → x0(t).
        const int channels = 5;
        const int samples = 4000;
        var rng = new Random(2026);
        var x = new double[(samples + 100) * channels];
        for (int t = 2; t < samples + 100; t++)
        {
            int o = t * channels;
            int p1 = (t - 1) * channels;
            int p2 = (t - 2) * channels;
            x[o] = (0.6 * x[p1]) + Gauss(rng);
            x[o + 1] = (0.5 * x[p1 + 1]) + (0.5 * x[o]) + Gauss(rng);
            x[o + 3] = (0.5 * x[p1 + 3]) + (0.4 * x[p2]) + Gauss(rng);
            x[o + 2] = (0.4 * x[p1 + 2]) + (0.45 * x[o + 1]) - (0.45 * x[o + 3]) + Gauss(rng);
            x[o + 4] = (0.5 * x[p1 + 4]) - (0.4 * x[p1 + 2]) + Gauss(rng);
        }
        var data = x.AsSpan(100 * channels);

        var result = new PcmciPlus(data, channels, 2).Run(new PcmciPlusOptions { TauMax = 2, PcAlpha = 0.01 });
        var expected = new Dictionary<(int, int, int), string>
        {
            [(0, 0, 1)] = "-->", [(1, 1, 1)] = "-->", [(2, 2, 1)] = "-->", [(3, 3, 1)] = "-->", [(4, 4, 1)] = "-->",
            [(0, 3, 2)] = "-->", [(2, 4, 1)] = "-->",
            [(0, 1, 0)] = "-->", [(1, 0, 0)] = "<--",
            [(1, 2, 0)] = "-->", [(2, 1, 0)] = "<--",
            [(3, 2, 0)] = "-->", [(2, 3, 0)] = "<--",
        };
        for (int i = 0; i < channels; i++)
        {
            for (int j = 0; j < channels; j++)
            {
                for (int tau = 0; tau <= 2; tau++)
                {
                    string want = expected.TryGetValue((i, j, tau), out var mark) ? mark : string.Empty;
                    Assert.True(want == result.Graph[i, j, tau], $"graph[{i},{j},{tau}] is '{result.Graph[i, j, tau]}', expected '{want}'");
                }
            }
        }
        Assert.Empty(result.AmbiguousTriples);
        Assert.Equal(0, result.DegenerateTests);
    }

    private static double Gauss(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble();
        double u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
