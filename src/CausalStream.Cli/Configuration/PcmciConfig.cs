using CausalStream.Core.Windows;
using CausalStream.Engine.Discovery;

namespace CausalStream.Cli.Configuration;

/// <summary>
/// The live PCMCI stage (<c>engine.pcmci</c>): PC1 condition selection and MCI tests on every window, from the
/// windowed lagged covariance. It uses the pipeline's window and hop.
/// </summary>
public sealed record PcmciConfig
{
    public bool Enabled { get; init; } = true;

    /// <summary>Smallest lag; 0 also tests contemporaneous pairs (unoriented).</summary>
    public int TauMin { get; init; }

    /// <summary>Largest lag τmax in samples.</summary>
    public int TauMax { get; init; } = 5;

    /// <summary>Level of the PC1 stage; null chooses it per channel by AIC (tigramite's pc_alpha=None).</summary>
    public double? PcAlpha { get; init; } = 0.05;

    /// <summary>Significance level of the MCI p-values.</summary>
    public double Alpha { get; init; } = 0.01;

    /// <summary>Benjamini–Hochberg adjustment of the lagged MCI p-values before thresholding.</summary>
    public bool Fdr { get; init; }

    /// <summary>Largest PC1 conditioning-set size; null = unlimited.</summary>
    public int? MaxCondsDim { get; init; }

    /// <summary>Stream to analyse; null = the source's first regular stream.</summary>
    public string? Stream { get; init; }

    /// <summary>Stage settings with the window converted to samples at the stream's rate.</summary>
    public PcmciStageOptions ToStageOptions(WindowSpec window, double rate, bool skipWhenBusy)
    {
        ArgumentNullException.ThrowIfNull(window);
        return new PcmciStageOptions
        {
            Method = LiveDiscoveryMethod.Pcmci,
            WindowSamples = window.LengthInSamples(rate),
            HopSamples = window.HopInSamples(rate),
            TauMin = TauMin,
            TauMax = TauMax,
            PcAlpha = PcAlpha,
            AlphaLevel = Alpha,
            FdrBh = Fdr,
            MaxCondsDim = MaxCondsDim,
            SkipWhenBusy = skipWhenBusy,
        };
    }
}
