using CausalStream.Core.Simulation;
using CausalStream.Core.Streams;
using CausalStream.Engine.Effects;
using Xunit.Abstractions;

namespace CausalStream.Engine.Tests.Effects;

/// <summary>
/// The confounded stimulation scenario on the simulator's network: the naive difference in means is biased, the
/// adjusted estimators cover the true effect computed in closed form from the network.
/// </summary>
public sealed class ConfoundedScenarioTests(ITestOutputHelper output)
{
    internal static readonly SimulatorOptions Simulator = new() { Channels = 4, SampleRate = 500, MaxLag = 3, Seed = 5, CrossEdges = 4, Paced = false };

    internal static readonly EventTableOptions Events = new()
    {
        PreWindowSeconds = 0.01, // 5 samples: the confounder's window
        CovariateChannels = [0, 1],
        Mean = true,
        Variance = false,
        Last = true,
        OutcomeChannel = 0,
        OutcomeStartSeconds = 0.002,
        OutcomeEndSeconds = 0.022,
    };

    internal static (EventTableBuilder Builder, List<EventRow> Rows, double Truth) Measure(StimulationScenario scenario, int opportunities)
    {
        var run = scenario.Run(opportunities);
        var builder = new EventTableBuilder(run.Channels, run.SampleRate, Events);
        var history = new SampleHistory(run.SampleCount, run.Channels);
        history.Append(run.Samples, run.Timestamps, run.SampleCount);
        var rows = new List<EventRow>();
        foreach (var e in run.Events)
        {
            rows.Add(builder.TryBuild(history, e.Time, e.Treated ? 1 : 0, e.Propensity, "scenario")!);
        }

        return (builder, rows, scenario.TrueMeanEffect(0, builder.OutcomeFirstOffset, builder.OutcomeEndOffset));
    }

    [Fact]
    public void NaiveIsBiasedAndAdjustedEstimatorsCoverTheTruth()
    {
        var scenario = new StimulationScenario(Simulator, new StimulationScenarioOptions { ConfoundingStrength = 1.5, Seed = 3 });
        var (builder, rows, truth) = Measure(scenario, 3000);
        Assert.All(rows, r => Assert.Null(r.WithheldReason));
        var data = EffectData.FromTable(builder.ToEffectTable(rows, 5), "d", "y", builder.CovariateNames, "propensity", "fold");
        var all = EffectSuite.Run(data, "all");
        var incremental = new IncrementalEffectEstimator("stim", "y");
        foreach (var row in rows)
        {
            incremental.Add(row.Outcome, row.Treatment == 1, row.Propensity);
        }

        var fitted = IpwEstimator.Estimate(data, new EffectEstimatorOptions { UseLoggedPropensity = false });
        output.WriteLine($"truth {truth:F4}");
        foreach (var e in all.Append(fitted).Append(incremental.Ipw()))
        {
            output.WriteLine($"{e.Estimator,-14} {e.Estimate:F4} se {e.StandardError:F4} [{e.CiLow:F4}, {e.CiHigh:F4}] {e.WithheldReason}");
        }

        var diff = all.Single(e => e.Estimator == "diff");
        Assert.True(Math.Abs(diff.Estimate!.Value - truth) > 5 * diff.StandardError!.Value, $"naive {diff.Estimate} vs truth {truth}");
        foreach (var e in new[] { all.Single(e => e.Estimator == "aipw"), all.Single(e => e.Estimator == "aipw_crossfit"), all.Single(e => e.Estimator == "dml"), fitted, incremental.Ipw() })
        {
            Assert.True(e.CiLow <= truth && truth <= e.CiHigh, $"{e.Estimator}: [{e.CiLow}, {e.CiHigh}] misses {truth}");
        }
    }

    [Fact]
    public void TheTrueEffectIsTheMeanOfTheClosedFormPulseResponse()
    {
        var scenario = new StimulationScenario(Simulator, new StimulationScenarioOptions());
        var r = scenario.TrueResponse(12);
        double expected = 0;
        for (int t = 0; t < 10; t++)
        {
            expected += r[(t * 4) + 0]; // offsets 1..10 after the decision = onset + 0..9
        }

        Assert.Equal(expected / 10, scenario.TrueMeanEffect(0, 1, 11), 12);
        Assert.Equal(3, r[0], 12); // the pulse itself enters the stimulated channel at onset
    }
}
