namespace CausalStream.Engine.Effects;

/// <summary>
/// Settings of an <see cref="EffectStage"/>: which events count (stimulation rules, marker streams), how each
/// event row is measured, which estimators run and how, and the true effect when the source is a simulator.
/// </summary>
public sealed record EffectStageOptions
{
    /// <summary>Every estimator name the stage accepts.</summary>
    public static readonly IReadOnlyList<string> KnownEstimators = ["diff", "ipw_logged", "ipw", "aipw", "dml", "match"];

    /// <summary>Name of the treatment in published estimates.</summary>
    public string Treatment { get; init; } = "stimulation";

    /// <summary>Name of the outcome in published estimates; null = derived from the outcome settings.</summary>
    public string? Outcome { get; init; }

    /// <summary>How rows are measured.</summary>
    public EventTableOptions Events { get; init; } = new();

    /// <summary>Stimulation rules whose decisions are events; empty = every rule.</summary>
    public IReadOnlyList<string> Rules { get; init; } = [];

    /// <summary>Marker stream whose events are also rows (e.g. a recorded stimulator's markers, or sham events); null = none.</summary>
    public string? MarkerStream { get; init; }

    /// <summary>Payload prefix of a marker that means "stimulated".</summary>
    public string TreatedMarker { get; init; } = "stim";

    /// <summary>Payload prefix of a marker that means "sham" (an untreated opportunity).</summary>
    public string ShamMarker { get; init; } = "sham";

    /// <summary>Estimators to publish after each event, in order.</summary>
    public IReadOnlyList<string> Estimators { get; init; } = ["diff", "ipw_logged", "ipw", "aipw", "dml"];

    /// <summary>Cross-fitting folds (contiguous time blocks) of the batch estimators.</summary>
    public int Folds { get; init; } = 5;

    /// <summary>Usable rows before the batch estimators (ipw, aipw, dml, match) run.</summary>
    public int MinEvents { get; init; } = 30;

    /// <summary>
    /// The batch estimators are recomputed when the usable rows grew by this fraction since their last computation
    /// (at least one row; 0 = after every event), and always at the end of the input: their cost grows with the rows,
    /// so a long session stays cheap. The difference in means and the logged IPW are updated after every event.
    /// </summary>
    public double BatchGrowth { get; init; } = 0.02;

    /// <summary>Settings of the batch estimators (clipping, ridge, caliper).</summary>
    public EffectEstimatorOptions Estimation { get; init; } = new();

    /// <summary>Event count at which the confidence sequence is tightest.</summary>
    public double SequenceTightestAt { get; init; } = 200;

    /// <summary>Causal-graph edges ("ch1->ch2") whose current weights become covariates.</summary>
    public IReadOnlyList<string> EdgeCovariates { get; init; } = [];

    /// <summary>The model-predicted effect of a pulse, published beside the measured one; null = none.</summary>
    public EffectPredictionOptions? Prediction { get; init; }

    /// <summary>The known true effect (simulated sources); published as the diagnostic <c>true_effect</c>.</summary>
    public double? TrueEffect { get; init; }
}
