namespace CausalStream.Engine.Effects;

/// <summary>A frequency band [LowHz, HighHz] for band-power covariates and outcomes.</summary>
public sealed record FrequencyBand
{
    /// <summary>Lower edge in Hz (inclusive).</summary>
    public required double LowHz { get; init; }

    /// <summary>Upper edge in Hz (inclusive).</summary>
    public required double HighHz { get; init; }
}
