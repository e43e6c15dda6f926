namespace CausalStream.Engine.Discovery;

/// <summary>
/// Settings of a PCMCI+ run (Runge 2020), with tigramite's <c>run_pcmciplus</c> defaults: PC1 lagged condition
/// selection, the MCI skeleton phase with contemporaneous conditions, collider orientation and Meek-rule orientation.
/// </summary>
public sealed record PcmciPlusOptions
{
    /// <summary>Smallest lag (0 includes the contemporaneous links, which is what PCMCI+ is for).</summary>
    public int TauMin { get; init; }

    /// <summary>Largest lag τmax.</summary>
    public int TauMax { get; init; } = 1;

    /// <summary>Significance level of every stage (PC1, skeleton, collider tests).</summary>
    public double PcAlpha { get; init; } = 0.01;

    /// <summary>Largest conditioning-set size in PC1 and largest contemporaneous set in the skeleton; null = unlimited (the skeleton then stops at C).</summary>
    public int? MaxCondsDim { get; init; }

    /// <summary>Conditioning subsets tried per candidate and level in PC1 (the skeleton phase always tries all).</summary>
    public int MaxCombinations { get; init; } = 1;

    /// <summary>Collider rule of the orientation phase.</summary>
    public ContemporaneousColliderRule ColliderRule { get; init; } = ContemporaneousColliderRule.Majority;

    /// <summary>Mark links that two rules orient in opposite directions as conflicts ("x-x").</summary>
    public bool ConflictResolution { get; init; } = true;

    /// <summary>Re-test every lagged link in the skeleton phase, not only the PC1 parents.</summary>
    public bool ResetLaggedLinks { get; init; }

    /// <summary>Also report Benjamini–Hochberg adjusted p-values of the lagged links (the graph is not changed by it).</summary>
    public bool FdrBh { get; init; }
}
