using CausalStream.Core.Pipeline;
using CausalStream.Core.Stimulation;
using CausalStream.Core.Streams;

namespace CausalStream.Core.Tests.Stimulation;

public sealed class FeatureTriggerStageTests
{
    private static readonly StreamInfo Lfp = new("lfp", "LFP", "test", 2, 1000, ChannelFormat.Double64);

    [Theory]
    [InlineData(10.0, 1.0)]
    [InlineData(10.0, 3.0)]
    public void BandPowerOfAnInBandSineIsHalfItsSquaredAmplitude(double frequency, double amplitude)
    {
        var tracker = new BandPowerTracker(1000, 8, 12, 0.2);
        for (int i = 0; i < 5000; i++)
        {
            tracker.Add(amplitude * Math.Sin(2 * Math.PI * frequency * i / 1000));
        }

        Assert.Equal(amplitude * amplitude / 2, tracker.Power, amplitude * amplitude * 0.03);
    }

    [Fact]
    public void OutOfBandSineHasLittlePower()
    {
        var tracker = new BandPowerTracker(1000, 8, 12, 0.2);
        for (int i = 0; i < 5000; i++)
        {
            tracker.Add(Math.Sin(2 * Math.PI * 50 * i / 1000));
        }

        Assert.True(tracker.Power < 0.01, $"50 Hz leaked {tracker.Power} into the 8-12 Hz band");
    }

    [Fact]
    public async Task CrossingRuleFiresOnceWhenAnAlphaBurstStarts()
    {
        var receiver = new StimulationControllerTests.CollectingReceiver();
        var controller = new StimulationController(new StimulationSafety { Armed = true, StaleDataSeconds = 60 }, [receiver]);
        var rule = new FeatureRule { Name = "alpha", Channel = 1, Threshold = 0.25, StimulateChannel = 0, BandLowHz = 8, BandHighHz = 12, SmoothingSeconds = 0.05 };
        var stage = new FeatureTriggerStage(Lfp, [rule], controller);
        double firedAt = double.NaN;
        for (int k = 0; k < 300; k++)
        {
            using var chunk = SampleChunk.Rent(Lfp, 10, MonotonicClock.Now);
            for (int i = 0; i < 10; i++)
            {
                double t = ((k * 10) + i) / 1000.0;
                chunk.Timestamps[i] = t;
                chunk.Values[(i * 2) + 0] = 0;
                chunk.Values[(i * 2) + 1] = t >= 1.0 && t < 2.0 ? Math.Sin(2 * Math.PI * 10 * t) : 0;
            }

            int before = receiver.Commands.Count;
            await stage.OnChunkAsync(chunk, NullPublisher.Instance, CancellationToken.None);
            if (receiver.Commands.Count > before && double.IsNaN(firedAt))
            {
                firedAt = chunk.Timestamps[9];
            }
        }

        var command = Assert.Single(receiver.Commands);
        Assert.Equal(0, command.Channel);
        Assert.Equal("alpha", command.Reason);
        Assert.InRange(firedAt, 1.0, 1.2); // power 0.5 in the burst reaches 0.25 within a few smoothing constants
    }

