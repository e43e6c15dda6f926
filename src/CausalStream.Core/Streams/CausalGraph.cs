namespace CausalStream.Core.Streams;

/// <summary>
/// A time-lagged causal graph estimated on one window of one stream: what was analysed (span, rows, channels),
/// how (method, maximum lag, correction, alpha), and every tested edge, significant or not.
/// </summary>
/// <param name="Stream">The analysed stream.</param>
/// <param name="WindowStart">Source time of the first sample in the window (seconds).</param>
/// <param name="WindowEnd">Source time of the last sample in the window (seconds).</param>
/// <param name="Samples">Samples in the window.</param>
/// <param name="RowsUsed">Regression rows used (rows touching a non-finite value are left out).</param>
/// <param name="RowsSkipped">Regression rows left out because a current or lagged value was not finite.</param>
/// <param name="Channels">Channel labels; edges index into this list.</param>
/// <param name="Method">Estimation method, e.g. "granger".</param>
/// <param name="MaxLag">Model order p.</param>
/// <param name="Correction">Multiple-testing correction applied across the edges.</param>
/// <param name="Alpha">Significance level of the adjusted p-values.</param>
/// <param name="Regularized">True when a ridge was needed (flat or duplicated channel); estimates are then approximate.</param>
/// <param name="Sequence">Hop number of this graph in its run, from 1.</param>
/// <param name="Edges">Every tested (source, target) pair.</param>
public sealed record CausalGraph(
    string Stream,
    double WindowStart,
    double WindowEnd,
    int Samples,
    int RowsUsed,
    int RowsSkipped,
    IReadOnlyList<string> Channels,
    string Method,
    int MaxLag,
    string Correction,
    double Alpha,
    bool Regularized,
    long Sequence,
    IReadOnlyList<CausalEdge> Edges) : PipelineResult;
