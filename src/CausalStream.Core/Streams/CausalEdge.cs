namespace CausalStream.Core.Streams;

/// <summary>
/// One tested directed edge of a lagged causal graph (source → target), with its test statistic, raw and
/// adjusted p-values, and the per-lag coefficients so the graph can be drawn per lag.
/// </summary>
/// <param name="Source">Zero-based index of the driving channel.</param>
/// <param name="Target">Zero-based index of the driven channel.</param>
/// <param name="Weight">Lag-aggregated strength; for Granger, ln(RSS_restricted / RSS_full) (twice the Gaussian transfer entropy).</param>
/// <param name="Statistic">Test statistic (F for Granger).</param>
/// <param name="Df1">Numerator degrees of freedom.</param>
/// <param name="Df2">Denominator degrees of freedom.</param>
/// <param name="PValue">Unadjusted p-value.</param>
/// <param name="AdjustedPValue">p-value after the multiple-testing correction (q-value for FDR).</param>
/// <param name="Significant">Whether the adjusted p-value is at most alpha.</param>
/// <param name="LagCoefficients">Coefficient of the source at lags 1..p in the target's equation.</param>
/// <param name="LagTStatistics">t statistic of each of those coefficients.</param>
/// <param name="Lag">For lag-resolved methods (PCMCI), the lag τ of the link source(t−τ) → target(t); 0 otherwise.</param>
/// <param name="LinkType">
/// For discovery methods, the link's marks: PCMCI "-->" (lagged) or "o-o" (contemporaneous); PC/FCI the edge
/// written source-mark, target-mark ("-->", "---", "&lt;->", "o->", "o-o", …). Null for Granger.
/// </param>
public sealed record CausalEdge(
    int Source,
    int Target,
    double Weight,
    double Statistic,
    double Df1,
    double Df2,
    double PValue,
    double AdjustedPValue,
    bool Significant,
    IReadOnlyList<double> LagCoefficients,
    IReadOnlyList<double> LagTStatistics,
    int Lag = 0,
    string? LinkType = null);
