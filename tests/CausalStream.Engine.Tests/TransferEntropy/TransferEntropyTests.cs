using CausalStream.Engine.Graphs;
using CausalStream.Engine.TransferEntropy;

namespace CausalStream.Engine.Tests.TransferEntropy;

/// <summary>Transfer entropy: Gaussian closed form, Granger identity, KSG on Gaussian and on nonlinear coupling.</summary>
public sealed class TransferEntropyTests
{
    [Fact]
    public void GaussianTeIsHalfTheGrangerMagnitudeOfTheBivariateVar()
    {
        // A weak coupling so that the p-values are far from 0 and can be compared.
        var data = LinearPair(3000, seed: 5, a: 0.5, b: 0.04, c: 0.6);
        foreach (int lags in new[] { 1, 3 })
        {
            var options = new TransferEntropyOptions { TargetHistory = lags, SourceHistory = lags, Surrogates = 0 };
            var te = TransferEntropyEstimator.Gaussian(data, 2, 0, 1, options);
            var granger = VarGrangerSolver.Fit(data, 2, lags, new GrangerOptions { Denominator = FTestDenominator.SingleEquation });
            Assert.Equal(0.5 * granger.Magnitude(1, 0), te.Value, 9);
            Assert.InRange(granger.PValue(1, 0), 1e-6, 1.0);
            Assert.True(ReferenceClose(te.PValue, granger.PValue(1, 0)), $"p {te.PValue} vs Granger {granger.PValue(1, 0)}");
            Assert.Equal(3000 - lags, te.Points);
        }
    }

    [Fact]
    public void KsgOnGaussianDataAgreesWithTheClosedForm()
    {
        const double a = 0.5, b = 0.4, c = 0.6;
        double truth = ClosedFormTe(a, b, c);
        var data = LinearPair(4000, seed: 17, a, b, c);
        var options = new TransferEntropyOptions { Neighbours = 4, Surrogates = 19 };
        var ksg = TransferEntropyEstimator.Ksg(data, 2, 0, 1, options);
        var gaussian = TransferEntropyEstimator.Gaussian(data, 2, 0, 1, options);

        // Sampling sd of either estimate here is about 0.01 nats (N = 4000); KSG also carries a small bias.
        Assert.InRange(truth, 0.05, 0.2);
        Assert.True(Math.Abs(gaussian.Value - truth) < 0.02, $"Gaussian TE {gaussian.Value} vs closed form {truth}");
        Assert.True(Math.Abs(ksg.Value - truth) < 0.03, $"KSG TE {ksg.Value} vs closed form {truth}");
        Assert.Equal(0.05, ksg.PValue, 12); // above all 19 surrogates: p = 1/20

        // The reverse direction carries no information.
        var reverse = TransferEntropyEstimator.Ksg(data, 2, 1, 0, options);
        Assert.True(Math.Abs(reverse.Value) < 0.02, $"reverse KSG TE {reverse.Value}");
        Assert.True(reverse.PValue > 0.05, $"reverse p {reverse.PValue}");
    }

    [Fact]
    public void KsgDetectsAQuadraticCouplingThatGrangerMisses()
    {
        // y(t) = 0.4 y(t−1) + 0.6 (x(t−1)² − 1) + 0.5 e: no linear dependence of y on x's past, a strong nonlinear one.
        const int samples = 2000;
        var rng = new Random(41);
        var data = new double[samples * 2];
        for (int t = 1; t < samples; t++)
        {
            double xPrev = data[(t - 1) * 2];
            data[t * 2] = Gauss(rng);
            data[(t * 2) + 1] = (0.4 * data[((t - 1) * 2) + 1]) + (0.6 * ((xPrev * xPrev) - 1)) + (0.5 * Gauss(rng));
        }

        var granger = VarGrangerSolver.Fit(data, 2, 1);
        Assert.True(granger.PValue(1, 0) > 0.05, $"Granger p {granger.PValue(1, 0)} found the coupling");
        var gaussian = TransferEntropyEstimator.Gaussian(data, 2, 0, 1, new TransferEntropyOptions { Surrogates = 0 });
        Assert.True(gaussian.PValue > 0.05, $"Gaussian TE p {gaussian.PValue}");

        var ksg = TransferEntropyEstimator.Ksg(data, 2, 0, 1, new TransferEntropyOptions { Neighbours = 4, Surrogates = 49 });
        Assert.True(ksg.Value > 0.2, $"KSG TE {ksg.Value}");
        Assert.Equal(0.02, ksg.PValue, 12);
        Assert.True(ksg.SurrogateMean < 0.02, $"surrogate mean {ksg.SurrogateMean}");
    }

