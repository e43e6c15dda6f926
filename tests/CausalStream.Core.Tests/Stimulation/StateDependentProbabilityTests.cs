using CausalStream.Core.Pipeline;
using CausalStream.Core.Stimulation;
using CausalStream.Core.Streams;

namespace CausalStream.Core.Tests.Stimulation;

/// <summary>A feature rule's second level: a higher, logged stimulation probability when the state is further beyond the threshold.</summary>
public sealed class StateDependentProbabilityTests
{
    private static readonly StreamInfo Lfp = new("lfp", "LFP", "test", 1, 1000, ChannelFormat.Double64);

    private sealed class ListAudit : IStimulationAudit
    {
        public List<StimulationDecision> Decisions { get; } = [];

        public void Record(StimulationDecision decision) => Decisions.Add(decision);

        public void RecordState(bool armed, string reason, DateTime wallClock)
        {
        }
    }

    [Fact]
    public async Task TheLoggedProbabilityFollowsTheLevelTheRuleSaw()
    {
        var audit = new ListAudit();
        var controller = new StimulationController(new StimulationSafety { Armed = true, RefractorySeconds = 0, MaxPulsesPerSecond = 1000, MaxPulsesPerMinute = 10000, MaxDosePerMinute = 1000, StaleDataSeconds = 60 }, [], audit);
        var rule = new FeatureRule { Name = "peak", Channel = 0, Feature = FeatureKind.Value, Threshold = 1, Trigger = TriggerMode.Level, Probability = 0.2, HighThreshold = 2, HighProbability = 0.8 };
        var stage = new FeatureTriggerStage(Lfp, [rule], controller);
        double[] levels = [0.5, 1.5, 2.5, 1.2, 3];
        foreach (double level in levels)
        {
            using var chunk = SampleChunk.Rent(Lfp, 1, MonotonicClock.Now);
            chunk.Values[0] = level;
            chunk.Timestamps[0] = 1;
            await stage.OnChunkAsync(chunk, null!, CancellationToken.None);
        }

        Assert.Equal([0.2, 0.8, 0.2, 0.8], audit.Decisions.Select(d => d.Request.Probability));
        Assert.All(audit.Decisions, d => Assert.Contains(d.Outcome, new[] { StimulationOutcome.Fired, StimulationOutcome.RandomizedOut }));
    }
}
