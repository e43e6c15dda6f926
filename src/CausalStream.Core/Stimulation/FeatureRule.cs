namespace CausalStream.Core.Stimulation;

/// <summary>
/// A fast-path rule, evaluated on every chunk without waiting for graph solves: a feature of one channel's
/// latest samples (band power, or the raw value) against a threshold, fired on crossing or while the level holds.
/// </summary>
public sealed record FeatureRule
{
    public required string Name { get; init; }

    /// <summary>Channel whose feature is watched (zero-based).</summary>
    public required int Channel { get; init; }

    /// <summary>bandPower (band-passed, smoothed mean square) or value (the latest raw sample).</summary>
    public FeatureKind Feature { get; init; } = FeatureKind.BandPower;

    public double BandLowHz { get; init; } = 8;

    public double BandHighHz { get; init; } = 12;

    public double SmoothingSeconds { get; init; } = 0.1;

    public required double Threshold { get; init; }

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
}
