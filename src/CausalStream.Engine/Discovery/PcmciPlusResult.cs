namespace CausalStream.Engine.Discovery;

/// <summary>
/// The result of PCMCI+ on one series in tigramite's layout: entry [i, j, τ] refers to X^i_{t−τ} → X^j_t. Graph
/// marks are "-->" (lagged, or contemporaneous i → j), "&lt;--" (contemporaneous j → i), "o-o" (contemporaneous,
/// unoriented), "x-x" (conflicting orientations) or "" (no link). Values and p-values describe the adjacency only.
/// </summary>
public sealed class PcmciPlusResult
{
    internal PcmciPlusResult(
        int channels,
        int tauMax,
        int rows,
        double[,,] values,
        double[,,] pValues,
        double[,,] adjusted,
        string[,,] graph,
        IReadOnlyList<Pc1Parents> laggedParents,
        IReadOnlyDictionary<(LaggedVariable Source, int Target), IReadOnlyList<LaggedVariable>> sepsets,
        IReadOnlyList<UnshieldedTriple> ambiguousTriples,
        long testsRun,
        long degenerateTests)
    {
        Channels = channels;
        TauMax = tauMax;
        Rows = rows;
        Values = values;
        PValues = pValues;
        AdjustedPValues = adjusted;
        Graph = graph;
        LaggedParents = laggedParents;
        Sepsets = sepsets;
        AmbiguousTriples = ambiguousTriples;
        TestsRun = testsRun;
        DegenerateTests = degenerateTests;
    }

    /// <summary>Number of channels.</summary>
    public int Channels { get; }

    /// <summary>Largest lag.</summary>
    public int TauMax { get; }

    /// <summary>Rows every test used (T − 2·τmax).</summary>
    public int Rows { get; }

    /// <summary>Partial correlations [i, j, τ]: of the skeleton test with the largest p-value, or of PC1 for lagged links PC1 dropped.</summary>
    public double[,,] Values { get; }

    /// <summary>The largest p-value [i, j, τ] over the skeleton tests (PC1 tests for lagged links PC1 dropped).</summary>
    public double[,,] PValues { get; }

    /// <summary>p-values after the requested adjustment (a copy of <see cref="PValues"/> without one).</summary>
    public double[,,] AdjustedPValues { get; }

    /// <summary>Link marks [i, j, τ].</summary>
    public string[,,] Graph { get; }

    /// <summary>The PC1 outcome (lagged parents) per target channel.</summary>
    public IReadOnlyList<Pc1Parents> LaggedParents { get; }

    /// <summary>
    /// Contemporaneous separating sets per link (X^i_{t−τ}, j) that the skeleton removed, after the collider rule
    /// added or removed the middle nodes; the lagged MCI conditions are not listed.
    /// </summary>
    public IReadOnlyDictionary<(LaggedVariable Source, int Target), IReadOnlyList<LaggedVariable>> Sepsets { get; }

    /// <summary>Triples the collider rule could not classify; the orientation rules leave them alone.</summary>
    public IReadOnlyList<UnshieldedTriple> AmbiguousTriples { get; }

    /// <summary>Conditional-independence tests run (PC1, skeleton and collider phases).</summary>
    public long TestsRun { get; }

    /// <summary>
    /// Tests whose conditioning set was collinear or that left X or Y without variance (for example a duplicated
    /// channel); such a test reports value 0 and p-value 1. Non-zero flags a rank-deficient window.
    /// </summary>
    public long DegenerateTests { get; }
}
