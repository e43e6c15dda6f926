namespace CausalStream.Engine.Effects;

/// <summary>What an event row's outcome measures in the post-event window of the target channel.</summary>
public enum EventOutcome
{
    /// <summary>Mean amplitude over the latency range (the mean evoked response).</summary>
    MeanAmplitude,

    /// <summary>Band power over the latency range minus band power over the pre-event window.</summary>
    BandPowerChange,
}
