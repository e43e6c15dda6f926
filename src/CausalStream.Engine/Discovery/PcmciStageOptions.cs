namespace CausalStream.Engine.Discovery;

/// <summary>
/// Settings of the live PCMCI / PCMCI+ stage: window and hop in samples, the method, its lags and levels, and
/// whether a hop that finds the previous solve still running is skipped (live) or waits (replay).
/// </summary>
public sealed record PcmciStageOptions
{
    /// <summary>Samples per window; the tests use its last WindowSamples − 2·τmax rows.</summary>
    public required int WindowSamples { get; init; }

    /// <summary>Samples between graphs.</summary>
    public required int HopSamples { get; init; }

    /// <summary>PCMCI or PCMCI+.</summary>
    public LiveDiscoveryMethod Method { get; init; } = LiveDiscoveryMethod.Pcmci;

    /// <summary>Smallest lag (0 includes contemporaneous links).</summary>
    public int TauMin { get; init; }

    /// <summary>Largest lag τmax (at least 1).</summary>
    public int TauMax { get; init; } = 5;

    /// <summary>PC1 level (PCMCI: null selects it per channel by AIC; PCMCI+: the level of every stage, required).</summary>
    public double? PcAlpha { get; init; } = 0.05;

    /// <summary>Significance level of the MCI p-values (PCMCI only).</summary>
    public double AlphaLevel { get; init; } = 0.01;

    /// <summary>Benjamini–Hochberg adjustment of the lagged p-values.</summary>
    public bool FdrBh { get; init; }

    /// <summary>Largest PC1 conditioning-set size; null = unlimited.</summary>
    public int? MaxCondsDim { get; init; }

    /// <summary>True (live): a hop due while a solve runs is skipped and counted. False (replay): ingest waits for it.</summary>
    public bool SkipWhenBusy { get; init; } = true;

    /// <summary>
    /// The smallest window for τmax on C channels: the 2·τmax warm-up samples, plus rows enough for the windowed
    /// statistics of lags 0..2·τmax (more than C·2·τmax + 1) and a few degrees of freedom.
    /// </summary>
    public static int MinimumWindowSamples(int channels, int tauMax) => (2 * tauMax) + (channels * 2 * tauMax) + 8;
}
