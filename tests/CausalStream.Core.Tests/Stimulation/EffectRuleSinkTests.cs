using CausalStream.Core.Stimulation;
using CausalStream.Core.Streams;

namespace CausalStream.Core.Tests.Stimulation;

/// <summary>The effect rule: a pulse when an effect estimate's interval excludes zero, once per excursion.</summary>
public sealed class EffectRuleSinkTests
{
    private static EffectEstimate Estimate(double? low, double? high, string estimator = "aipw", double csLow = double.NaN, double csHigh = double.NaN) => new()
    {
        Treatment = "stimulation",
        Outcome = "ch1 mean 2-22 ms",
        Estimator = estimator,
        Estimand = "ATE",
        Estimate = low is null ? null : (low + high) / 2,
        StandardError = low is null ? null : 0.1,
        CiLow = low,
        CiHigh = high,
        N = 50,
        WithheldReason = low is null ? "no treated units" : null,
        SourceTime = 12.5,
        Diagnostics = new Dictionary<string, double> { ["cs_low"] = csLow, ["cs_high"] = csHigh },
    };

    private static (EffectRuleSink Sink, StimulationController Controller, StimulationControllerTests.CollectingReceiver Receiver, List<StimulationDecision> Log) Create(params EffectRule[] rules)
    {
        var receiver = new StimulationControllerTests.CollectingReceiver();
        var log = new ListAudit();
        var controller = new StimulationController(new StimulationSafety { Armed = true, RefractorySeconds = 0, MaxPulsesPerSecond = 100, MaxPulsesPerMinute = 1000, MaxDosePerMinute = 100, StaleDataSeconds = 60 }, [receiver], log);
        controller.NoteData(MonotonicClock.Now);
        return (new EffectRuleSink(rules, controller), controller, receiver, log.Decisions);
    }

    private sealed class ListAudit : IStimulationAudit
    {
        public List<StimulationDecision> Decisions { get; } = [];

        public void Record(StimulationDecision decision) => Decisions.Add(decision);

        public void RecordState(bool armed, string reason, DateTime wallClock)
        {
        }
    }

    [Fact]
    public async Task FiresWhenTheIntervalExcludesZeroAndOnlyOncePerExcursion()
    {
        var (sink, _, receiver, log) = Create(new EffectRule { Name = "effect-established", StimulateChannel = 2, Amplitude = 1.5, DurationSeconds = 0.002 });
        await sink.ConsumeAsync(Estimate(-0.1, 0.5), default);   // covers zero
        Assert.Empty(receiver.Commands);
        await sink.ConsumeAsync(Estimate(0.2, 0.9), default);    // excludes zero
        await sink.ConsumeAsync(Estimate(0.3, 0.8), default);    // still excluded: no second request
        Assert.Single(receiver.Commands);
        Assert.Equal(2, receiver.Commands[0].Channel);
        Assert.Equal(12.5, receiver.Commands[0].IssuedAt);
        Assert.Single(log);
        Assert.Contains("95% CI [0.2, 0.9] excludes 0", log[0].Request.Inputs);

        await sink.ConsumeAsync(Estimate(null, null), default);  // withheld: resets
        await sink.ConsumeAsync(Estimate(-0.9, -0.2), default);  // excluded again, below zero
        Assert.Equal(2, receiver.Commands.Count);
        await sink.ConsumeAsync(Estimate(0.2, 0.9, estimator: "dml"), default); // another estimator: ignored
        Assert.Equal(2, receiver.Commands.Count);
    }

    [Fact]
    public async Task DirectionConsecutiveEstimatesAndTheConfidenceSequence()
    {
        var (sink, _, receiver, _) = Create(
            new EffectRule { Name = "up", StimulateChannel = 0, Direction = "positive", ConsecutiveEstimates = 2 },
            new EffectRule { Name = "cs", StimulateChannel = 1, UseConfidenceSequence = true, Estimator = "ipw_logged" });
        await sink.ConsumeAsync(Estimate(-0.9, -0.2), default); // negative: "up" does not hold
        await sink.ConsumeAsync(Estimate(0.1, 0.4), default);
        Assert.Empty(receiver.Commands);
        await sink.ConsumeAsync(Estimate(0.1, 0.4), default);   // second in a row
        Assert.Single(receiver.Commands);

        await sink.ConsumeAsync(Estimate(0.1, 0.4, "ipw_logged", csLow: -0.2, csHigh: 0.7), default); // CI excludes, sequence does not
        Assert.Single(receiver.Commands);
        await sink.ConsumeAsync(Estimate(0.1, 0.4, "ipw_logged", csLow: 0.01, csHigh: 0.7), default);
        Assert.Equal(2, receiver.Commands.Count);
        Assert.Equal(1, receiver.Commands[1].Channel);
    }

    [Fact]
    public void BadRulesAreRefusedNamingTheRule()
    {
        var controller = new StimulationController(new StimulationSafety(), []);
        Assert.Contains("rule 'x': direction", Assert.Throws<ArgumentException>(() => new EffectRuleSink([new EffectRule { Name = "x", StimulateChannel = 0, Direction = "up" }], controller)).Message);
        Assert.Contains("consecutiveEstimates", Assert.Throws<ArgumentException>(() => new EffectRuleSink([new EffectRule { Name = "x", StimulateChannel = 0, ConsecutiveEstimates = 0 }], controller)).Message);
    }
}
