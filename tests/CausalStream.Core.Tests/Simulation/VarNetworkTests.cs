using CausalStream.Core.Simulation;

namespace CausalStream.Core.Tests.Simulation;

public class VarNetworkTests
{
    [Theory]
    [InlineData(0.9, 10.0)]
    [InlineData(0.5, 40.0)]
    [InlineData(0.99, 7.0)]
    public void SpectralRadiusOfAnOscillatorIsItsPoleRadius(double radius, double frequencyHz)
    {
        double omega = 2 * Math.PI * frequencyHz / 500;
        var network = new VarNetwork([new double[,] { { 2 * radius * Math.Cos(omega) } }, new double[,] { { -radius * radius } }]);

        Assert.Equal(radius, network.SpectralRadius, 1e-9);
        Assert.True(network.IsStable);
    }

    [Fact]
    public void SpectralRadiusIgnoresNonNormalTransientGrowth()
    {
        // A Jordan-like block with a huge off-diagonal: every norm is large, the eigenvalues are 0.5.
        var network = new VarNetwork([new double[,] { { 0.5, 100 }, { 0, 0.5 } }]);

        Assert.Equal(0.5, network.SpectralRadius, 1e-9);
    }

    [Fact]
    public void SpectralRadiusOfARotationAndOfUnstableAndNilpotentSystems()
    {
        Assert.Equal(0.7, new VarNetwork([new double[,] { { 0, -0.7 }, { 0.7, 0 } }]).SpectralRadius, 1e-9);

        var unstable = new VarNetwork([new double[,] { { 1.01, 0 }, { 0.3, 0.2 } }]);
        Assert.Equal(1.01, unstable.SpectralRadius, 1e-9);
        Assert.False(unstable.IsStable);

        Assert.Equal(0, new VarNetwork([new double[,] { { 0, 1 }, { 0, 0 } }]).SpectralRadius);
    }

    [Fact]
    public void SpectralRadiusOfTheSmallNetworkIsItsLargestRoot()
    {
        // Block-triangular: the largest root is channel 2's AR(2), z² − 0.5z − 0.2.
        double expected = (0.5 + Math.Sqrt(0.25 + 0.8)) / 2;

        Assert.Equal(expected, SimulationTestHelpers.SmallNetwork().SpectralRadius, 1e-9);
    }

    [Fact]
    public void RandomNetworkSpectralRadiusMatchesPowerIterationGrowth()
    {
        var network = VarNetwork.CreateRandom(new SimulatorOptions { Seed = 11, Channels = 6, MaxLag = 3 });
        var f = network.CompanionMatrix();
        int n = f.GetLength(0);
        var v = new double[n];
        var rng = new Random(3);
        for (int i = 0; i < n; i++)
        {
            v[i] = rng.NextDouble() - 0.5;
        }

        // Growth rate of ‖Fᵏv‖ between k = 1000 and 3000 (renormalised to avoid underflow).
        double logGrowth = 0;
        for (int k = 1; k <= 3000; k++)
        {
            var next = new double[n];
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    next[i] += f[i, j] * v[j];
                }
            }

            double norm = Math.Sqrt(next.Sum(x => x * x));
            if (k > 1000)
            {
                logGrowth += Math.Log(norm);
            }

