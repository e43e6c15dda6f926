using CausalStream.Core.Simulation;

namespace CausalStream.Core.Tests.Simulation;

/// <summary>The closed-form pulse response and the confounded stimulation scenario.</summary>
public sealed class StimulationScenarioTests
{
    private static readonly SimulatorOptions Options = new() { Channels = 4, SampleRate = 500, MaxLag = 3, Seed = 5, CrossEdges = 4, Paced = false };

    [Fact]
    public void PulseResponseEqualsTheNoiseFreeSimulator()
    {
        var quiet = Options with { InnovationSd = 0, MeasurementNoiseSd = 0 };
        var generator = new VarGenerator(quiet);
        generator.AddPulse(1, 2.5, 3);
        var samples = new double[200 * 4];
        generator.Generate(samples, 200);
        var response = PulseResponse.Compute(generator.Network, 1, 2.5, 3, 200);
        for (int i = 0; i < samples.Length; i++)
        {
            Assert.Equal(samples[i], response[i], 12);
        }

        var delayed = PulseResponse.Compute(generator.Network, 1, 2.5, 3, 201, delaySamples: 1);
        Assert.Equal(0, delayed[1]);
        Assert.Equal(response[(50 * 4) + 2], delayed[(51 * 4) + 2], 15);
    }

    [Fact]
    public void TheScenarioLogsItsPropensityAndStimulatesMoreWhenTheConfounderIsHigh()
    {
        var scenario = new StimulationScenario(Options, new StimulationScenarioOptions { ConfoundingStrength = 1.5 });
        var run = scenario.Run(400);
        Assert.Equal(400, run.Events.Count);
        Assert.Equal(run.SampleCount * 4, run.Samples.Length);
        foreach (var e in run.Events)
        {
            Assert.Equal(scenario.Propensity(e.Confounder), e.Propensity, 15);
            Assert.InRange(e.Propensity, 0.05, 0.95);
            Assert.Equal(run.Timestamps[e.SampleIndex], e.Time, 12);
        }

        double high = run.Events.Where(e => e.Confounder > 0).Average(e => e.Treated ? 1.0 : 0.0);
        double low = run.Events.Where(e => e.Confounder <= 0).Average(e => e.Treated ? 1.0 : 0.0);
        Assert.True(high > low + 0.2, $"treated share {high} above zero vs {low} below");

        var again = scenario.Run(400);
        Assert.Equal(run.Samples, again.Samples);

        var randomised = new StimulationScenario(Options, new StimulationScenarioOptions { ConfoundingStrength = 0, BaseProbability = 0.3 });
        Assert.All(randomised.Run(50).Events, e => Assert.Equal(0.3, e.Propensity, 15));
    }

    [Fact]
    public void BadOptionsNameTheField()
    {
        var ex = Assert.Throws<ArgumentException>(() => new StimulationScenario(Options, new StimulationScenarioOptions { StimulatedChannel = 9 }));
        Assert.Contains("StimulationScenarioOptions.StimulatedChannel", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => new StimulationScenario(Options, new StimulationScenarioOptions { BaseProbability = 1 }));
        Assert.Contains("BaseProbability", ex.Message);
    }
}
