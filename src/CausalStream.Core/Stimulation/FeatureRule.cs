namespace CausalStream.Core.Stimulation;

/// <summary>
/// A fast-path rule, evaluated on every chunk without waiting for graph solves: a feature of one channel's
/// latest samples (band power, or the raw value) against a threshold, fired on crossing or while the level holds;
/// or the band's phase crossing a target phase while the band's amplitude is at least the threshold.
/// </summary>
public sealed record FeatureRule
{
    public required string Name { get; init; }

    /// <summary>Channel whose feature is watched (zero-based).</summary>
    public required int Channel { get; init; }

    /// <summary>bandPower (band-passed, smoothed mean square), value (the latest raw sample) or phase (the band's instantaneous phase).</summary>
    public FeatureKind Feature { get; init; } = FeatureKind.BandPower;

    public double BandLowHz { get; init; } = 8;

    public double BandHighHz { get; init; } = 12;

    public double SmoothingSeconds { get; init; } = 0.1;

    /// <summary>The level the feature is compared with; for phase rules, the minimum band amplitude (2|z|) at the crossing.</summary>
    public required double Threshold { get; init; }

    /// <summary>Phase rules: the target phase in degrees (0 = the oscillation's peak, ±180 = trough, −90 = rising zero crossing).</summary>
    public double PhaseDegrees { get; init; }

    /// <summary>True: fire when the feature is above the threshold; false: below.</summary>
    public bool Above { get; init; } = true;

    /// <summary>crossing: once per crossing into the condition; level: on every chunk while it holds.</summary>
    public TriggerMode Trigger { get; init; } = TriggerMode.Crossing;

    /// <summary>Channel to stimulate; defaults to the watched channel.</summary>
    public int? StimulateChannel { get; init; }

    public double Amplitude { get; init; } = 1;

    public double DurationSeconds { get; init; } = 0.002;

    /// <summary>Probability of stimulating when the rule fires and every interlock passes (randomised designs).</summary>
    public double Probability { get; init; } = 1;

    /// <summary>
    /// Optional second level beyond <see cref="Threshold"/> (in the rule's direction): when the feature is beyond it,
    /// <see cref="HighProbability"/> is used instead of <see cref="Probability"/>. A state-dependent, logged
    /// randomisation: it confounds the naive effect estimate while keeping every propensity known.
    /// </summary>
    public double? HighThreshold { get; init; }

    /// <summary>Probability of stimulating when the feature is beyond <see cref="HighThreshold"/>.</summary>
    public double HighProbability { get; init; } = 1;
}
