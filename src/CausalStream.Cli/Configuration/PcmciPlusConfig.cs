using CausalStream.Core.Windows;
using CausalStream.Engine.Discovery;

namespace CausalStream.Cli.Configuration;

/// <summary>
/// The live PCMCI+ stage (<c>engine.pcmciPlus</c>): lagged and contemporaneous links with orientations on every
/// window, from the windowed lagged covariance. It uses the pipeline's window and hop.
/// </summary>
public sealed record PcmciPlusConfig
{
    public bool Enabled { get; init; } = true;

    /// <summary>Largest lag τmax in samples.</summary>
    public int TauMax { get; init; } = 3;

    /// <summary>Level of every stage (PC1, skeleton, colliders), tigramite's pc_alpha.</summary>
    public double PcAlpha { get; init; } = 0.01;

    /// <summary>Report Benjamini–Hochberg adjusted p-values of the lagged links as q (the graph is unchanged).</summary>
    public bool Fdr { get; init; }

    /// <summary>Largest conditioning-set size; null = unlimited.</summary>
    public int? MaxCondsDim { get; init; }

    /// <summary>Stream to analyse; null = the source's first regular stream.</summary>
    public string? Stream { get; init; }

    /// <summary>Stage settings with the window converted to samples at the stream's rate.</summary>
    public PcmciStageOptions ToStageOptions(WindowSpec window, double rate, bool skipWhenBusy)
    {
        ArgumentNullException.ThrowIfNull(window);
        return new PcmciStageOptions
        {
            Method = LiveDiscoveryMethod.PcmciPlus,
            WindowSamples = window.LengthInSamples(rate),
            HopSamples = window.HopInSamples(rate),
            TauMin = 0,
            TauMax = TauMax,
            PcAlpha = PcAlpha,
            FdrBh = Fdr,
            MaxCondsDim = MaxCondsDim,
            SkipWhenBusy = skipWhenBusy,
        };
    }
}
