using CausalStream.Core.Simulation;
using CausalStream.Engine.Effects;
using CausalStream.Engine.Graphs;
using CausalStream.Engine.Statistics;
using Xunit.Abstractions;

namespace CausalStream.Engine.Tests.Effects;

/// <summary>
/// Predicted responses to do(pulse) from a VAR fitted on simulated data, against the simulator's true response
/// computed in closed form from its known network.
/// </summary>
public sealed class InterventionPredictorTests(ITestOutputHelper output)
{
    private static readonly SimulatorOptions Options = new() { Channels = 4, SampleRate = 500, MaxLag = 2, CrossEdges = 5, CrossCoefficientMin = 0.2, CrossCoefficientMax = 0.4, Paced = false };

    private static (InterventionResult Prediction, double[] Truth, double TrueEffect) Run(int seed, int samples)
    {
        var options = Options with { Seed = seed };
        var generator = new VarGenerator(options);
        var data = new double[samples * 4];
        generator.Generate(data, samples);
        var stats = LaggedCovariance.FromData(data, 4, 2);
        var fit = new VarGrangerSolver(4, 2).Solve(stats);
        var prediction = InterventionPredictor.Predict(fit, stats, channel: 0, amplitude: 3, durationSamples: 2, horizon: 40, outcomeChannel: 2, outcomeFirst: 0, outcomeEnd: 10);
        var truth = PulseResponse.Compute(generator.Network, 0, 3, 2, 40);
        double trueEffect = PulseResponse.MeanOverWindow(generator.Network, 0, 3, 2, 2, 1, 11, 1); // offsets 1..10 after a decision = onset + 0..9
        return (prediction, truth, trueEffect);
    }

    [Fact]
    public void ThePredictedResponseMatchesTheTrueResponseWithinItsStatedUncertainty()
    {
        var (prediction, truth, trueEffect) = Run(seed: 4, samples: 20000);
        Assert.Null(prediction.WithheldReason);
        var se = prediction.StandardError!;
        int within2 = 0, points = 0;
        for (int o = 0; o < truth.Length; o++)
        {
            if (se[o] == 0)
            {
                Assert.Equal(truth[o], prediction.Response[o], 12); // the onset and the channels not yet reached are exact
                continue;
            }

            double z = (prediction.Response[o] - truth[o]) / se[o];
            Assert.True(Math.Abs(z) < 4.5, $"t={o / 4} ch{(o % 4) + 1}: predicted {prediction.Response[o]} ± {se[o]}, true {truth[o]}");
            points++;
            within2 += Math.Abs(z) <= 1.96 ? 1 : 0;
        }

        output.WriteLine($"{within2}/{points} response points within 1.96 se; outcome effect {prediction.OutcomeEffect} ± {prediction.OutcomeEffectSe}, true {trueEffect}");
        Assert.True(within2 >= 0.8 * points, $"{within2}/{points} within 1.96 se");
        Assert.True(Math.Abs(prediction.OutcomeEffect!.Value - trueEffect) < 3 * prediction.OutcomeEffectSe!.Value);
        Assert.Equal(3, prediction.Response[0], 12);
    }

    [Fact]
    public void TheDeltaMethodErrorsAreCalibratedAcrossIndependentSimulations()
    {
        // Over 40 independent recordings, the z-scores of the predicted outcome effect have unit spread.
        var z = new List<double>();
        for (int seed = 100; seed < 140; seed++)
        {
            var (prediction, _, trueEffect) = Run(seed, 4000);
            z.Add((prediction.OutcomeEffect!.Value - trueEffect) / prediction.OutcomeEffectSe!.Value);
        }

        double sd = Math.Sqrt(z.Sum(v => v * v) / z.Count);
        int covered = z.Count(v => Math.Abs(v) <= 1.96);
        output.WriteLine($"rms z {sd:F3}, {covered}/40 within 1.96");
        // Binomial(40, 0.95): P(covered ≤ 33) ≈ 0.5 %; the rms of 40 standard normals lies in [0.75, 1.25] with probability > 99 %.
        Assert.True(covered >= 34, $"{covered}/40 covered");
        Assert.InRange(sd, 0.75, 1.25);
    }

    [Fact]
    public void CollinearRegressorsGiveAWithheldUncertaintyNotAnException()
    {
        var data = new double[500 * 2];
        var random = new Random(2);
        for (int n = 0; n < 500; n++)
        {
            data[2 * n] = random.NextDouble();
            data[(2 * n) + 1] = data[2 * n]; // a duplicated channel
        }

        var stats = LaggedCovariance.FromData(data, 2, 1);
        var fit = new VarGrangerSolver(2, 1).Solve(stats);
        var prediction = InterventionPredictor.Predict(fit, stats, 0, 1, 1, 10);
        Assert.All(prediction.Response, v => Assert.True(double.IsFinite(v)));
        if (prediction.StandardError is null)
        {
            Assert.Contains("singular", prediction.WithheldReason);
        }
    }
}
