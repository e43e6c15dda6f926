using CausalStream.Core.Simulation;

namespace CausalStream.Core.Tests.Simulation;

public class VarGeneratorTests
{
    private static double[] Generate(VarGenerator generator, int samples)
    {
        var buffer = new double[samples * generator.Channels];
        generator.Generate(buffer, samples);
        return buffer;
    }

    private static SimulatorOptions Rich(int seed) => new()
    {
        Seed = seed,
        Paced = false,
        MeasurementNoiseSd = 0.2,
        Rhythms = [new RhythmDrive(0, 10, 0.5), new RhythmDrive(3, 23, 0.3, 1.0)],
    };

    [Fact]
    public void SameSeedGivesIdenticalSamplesAndDifferentSeedDiffers()
    {
        var a = Generate(new VarGenerator(Rich(1)), 5000);
        var b = Generate(new VarGenerator(Rich(1)), 5000);
        var c = Generate(new VarGenerator(Rich(2)), 5000);

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void BlockSizesDoNotChangeTheSequence()
    {
        var whole = Generate(new VarGenerator(Rich(4)), 3000);
        var generator = new VarGenerator(Rich(4));
        var pieces = new double[whole.Length];
        int done = 0;
        int[] sizes = [1, 7, 13, 0, 250, 3];
        for (int i = 0; done < 3000; i++)
        {
            int size = Math.Min(sizes[i % sizes.Length], 3000 - done);
            generator.Generate(pieces.AsSpan(done * 8), size);
            done += size;
        }

        Assert.Equal(whole, pieces);
        Assert.Equal(3000, generator.SampleIndex);
    }

    [Fact]
    public void LongRunStaysBoundedAndFinite()
    {
        var generator = new VarGenerator(new SimulatorOptions { Seed = 21, Paced = false });
        var gamma = generator.TheoreticalCovariance(0);
        double maxSd = 0;
        for (int i = 0; i < 8; i++)
        {
            maxSd = Math.Max(maxSd, Math.Sqrt(gamma[0][i, i]));
        }

        var buffer = new double[1000 * 8];
        double maxAbs = 0;
        for (int block = 0; block < 200; block++)
        {
            generator.Generate(buffer, 1000);
            foreach (double value in buffer)
            {
                Assert.True(double.IsFinite(value));
                maxAbs = Math.Max(maxAbs, Math.Abs(value));
            }
        }

        // 1.6 million Gaussian values: the largest lies near 5 SD; 8 SD would mean a broken recursion.
        Assert.True(maxAbs < 8 * maxSd, $"max |x| = {maxAbs}, largest stationary SD = {maxSd}");
        Assert.True(maxAbs > 2 * maxSd);
    }

    [Fact]
    public void SampleCovarianceMatchesTheoryWithinBartlettErrorAndAWrongCoefficientFails()
    {
        const int channels = 5;
        const int p = 2;
        const int samples = 200_000;
        const int burnIn = 2_000;
        var options = new SimulatorOptions
        {
            Channels = channels,
            MaxLag = p,
            Seed = 17,
            CrossEdges = 6,
            CrossCoefficientMin = 0.2,
            CrossCoefficientMax = 0.4,
            SelfPoleRadiusMin = 0.5,
            SelfPoleRadiusMax = 0.8,
            MaxSpectralRadius = 0.9,
            InnovationSd = 1.5,
            MeasurementNoiseSd = 0.7,
            Paced = false,
        };
        var generator = new VarGenerator(options);
        Generate(generator, burnIn);
        var data = Generate(generator, samples);
        var sample = SimulationTestHelpers.SampleCovariance(data, channels, p);

        var theory = generator.TheoreticalCovariance(400);
        double worst = MaxStandardisedError(sample, theory, samples);
        Assert.True(worst < 5, $"largest |sample − theory| is {worst:F2} Bartlett standard errors");

        // The same check against a model with one edge's coefficient off by 0.05 must fail clearly.
        var edge = generator.Network.Edges[0];
        var wrong = generator.Network.WithAddedCoefficient(edge.Lag, edge.Target, edge.Source, 0.05)
            .TheoreticalCovariance(400, options.InnovationSd, options.MeasurementNoiseSd);
        Assert.True(MaxStandardisedError(sample, wrong, samples) > 8);

        // Forgetting the measurement noise on lag 0 must fail too.
        var noNoise = generator.Network.TheoreticalCovariance(400, options.InnovationSd, 0);
        Assert.True(MaxStandardisedError(sample, noNoise, samples) > 8);
    }

    private static double MaxStandardisedError(double[][,] sample, double[][,] theory, int samples)
    {
        double worst = 0;
        int channels = sample[0].GetLength(0);
        for (int k = 0; k < sample.Length; k++)
        {
            for (int i = 0; i < channels; i++)
            {
                for (int j = 0; j < channels; j++)
                {
                    double se = SimulationTestHelpers.BartlettStandardError(theory, i, j, k, samples);
                    worst = Math.Max(worst, Math.Abs(sample[k][i, j] - theory[k][i, j]) / se);
                }
            }
        }

        return worst;
    }

    [Fact]
    public void PulseResponseIsExactlyTheVarImpulseResponse()
    {
        var options = Rich(8) with { Channels = 3, MaxLag = 2, Rhythms = [new RhythmDrive(0, 10, 0.5), new RhythmDrive(2, 31, 0.7)] };
        var network = SimulationTestHelpers.SmallNetwork();
        var stimulated = new VarGenerator(options, network);
        var control = new VarGenerator(options, network);
        Generate(stimulated, 137);
        Generate(control, 137);

        stimulated.AddPulse(0, 2.5, 3);
        const int horizon = 200;
        var withPulse = Generate(stimulated, horizon);
        var without = Generate(control, horizon);
        var expected = SimulationTestHelpers.PulseResponse(network, 0, 2.5, 3, horizon);

        for (int t = 0; t < horizon; t++)
        {
            for (int ch = 0; ch < 3; ch++)
            {
                Assert.Equal(expected[t, ch], withPulse[t * 3 + ch] - without[t * 3 + ch], 1e-9);
            }
        }

        // The pulse reaches channel 1 one sample later (edge 0→1, lag 1) and channel 2 after 1→2 (lag 2).
        Assert.Equal(0, expected[0, 1]);
        Assert.Equal(2.5 * 0.4, expected[1, 1], 1e-12);
        Assert.Equal(0, expected[2, 2]);
        Assert.NotEqual(0, expected[3, 2]);
        Assert.Equal(0, stimulated.ActivePulses);
    }

    [Fact]
    public void PulseOnASinkChannelDoesNotReachOtherChannels()
    {
        var options = SimulationTestHelpers.SmallOptions();
        var network = SimulationTestHelpers.SmallNetwork();
        var stimulated = new VarGenerator(options, network);
        var control = new VarGenerator(options, network);
        stimulated.AddPulse(2, -4, 1);

        var withPulse = Generate(stimulated, 100);
        var without = Generate(control, 100);

        for (int t = 0; t < 100; t++)
        {
            Assert.Equal(withPulse[t * 3], without[t * 3]);
            Assert.Equal(withPulse[t * 3 + 1], without[t * 3 + 1]);
        }

        Assert.Equal(-4, withPulse[2] - without[2], 1e-12);
    }

    [Fact]
    public void ScheduledEdgeTakesEffectExactlyFromItsOnsetAndEndsAtItsOffset()
    {
        var network = SimulationTestHelpers.SmallNetwork();
        var baseOptions = SimulationTestHelpers.SmallOptions();

        // Edge 2→0 at lag 1 with coefficient 0.3: on at 0.1 s (sample 50) and off at 0.3 s (sample 150).
        var window = new ScheduledEdge(2, 0, 1, 0.3, 0.1, 0.3);
        var withWindow = Generate(new VarGenerator(baseOptions with { EdgeSchedule = [window] }, network), 400);
        var plain = Generate(new VarGenerator(baseOptions, network), 400);
        var forever = Generate(new VarGenerator(baseOptions with { EdgeSchedule = [window with { OffAt = null }] }, network), 400);

        Assert.Equal(plain.AsSpan(0, 50 * 3).ToArray(), withWindow.AsSpan(0, 50 * 3).ToArray());
        Assert.Equal(0.3 * plain[(49 * 3) + 2], withWindow[50 * 3] - plain[50 * 3], 1e-12);
        Assert.Equal(plain[(50 * 3) + 1], withWindow[(50 * 3) + 1]);
        Assert.Equal(plain[(50 * 3) + 2], withWindow[(50 * 3) + 2]);

        Assert.Equal(forever.AsSpan(0, 150 * 3).ToArray(), withWindow.AsSpan(0, 150 * 3).ToArray());
        Assert.Equal(-0.3 * forever[(149 * 3) + 2], withWindow[150 * 3] - forever[150 * 3], 1e-12);

        var generator = new VarGenerator(baseOptions with { EdgeSchedule = [window] }, network);
        Assert.DoesNotContain(generator.NetworkAt(0.099).Edges, e => e.Source == 2 && e.Target == 0);
        Assert.Contains(new LaggedEdge(2, 0, 1, 0.3), generator.NetworkAt(0.1).Edges);
        Assert.Contains(new LaggedEdge(2, 0, 1, 0.3), generator.NetworkAt(0.2999).Edges);
        Assert.DoesNotContain(generator.NetworkAt(0.3).Edges, e => e.Source == 2 && e.Target == 0);
    }

    [Fact]
    public void ScheduleThatDestabilisesTheNetworkIsRejected()
    {
        var options = SimulationTestHelpers.SmallOptions() with { EdgeSchedule = [new ScheduledEdge(2, 2, 1, 0.9, 1.0)] };

        var error = Assert.Throws<ArgumentException>(() => new VarGenerator(options, SimulationTestHelpers.SmallNetwork()));
        Assert.Contains("EdgeSchedule", error.Message);
    }

    [Fact]
    public void GenerateRejectsATooSmallBuffer()
    {
        var generator = new VarGenerator(SimulationTestHelpers.SmallOptions(), SimulationTestHelpers.SmallNetwork());

        Assert.Throws<ArgumentException>(() => generator.Generate(new double[8], 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => generator.AddPulse(3, 1, 1));
    }

    [Fact]
    public void NetworkOfTheWrongSizeIsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new VarGenerator(new SimulatorOptions { Paced = false }, SimulationTestHelpers.SmallNetwork()));
        Assert.Contains("Channels", error.Message);
    }
}
