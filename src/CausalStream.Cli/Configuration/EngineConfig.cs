namespace CausalStream.Cli.Configuration;

/// <summary>The analyses that run on the windows.</summary>
public sealed record EngineConfig
{
    /// <summary>Conditional Granger causality; null or enabled=false turns it off.</summary>
    public GrangerConfig? Granger { get; init; }

    /// <summary>Live effect estimation of stimulation (docs/effects.md); null or enabled=false turns it off.</summary>
    public EffectsConfig? Effects { get; init; }

    /// <summary>Live PCMCI (lagged causal discovery); null or enabled=false turns it off.</summary>
    public PcmciConfig? Pcmci { get; init; }

    /// <summary>Live PCMCI+ (lagged and contemporaneous links with orientations); null or enabled=false turns it off.</summary>
    public PcmciPlusConfig? PcmciPlus { get; init; }

    /// <summary>Live transfer entropy for chosen channel pairs; null or enabled=false turns it off.</summary>
    public TransferEntropyConfig? TransferEntropy { get; init; }
}
