using CausalStream.Engine.Discovery;

namespace CausalStream.Engine.Tests.Discovery;

/// <summary>PCMCI and PC recover the known structure of systems simulated here.</summary>
public sealed class GroundTruthRecoveryTests
{
    [Fact]
    public void PcmciRecoversTheLinksOfASimulatedVar()
    {
        // x0 ← 0.5 x0(t-1); x1 ← 0.4 x1(t-1) + 0.5 x0(t-1); x2 ← 0.3 x2(t-1) − 0.45 x1(t-2); x3 independent AR(1).
        const int channels = 4;
        const int samples = 3000;
        var rng = new Random(20261128);
        var x = new double[samples * channels];
        for (int t = 2; t < samples; t++)
        {
            int o = t * channels;
            int p1 = (t - 1) * channels;
            int p2 = (t - 2) * channels;
            x[o] = (0.5 * x[p1]) + Gauss(rng);
            x[o + 1] = (0.4 * x[p1 + 1]) + (0.5 * x[p1]) + Gauss(rng);
            x[o + 2] = (0.3 * x[p1 + 2]) - (0.45 * x[p2 + 1]) + Gauss(rng);
            x[o + 3] = (0.6 * x[p1 + 3]) + Gauss(rng);
        }

        var truth = new HashSet<(int, int, int)> { (0, 0, 1), (1, 1, 1), (0, 1, 1), (2, 2, 1), (1, 2, 2), (3, 3, 1) };
        var result = new Pcmci(x, channels, 3).Run(new PcmciOptions { TauMin = 0, TauMax = 3, PcAlpha = 0.05, AlphaLevel = 0.001 });
        var found = new HashSet<(int, int, int)>();
        for (int i = 0; i < channels; i++)
        {
            for (int j = 0; j < channels; j++)
            {
                for (int tau = 0; tau <= 3; tau++)
                {
                    if (result.Graph[i, j, tau].Length > 0)
                    {
                        found.Add((i, j, tau));
                    }
                }
            }
        }
        Assert.Equal(truth.OrderBy(l => l), found.OrderBy(l => l));
    }

    [Fact]
    public void PcRecoversTheCpdagOfASimulatedCollider()
    {
        // a → c ← b, c → d: the collider orients a → c ← b, and Meek's R1 then orients c → d.
        const int rows = 4000;
        var rng = new Random(7);
        var data = new double[rows * 4];
        for (int r = 0; r < rows; r++)
        {
            double a = Gauss(rng);
            double b = Gauss(rng);
            double c = (0.8 * a) - (0.7 * b) + Gauss(rng);
            double d = (0.9 * c) + Gauss(rng);
            data[(r * 4) + 0] = a;
            data[(r * 4) + 1] = b;
            data[(r * 4) + 2] = c;
            data[(r * 4) + 3] = d;
        }
        var g = PcStable.Run(data, 4, 0.01).Graph;
        Assert.True(g.IsDirected(0, 2));
        Assert.True(g.IsDirected(1, 2));
        Assert.True(g.IsDirected(2, 3));
        Assert.False(g.Adjacent(0, 1));
        Assert.False(g.Adjacent(0, 3));
        Assert.False(g.Adjacent(1, 3));
    }

    private static double Gauss(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble();
        double u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