    [Fact]
    public void KdTreeQueriesEqualABruteForceScan()
    {
        var rng = new Random(3);
        const int n = 700;
        const int d = 3;
        var points = new double[n * d];
        for (int i = 0; i < points.Length; i++)
        {
            points[i] = Math.Round(Gauss(rng), 1); // coarse values: many exact ties
        }
        var tree = new MaxNormKdTree(points, d);
        var distances = new double[n - 1];
        for (int i = 0; i < n; i += 7)
        {
            int m = 0;
            for (int j = 0; j < n; j++)
            {
                if (j != i)
                {
                    distances[m++] = Distance(points, i, j, d);
                }
            }
            Array.Sort(distances);
            foreach (int k in new[] { 1, 4, 10 })
            {
                Assert.Equal(distances[k - 1], tree.KthNeighbourDistance(i, k));
            }
            foreach (double r in new[] { 0.0, 0.1, 0.35, 1.0, 10.0 })
            {
                int brute = 0;
                for (int j = 0; j < n; j++)
                {
                    if (Distance(points, i, j, d) < r)
                    {
                        brute++;
                    }
                }
                Assert.Equal(brute, tree.CountWithin(i, r));
            }
        }
    }

    [Fact]
    public void BadInputIsRefusedWithContext()
    {
        var data = LinearPair(100, seed: 1, 0.5, 0.4, 0.6);
        var options = new TransferEntropyOptions();
        Assert.Contains("not two different channels", Assert.Throws<ArgumentException>(() => TransferEntropyEstimator.Ksg(data, 2, 1, 1, options)).Message);
        Assert.Contains("too few", Assert.Throws<ArgumentException>(() => TransferEntropyEstimator.Ksg(data.AsSpan(0, 10), 2, 0, 1, options)).Message);
        data[51] = double.NaN;
        Assert.Contains("Sample 25", Assert.Throws<ArgumentException>(() => TransferEntropyEstimator.Gaussian(data, 2, 0, 1, options)).Message);
    }

    private static double Distance(double[] p, int i, int j, int d)
    {
        double best = 0;
        for (int c = 0; c < d; c++)
        {
            best = Math.Max(best, Math.Abs(p[(i * d) + c] - p[(j * d) + c]));
        }
        return best;
    }

    /// <summary>x(t) = c x(t−1) + e, y(t) = a y(t−1) + b x(t−1) + e (unit noise), as [x, y] rows.</summary>
    private static double[] LinearPair(int samples, int seed, double a, double b, double c)
    {
        var rng = new Random(seed);
        var data = new double[samples * 2];
        double x = 0, y = 0;
        for (int t = -200; t < samples; t++)
        {
            double nx = (c * x) + Gauss(rng);
            double ny = (a * y) + (b * x) + Gauss(rng);
            x = nx;
            y = ny;
            if (t >= 0)
            {
                data[t * 2] = x;
                data[(t * 2) + 1] = y;
            }
        }
        return data;
    }

    /// <summary>Population TE(x → y) with one lag each: ½ ln(Var(y_t | y_{t−1}) / Var(y_t | y_{t−1}, x_{t−1})), the latter the unit noise.</summary>
    private static double ClosedFormTe(double a, double b, double c)
    {
        // Stationary covariance S of z = (x, y): S = A S Aᵀ + I with A = [[c, 0], [b, a]], by fixed-point iteration.
        double sxx = 1, sxy = 0, syy = 1;
        for (int it = 0; it < 10000; it++)
        {
            double nxx = (c * c * sxx) + 1;
            double nxy = (c * b * sxx) + (c * a * sxy);
            double nyy = (b * b * sxx) + (2 * a * b * sxy) + (a * a * syy) + 1;
            sxx = nxx;
            sxy = nxy;
            syy = nyy;
        }
        double lag1yy = (b * sxy) + (a * syy); // Cov(y_t, y_{t−1}) = (A S)[1, 1]
        double conditional = syy - (lag1yy * lag1yy / syy);
        return 0.5 * Math.Log(conditional / 1.0);
    }

    private static bool ReferenceClose(double a, double b) => Math.Abs(a - b) <= 1e-6 * Math.Abs(b) + 1e-300;

    private static double Gauss(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble();
        double u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
