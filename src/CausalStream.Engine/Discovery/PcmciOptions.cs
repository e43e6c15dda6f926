namespace CausalStream.Engine.Discovery;

/// <summary>
/// Settings of a PCMCI run (PC1 condition selection, then MCI), with tigramite's <c>run_pcmci</c> defaults.
/// </summary>
public sealed record PcmciOptions
{
    /// <summary>Smallest lag tested in MCI (0 includes contemporaneous pairs).</summary>
    public int TauMin { get; init; }

    /// <summary>Largest lag τmax.</summary>
    public int TauMax { get; init; } = 1;

    /// <summary>
    /// Significance level of the PC1 stage; null selects it per target by AIC among
    /// <see cref="PcAlphaCandidates"/> (the smallest on ties).
    /// </summary>
    public double? PcAlpha { get; init; } = 0.05;

    /// <summary>Candidate PC1 levels tried when <see cref="PcAlpha"/> is null.</summary>
    public IReadOnlyList<double> PcAlphaCandidates { get; init; } = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5];

    /// <summary>Significance level of the MCI p-values (after the FDR adjustment if one is requested).</summary>
    public double AlphaLevel { get; init; } = 0.05;

    /// <summary>Largest PC1 conditioning-set size; null = unlimited.</summary>
    public int? MaxCondsDim { get; init; }

    /// <summary>Conditioning subsets tried per candidate and level in PC1 (tigramite's max_combinations).</summary>
    public int MaxCombinations { get; init; } = 1;

    /// <summary>Adjust the lagged MCI p-values with Benjamini–Hochberg before thresholding.</summary>
    public bool FdrBh { get; init; }
}
