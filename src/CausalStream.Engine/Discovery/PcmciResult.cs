namespace CausalStream.Engine.Discovery;

/// <summary>
/// The result of PCMCI on one series, in tigramite's layout: entry [i, j, τ] refers to the link X^i_{t−τ} → X^j_t.
/// The untested diagonal [j, j, 0] holds value 0 and p-value 1. Graph marks are "-->" (lagged link), "o-o"
/// (contemporaneous, unoriented) or "" (none).
/// </summary>
public sealed class PcmciResult
{
    internal PcmciResult(int channels, int tauMax, double[,,] values, double[,,] pValues, double[,,] adjusted, string[,,] graph, IReadOnlyList<Pc1Parents> parents, int rows)
    {
        Channels = channels;
        TauMax = tauMax;
        Values = values;
        PValues = pValues;
        AdjustedPValues = adjusted;
        Graph = graph;
        Parents = parents;
        Rows = rows;
    }

    /// <summary>Number of channels.</summary>
    public int Channels { get; }

    /// <summary>Largest lag.</summary>
    public int TauMax { get; }

    /// <summary>Rows every test used (T − 2·τmax).</summary>
    public int Rows { get; }

    /// <summary>MCI partial correlations [i, j, τ].</summary>
    public double[,,] Values { get; }

    /// <summary>MCI p-values [i, j, τ].</summary>
    public double[,,] PValues { get; }

    /// <summary>p-values after the requested adjustment (a copy of <see cref="PValues"/> without one).</summary>
    public double[,,] AdjustedPValues { get; }

    /// <summary>Link marks [i, j, τ].</summary>
    public string[,,] Graph { get; }

    /// <summary>
    /// Degenerate tests (collinear conditions, e.g. a duplicated channel, or no degrees of freedom left); they report
    /// value 0 and p-value 1. Counts PC1 and MCI for <see cref="Pcmci.Run"/>, MCI only for <see cref="Pcmci.RunMci"/>.
    /// </summary>
    public long DegenerateTests { get; internal set; }

    /// <summary>The PC1 outcome per target channel.</summary>
    public IReadOnlyList<Pc1Parents> Parents { get; }
}