            v = next.Select(x => x / norm).ToArray();
        }

        double rate = Math.Exp(logGrowth / 2000);
        Assert.InRange(network.SpectralRadius, rate - 2e-3, rate + 2e-3);
        Assert.True(network.SpectralRadius <= 0.98);
    }

    [Fact]
    public void RandomNetworkHasSelfOscillatorsCrossEdgesAndIsStable()
    {
        var options = new SimulatorOptions { Seed = 5 };
        var network = VarNetwork.CreateRandom(options);

        Assert.Equal(8, network.Channels);
        Assert.Equal(3, network.MaxLag);
        Assert.True(network.IsStable);
        Assert.True(network.SpectralRadius <= options.MaxSpectralRadius);
        Assert.Equal(options.EffectiveCrossEdges, network.Edges.Count);
        Assert.Equal(8, options.EffectiveCrossEdges);
        Assert.All(network.Edges, e =>
        {
            Assert.False(e.IsSelf);
            Assert.InRange(e.Lag, 1, 3);
            Assert.Equal(e.Coefficient, network.Coefficient(e.Lag, e.Target, e.Source));
        });
        Assert.All(network.SelfTerms, e => Assert.True(e.IsSelf));
        for (int ch = 0; ch < 8; ch++)
        {
            Assert.True(network.Coefficient(1, ch, ch) > 0);
            Assert.True(network.Coefficient(2, ch, ch) < 0);
        }

        Assert.Equal(network.Edges.Select(e => (e.Source, e.Target)).Distinct().Count(), network.Edges.Count);
    }

    [Fact]
    public void RandomNetworkIsDeterminedBySeed()
    {
        var a = VarNetwork.CreateRandom(new SimulatorOptions { Seed = 42 });
        var b = VarNetwork.CreateRandom(new SimulatorOptions { Seed = 42 });
        var c = VarNetwork.CreateRandom(new SimulatorOptions { Seed = 43 });

        Assert.Equal(a.Edges, b.Edges);
        Assert.Equal(a.SelfTerms, b.SelfTerms);
        Assert.NotEqual(a.Edges, c.Edges);
    }

    [Fact]
    public void RandomNetworkWithStrongEdgesIsScaledIntoStability()
    {
        var options = new SimulatorOptions { Seed = 3, CrossEdges = 40, CrossCoefficientMin = 0.8, CrossCoefficientMax = 1.5 };
        var network = VarNetwork.CreateRandom(options);

        Assert.Equal(40, network.Edges.Count);
        Assert.True(network.SpectralRadius <= options.MaxSpectralRadius);
    }

    [Fact]
    public void TheoreticalCovarianceOfAnAr1MatchesTheClosedForm()
    {
        var network = new VarNetwork([new double[,] { { 0.8 } }]);
        var gamma = network.TheoreticalCovariance(4, innovationSd: 2, measurementNoiseSd: 0.5);

        double g0 = 4 / (1 - 0.64);
        Assert.Equal(g0 + 0.25, gamma[0][0, 0], 1e-10);
        for (int k = 1; k <= 4; k++)
        {
            Assert.Equal(g0 * Math.Pow(0.8, k), gamma[k][0, 0], 1e-10);
        }
    }

    [Fact]
    public void TheoreticalCovarianceSatisfiesTheYuleWalkerEquations()
    {
        var network = VarNetwork.CreateRandom(new SimulatorOptions { Seed = 9, Channels = 5, MaxLag = 3 });
        const double sd = 1.3;
        var gamma = network.TheoreticalCovariance(6, sd);
        var a = network.GetLagMatrices();
        int c = network.Channels;

        // Γ(k) = Σ_l A_l Γ(k − l) + δ_k σ²I, with Γ(−h) = Γ(h)ᵀ.
        double scale = 0;
        foreach (var g in gamma)
        {
            foreach (double value in g)
            {
                scale = Math.Max(scale, Math.Abs(value));
            }
        }

        for (int k = 0; k <= 6; k++)
        {
            for (int i = 0; i < c; i++)
            {
                for (int j = 0; j < c; j++)
                {
                    double expected = k == 0 && i == j ? sd * sd : 0;
                    for (int l = 1; l <= 3; l++)
                    {
                        for (int m = 0; m < c; m++)
                        {
                            expected += a[l - 1][i, m] * SimulationTestHelpers.At(gamma, k - l, m, j);
                        }
                    }

                    Assert.True(Math.Abs(expected - gamma[k][i, j]) <= 1e-10 * scale, $"Yule–Walker k={k} [{i},{j}]: {gamma[k][i, j]} vs {expected}");
                }
            }
        }

        // Γ(0) is symmetric and positive on the diagonal.
        for (int i = 0; i < c; i++)
        {
            Assert.True(gamma[0][i, i] > 0);
            for (int j = 0; j < c; j++)
            {
                Assert.Equal(gamma[0][i, j], gamma[0][j, i]);
            }
        }
    }

    [Fact]
    public void ConstructorRejectsMalformedMatrices()
    {
        Assert.Throws<ArgumentException>(() => new VarNetwork([]));
        Assert.Throws<ArgumentException>(() => new VarNetwork([new double[2, 2], new double[3, 3]]));
        Assert.Throws<ArgumentException>(() => new VarNetwork([new double[,] { { double.NaN } }]));
        Assert.Throws<InvalidOperationException>(() => new VarNetwork([new double[,] { { 1.5 } }]).TheoreticalCovariance(1));
    }

    [Fact]
    public void WithAddedCoefficientLeavesTheOriginalUnchanged()
    {
        var network = SimulationTestHelpers.SmallNetwork();
        var changed = network.WithAddedCoefficient(1, 2, 0, 0.25);

        Assert.Equal(0, network.Coefficient(1, 2, 0));
        Assert.Equal(0.25, changed.Coefficient(1, 2, 0));
        Assert.Contains(new LaggedEdge(0, 2, 1, 0.25), changed.Edges);
        Assert.Equal(network.Edges.Count + 1, changed.Edges.Count);
    }
}
