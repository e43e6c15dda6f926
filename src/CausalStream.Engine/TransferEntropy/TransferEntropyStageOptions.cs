namespace CausalStream.Engine.TransferEntropy;

/// <summary>
/// Settings of the live transfer-entropy stage: window and hop in samples, the channel pairs, the estimator and its
/// embedding, the BH adjustment across pairs, and whether a hop that finds the previous solve running is skipped.
/// </summary>
public sealed record TransferEntropyStageOptions
{
    /// <summary>Samples per window.</summary>
    public required int WindowSamples { get; init; }

    /// <summary>Samples between results.</summary>
    public required int HopSamples { get; init; }

    /// <summary>(source, target) channel pairs to estimate.</summary>
    public required IReadOnlyList<(int Source, int Target)> Pairs { get; init; }

    /// <summary>KSG (default) or Gaussian.</summary>
    public TransferEntropyMethod Method { get; init; } = TransferEntropyMethod.Ksg;

    /// <summary>Embedding, neighbours, surrogates and level.</summary>
    public TransferEntropyOptions Estimator { get; init; } = new() { Surrogates = 20 };

    /// <summary>Benjamini–Hochberg adjustment across the pairs.</summary>
    public bool Fdr { get; init; } = true;

    /// <summary>True (live): a hop due while a solve runs is skipped and counted. False (replay): ingest waits for it.</summary>
    public bool SkipWhenBusy { get; init; } = true;

    /// <summary>The smallest window for an embedding that reads lags up to <paramref name="maxLag"/>: enough embedded points for shifted surrogates and neighbours.</summary>
    public static int MinimumWindowSamples(int maxLag) => (20 * (maxLag + 1)) + 40;
}
