namespace CausalStream.Engine.Graphs;

/// <summary>
/// Settings of the live Granger graph stage: the window and hop in samples, the model order (fixed, or chosen
/// on the first window by an information criterion), exponential forgetting instead of a hard window, the
/// test settings, and whether a hop that finds the previous solve still running is skipped (live) or waits (replay).
/// </summary>
public sealed record GrangerStageOptions
{
    /// <summary>Samples per window (hard window), or the warm-up before the first graph with forgetting.</summary>
    public required int WindowSamples { get; init; }

    /// <summary>Samples between graphs.</summary>
    public required int HopSamples { get; init; }

    /// <summary>Model order p; null chooses it on the first window with <see cref="Criterion"/> over 1..<see cref="MaxLagLimit"/>.</summary>
    public int? MaxLag { get; init; } = 5;

    /// <summary>Largest order tried when <see cref="MaxLag"/> is null.</summary>
    public int MaxLagLimit { get; init; } = 10;

    public OrderCriterion Criterion { get; init; } = OrderCriterion.Bic;

    /// <summary>Forgetting factor λ in (0, 1) for continuous tracking instead of a hard window; null = hard window.</summary>
    public double? ForgettingFactor { get; init; }

    public GrangerOptions Test { get; init; } = GrangerOptions.Default;

    /// <summary>True (live): a hop due while a solve runs is skipped and counted. False (replay): ingest waits for it.</summary>
    public bool SkipWhenBusy { get; init; } = true;

    /// <summary>Regression rows a window of <paramref name="samples"/> samples gives at order <paramref name="lag"/>.</summary>
    public static int RowsFor(int samples, int lag) => samples - lag;

    /// <summary>The smallest window (samples) on which a VAR(<paramref name="lag"/>) over <paramref name="channels"/> channels can be tested.</summary>
    public static int MinimumWindowSamples(int channels, int lag) => (channels * lag) + 2 + lag;
}
