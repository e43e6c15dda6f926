using CausalStream.Core.Simulation;
using CausalStream.Core.Streams;
using CausalStream.Engine.Effects;

namespace CausalStream.Cli.Configuration;

/// <summary>
/// The live effect stage (engine.effects): which stimulation decisions or markers are events, how each event
/// row is measured (pre-event covariates, post-event outcome), and which estimators publish after each event.
/// See docs/effects.md.
/// </summary>
public sealed record EffectsConfig
{
    /// <summary>Feature names accepted in <see cref="Features"/>.</summary>
    public static readonly IReadOnlyList<string> FeatureNames = ["mean", "variance", "last"];

    public bool Enabled { get; init; } = true;

    /// <summary>Stream to measure; null = the source's first regular stream.</summary>
    public string? Stream { get; init; }

    /// <summary>Treatment name in the published estimates.</summary>
    public string Treatment { get; init; } = "stimulation";

    /// <summary>Outcome name in the published estimates; null = derived (e.g. "ch1 mean 2-22 ms").</summary>
    public string? Outcome { get; init; }

    /// <summary>Stimulation rules whose decisions are events; empty = every rule.</summary>
    public IReadOnlyList<string> Rules { get; init; } = [];

    /// <summary>Marker stream whose "stim…"/"sham…" markers are also events; null = none.</summary>
    public string? MarkerStream { get; init; }

    public string TreatedMarker { get; init; } = "stim";

    public string ShamMarker { get; init; } = "sham";

    public double PreWindowSeconds { get; init; } = 0.1;

    /// <summary>Zero-based channels whose pre-event features are covariates; null = all.</summary>
    public IReadOnlyList<int>? CovariateChannels { get; init; }

    /// <summary>Per-channel pre-event features: mean, variance, last.</summary>
    public IReadOnlyList<string> Features { get; init; } = ["mean", "variance", "last"];

    /// <summary>Band-power covariates per channel.</summary>
    public IReadOnlyList<FrequencyBand> Bands { get; init; } = [];

    /// <summary>Causal-graph edges ("ch1->ch2") whose current weights are covariates (needs engine.granger).</summary>
    public IReadOnlyList<string> EdgeCovariates { get; init; } = [];

    /// <summary>Zero-based channel whose response is the outcome.</summary>
    public int OutcomeChannel { get; init; }

    public double OutcomeStartSeconds { get; init; } = 0.002;

    public double OutcomeEndSeconds { get; init; } = 0.022;

    /// <summary>meanAmplitude or bandPowerChange.</summary>
    public EventOutcome OutcomeKind { get; init; } = EventOutcome.MeanAmplitude;

    /// <summary>Band of a bandPowerChange outcome.</summary>
    public FrequencyBand? OutcomeBand { get; init; }

    /// <summary>Estimators published after each event: diff, ipw_logged, ipw, aipw, dml, match.</summary>
    public IReadOnlyList<string> Estimators { get; init; } = ["diff", "ipw_logged", "ipw", "aipw", "dml"];

    public int Folds { get; init; } = 5;

    /// <summary>Usable events before the batch estimators run.</summary>
    public int MinEvents { get; init; } = 30;

    /// <summary>Batch estimators are recomputed when the usable events grew by this fraction (0 = after every event).</summary>
    public double BatchGrowth { get; init; } = 0.02;

    /// <summary>Ridge α of the DML nuisance regressions (0 = OLS).</summary>
    public double RidgeAlpha { get; init; }

    /// <summary>Propensities are clipped to [clip, 1 − clip]; 0 = off.</summary>
    public double Clip { get; init; } = 0.01;

    public double SequenceAlpha { get; init; } = 0.05;

    /// <summary>Event count at which the confidence sequence is tightest.</summary>
    public double SequenceTightestAt { get; init; } = 200;

    /// <summary>The model-predicted effect of the rule's pulse; null = none.</summary>
    public EffectPredictionConfig? Prediction { get; init; }

