using CausalStream.Engine.Discovery;

namespace CausalStream.Engine.Tests.Discovery;

/// <summary>FCI finds a latent common driver of two observed variables (a bidirected edge) on data simulated here.</summary>
public sealed class FciHiddenDriverTests
{
    [Fact]
    public void HiddenDriverOfTwoChannelsBecomesABidirectedEdge()
    {
        // a → x ← L → y ← b with L unobserved: the PAG is a o→ x ↔ y ←o b, and PC alone would orient x – y wrongly.
        const int rows = 5000;
        var rng = new Random(31);
        var data = new double[rows * 4];
        for (int r = 0; r < rows; r++)
        {
            double a = Gauss(rng);
            double b = Gauss(rng);
            double latent = Gauss(rng);
            double x = (0.8 * a) + (0.9 * latent) + Gauss(rng);
            double y = (0.8 * b) + (0.9 * latent) + Gauss(rng);
            data[(r * 4) + 0] = a;
            data[(r * 4) + 1] = x;
            data[(r * 4) + 2] = y;
            data[(r * 4) + 3] = b;
        }

        var g = Fci.Run(data, 4, 0.01).Graph;
        Assert.Equal(EndpointMark.Arrow, g[1, 2]); // mark at x on x – y
        Assert.Equal(EndpointMark.Arrow, g[2, 1]); // mark at y
        Assert.Equal(EndpointMark.Arrow, g[1, 0]); // a *→ x
        Assert.Equal(EndpointMark.Circle, g[0, 1]);
        Assert.Equal(EndpointMark.Arrow, g[2, 3]); // b *→ y
        Assert.Equal(EndpointMark.Circle, g[3, 2]);
        Assert.False(g.Adjacent(0, 2));
        Assert.False(g.Adjacent(1, 3));
        Assert.False(g.Adjacent(0, 3));
    }

    private static double Gauss(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble();
        double u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
