namespace CausalStream.Core.Simulation;

/// <summary>
/// One lagged coefficient of a VAR network: <c>x[Target](t)</c> receives <c>Coefficient · x[Source](t − Lag)</c>.
/// It is the ground truth that causal-discovery results are compared against.
/// </summary>
/// <param name="Source">Zero-based index of the driving channel.</param>
/// <param name="Target">Zero-based index of the driven channel.</param>
/// <param name="Lag">Lag in samples (1..p).</param>
/// <param name="Coefficient">The VAR coefficient <c>A_Lag[Target, Source]</c>.</param>
public sealed record LaggedEdge(int Source, int Target, int Lag, double Coefficient)
{
    /// <summary>True for an autoregressive self term (source and target are the same channel).</summary>
    public bool IsSelf => Source == Target;
}