    /// <summary>Console lines: one summary every this many events (when the console sink is on).</summary>
    public int ConsoleEvery { get; init; } = 10;

    /// <summary>The stage settings, with the known true effect when the source is the simulator.</summary>
    public EffectStageOptions ToStageOptions(double? trueEffect, EffectPredictionOptions? prediction = null) => new()
    {
        Prediction = prediction,
        Treatment = Treatment,
        Outcome = Outcome,
        Rules = Rules,
        MarkerStream = MarkerStream,
        TreatedMarker = TreatedMarker,
        ShamMarker = ShamMarker,
        Events = new EventTableOptions
        {
            PreWindowSeconds = PreWindowSeconds,
            CovariateChannels = CovariateChannels,
            Mean = Contains(Features, "mean"),
            Variance = Contains(Features, "variance"),
            Last = Contains(Features, "last"),
            Bands = Bands,
            OutcomeChannel = OutcomeChannel,
            OutcomeStartSeconds = OutcomeStartSeconds,
            OutcomeEndSeconds = OutcomeEndSeconds,
            Outcome = OutcomeKind,
            OutcomeBand = OutcomeBand,
        },
        Estimators = Estimators,
        Folds = Folds,
        MinEvents = MinEvents,
        BatchGrowth = BatchGrowth,
        Estimation = new EffectEstimatorOptions { RidgeAlpha = RidgeAlpha, ClipLow = Clip, SequenceAlpha = SequenceAlpha },
        SequenceTightestAt = SequenceTightestAt,
        EdgeCovariates = EdgeCovariates,
        TrueEffect = trueEffect,
    };

    /// <summary>
    /// Builds the stage for <paramref name="stream"/>. When the source is the simulator and every selected feature
    /// or edge rule delivers the same pulse to the same channel, the true effect of that pulse on a mean-amplitude
    /// outcome is computed from the simulator's network and published with each estimate.
    /// </summary>
    /// <exception cref="ConfigException">A setting the stream cannot satisfy.</exception>
    public EffectStage CreateStage(StreamInfo stream, VarSimulator? simulator, StimulationConfig? stimulation)
    {
        ArgumentNullException.ThrowIfNull(stream);
        double? truth = null;
        EffectPredictionOptions? prediction = null;
        if (stimulation is { Enabled: true })
        {
            var pulses = new List<(int Channel, double Amplitude, double Duration)>();
            foreach (var rule in stimulation.FeatureRules)
            {
                if (Rules.Count == 0 || Contains(Rules, rule.Name))
                {
                    pulses.Add((rule.StimulateChannel ?? rule.Channel, rule.Amplitude, rule.DurationSeconds));
                }
            }

            if (pulses.Count > 0 && pulses.TrueForAll(p => p == pulses[0]))
            {
                if (simulator is not null)
                {
                    truth = EffectStage.SimulatedTrueEffect(simulator.Network, simulator.Options.SampleRate, ToStageOptions(null).Events, pulses[0].Channel, pulses[0].Amplitude, pulses[0].Duration);
                }

                if (Prediction is { Enabled: true } settings)
                {
                    prediction = new EffectPredictionOptions
                    {
                        Channel = pulses[0].Channel,
                        Amplitude = pulses[0].Amplitude,
                        DurationSeconds = pulses[0].Duration,
                        Lags = settings.Lags,
                        WindowSeconds = settings.WindowSeconds,
                        EverySeconds = settings.EverySeconds,
                        HorizonSeconds = settings.HorizonSeconds,
                    };
                }
            }
        }

        try
        {
            return new EffectStage(stream, ToStageOptions(truth, prediction));
        }
        catch (ArgumentException ex)
        {
            throw new ConfigException("configuration", "engine.effects", ex.Message.Split(" (Parameter", 2)[0]);
        }
    }

    private static bool Contains(IReadOnlyList<string> list, string value)
    {
        foreach (string item in list)
        {
            if (item == value)
            {
                return true;
            }
        }

        return false;
    }
}
