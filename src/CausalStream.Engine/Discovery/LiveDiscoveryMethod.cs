namespace CausalStream.Engine.Discovery;

/// <summary>Which constraint-based method a live <see cref="PcmciStage"/> runs on each window.</summary>
public enum LiveDiscoveryMethod
{
    /// <summary>PCMCI (PC1 condition selection, then MCI): lagged links, contemporaneous pairs unoriented.</summary>
    Pcmci,

    /// <summary>PCMCI+: lagged and contemporaneous links with collider and Meek-rule orientation.</summary>
    PcmciPlus,
}
