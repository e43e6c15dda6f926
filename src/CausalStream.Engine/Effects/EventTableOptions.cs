namespace CausalStream.Engine.Effects;

/// <summary>
/// How an event row is measured from the samples around an event: the pre-event window and its per-channel
/// features (the covariates), and the post-event latency range and outcome on a target channel.
/// </summary>
public sealed record EventTableOptions
{
    /// <summary>Length of the pre-event window, ending at the event sample (inclusive), in seconds.</summary>
    public double PreWindowSeconds { get; init; } = 0.1;

    /// <summary>Channels whose features become covariates; null = every channel.</summary>
    public IReadOnlyList<int>? CovariateChannels { get; init; }

    /// <summary>Per-channel mean over the pre-event window.</summary>
    public bool Mean { get; init; } = true;

    /// <summary>Per-channel variance (ddof 0) over the pre-event window.</summary>
    public bool Variance { get; init; } = true;

    /// <summary>Per-channel value of the event sample (the newest sample a rule saw).</summary>
    public bool Last { get; init; } = true;

    /// <summary>Per-channel band power over the pre-event window, one covariate per band.</summary>
    public IReadOnlyList<FrequencyBand> Bands { get; init; } = [];

    /// <summary>Channel whose response is the outcome.</summary>
    public int OutcomeChannel { get; init; }

    /// <summary>Start of the latency range after the event sample, in seconds (inclusive).</summary>
    public double OutcomeStartSeconds { get; init; } = 0.002;

    /// <summary>End of the latency range, in seconds (exclusive).</summary>
    public double OutcomeEndSeconds { get; init; } = 0.022;

    /// <summary>What the outcome measures.</summary>
    public EventOutcome Outcome { get; init; } = EventOutcome.MeanAmplitude;

    /// <summary>Band of a <see cref="EventOutcome.BandPowerChange"/> outcome.</summary>
    public FrequencyBand? OutcomeBand { get; init; }
}