    [Fact]
    public async Task PhaseRuleStimulatesAtTheTroughOncePerCycleOnlyWhileTheRhythmIsStrong()
    {
        var receiver = new StimulationControllerTests.CollectingReceiver();
        var safety = new StimulationSafety { Armed = true, StaleDataSeconds = 60, RefractorySeconds = 0, MaxPulsesPerSecond = 100, MaxPulsesPerMinute = 10000, MaxDosePerMinute = 1000 };
        var controller = new StimulationController(safety, [receiver]);
        var rule = new FeatureRule { Name = "theta-trough", Channel = 1, Feature = FeatureKind.Phase, BandLowHz = 4, BandHighHz = 8, PhaseDegrees = 180, Threshold = 0.5 };
        var stage = new FeatureTriggerStage(Lfp, [rule], controller);
        const double frequency = 6;
        for (int n = 0; n < 6000; n++)
        {
            using var chunk = SampleChunk.Rent(Lfp, 1, MonotonicClock.Now);
            double t = n / 1000.0;
            chunk.Timestamps[0] = t;
            chunk.Values[0] = 0;
            chunk.Values[1] = (t < 3 ? 0.1 : 2.0) * Math.Cos(2 * Math.PI * frequency * t);
            await stage.OnChunkAsync(chunk, NullPublisher.Instance, CancellationToken.None);
        }

        // Weak rhythm (amplitude 0.1 < 0.5) for 3 s: nothing. Strong rhythm: once per cycle, at the trough.
        Assert.All(receiver.Commands, c => Assert.True(c.IssuedAt >= 3.0, $"pulse at {c.IssuedAt} s while the rhythm was weak"));
        Assert.InRange(receiver.Commands.Count, 16, 18);
        foreach (var command in receiver.Commands.Skip(2))
        {
            double truePhase = PhaseTracker.Wrap(2 * Math.PI * frequency * command.IssuedAt);
            Assert.True(Math.Abs(PhaseTracker.Wrap(truePhase - Math.PI)) < 5 * Math.PI / 180, $"pulse at phase {truePhase * 180 / Math.PI:F1} deg");
        }
    }

    [Fact]
    public void PhaseRulesMustFireOnCrossings()
    {
        var controller = new StimulationController(new StimulationSafety(), []);
        var error = Assert.Throws<ArgumentException>(() => new FeatureTriggerStage(Lfp, [new FeatureRule { Name = "p", Channel = 0, Feature = FeatureKind.Phase, Threshold = 1, Trigger = TriggerMode.Level }], controller));
        Assert.Contains("rule 'p': phase rules fire on crossings", error.Message);
    }

    [Fact]
    public void RuleOnAMissingChannelOrImpossibleBandIsRefused()
    {
        var controller = new StimulationController(new StimulationSafety(), []);
        var error = Assert.Throws<ArgumentException>(() => new FeatureTriggerStage(Lfp, [new FeatureRule { Name = "x", Channel = 5, Threshold = 1 }], controller));
        Assert.Contains("rule 'x': channel 5 is outside stream 'lfp'", error.Message);
        error = Assert.Throws<ArgumentException>(() => new FeatureTriggerStage(Lfp, [new FeatureRule { Name = "y", Channel = 0, Threshold = 1, BandLowHz = 400, BandHighHz = 600 }], controller));
        Assert.Contains("rule 'y': band 400-600 Hz", error.Message);
    }

    [Fact]
    public async Task EdgeRuleFiresAfterConsecutiveGraphsAndRestartsItsCount()
    {
        var receiver = new StimulationControllerTests.CollectingReceiver();
        var controller = new StimulationController(new StimulationSafety { Armed = true, RefractorySeconds = 0, StaleDataSeconds = 60 }, [receiver]);
        controller.NoteData(MonotonicClock.Now);
        var sink = new GraphRuleSink([new EdgeRule { Name = "a-b", Source = "a", Target = "b", Threshold = 0.1, ConsecutiveHops = 3 }], controller);
        double[] weights = [0.2, 0.2, 0.05, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2];
        int sequence = 0;
        foreach (double w in weights)
        {
            var edges = new[] { new CausalEdge(0, 1, w, 1, 1, 1, 0.01, 0.01, true, [w], [1.0]), new CausalEdge(1, 0, 0, 0, 1, 1, 1, 1, false, [0.0], [0.0]) };
            var graph = new CausalGraph("s", 0, 1, 100, 99, 0, ["a", "b"], "granger", 1, "fdr_bh", 0.05, false, ++sequence, edges);
            await sink.ConsumeAsync(graph, CancellationToken.None);
        }

        Assert.Equal(2, receiver.Commands.Count); // graphs 4-6 and 7-9
        Assert.All(receiver.Commands, c => Assert.Equal(0, c.Channel));
    }

    private sealed class NullPublisher : IResultPublisher
    {
        public static readonly NullPublisher Instance = new();

        public ValueTask PublishAsync(PipelineResult result, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
