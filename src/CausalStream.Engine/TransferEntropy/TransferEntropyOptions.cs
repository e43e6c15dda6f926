namespace CausalStream.Engine.TransferEntropy;

/// <summary>
/// Embedding and significance settings of transfer entropy TE(X → Y) = I(Y_t ; X_{t−u}, …, X_{t−u−l+1} | Y_{t−1}, …, Y_{t−k}).
/// </summary>
public sealed record TransferEntropyOptions
{
    /// <summary>Target history length k (past samples of Y conditioned on).</summary>
    public int TargetHistory { get; init; } = 1;

    /// <summary>Source history length l (past samples of X).</summary>
    public int SourceHistory { get; init; } = 1;

    /// <summary>Source delay u ≥ 1: the newest source sample used is X_{t−u}.</summary>
    public int Delay { get; init; } = 1;

    /// <summary>Neighbours k of the KSG estimator.</summary>
    public int Neighbours { get; init; } = 4;

    /// <summary>Surrogates for the permutation p-value (0 skips the test; p is then NaN).</summary>
    public int Surrogates { get; init; } = 100;

    /// <summary>Seed of the surrogate shifts and of the tie-breaking jitter.</summary>
    public int Seed { get; init; } = 20261128;

    /// <summary>Significance level for the reported decision.</summary>
    public double Alpha { get; init; } = 0.05;

    /// <summary>Largest lag the embedding reads: max(k, u + l − 1).</summary>
    public int MaxLag => Math.Max(TargetHistory, Delay + SourceHistory - 1);
}
