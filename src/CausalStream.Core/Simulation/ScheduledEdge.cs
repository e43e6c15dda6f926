namespace CausalStream.Core.Simulation;

/// <summary>
/// An edge that is switched on for a time interval, to produce regime changes with a known onset:
/// while active its coefficient is added to <c>A_Lag[Target, Source]</c> of the base network.
/// </summary>
/// <param name="Source">Zero-based index of the driving channel.</param>
/// <param name="Target">Zero-based index of the driven channel.</param>
/// <param name="Lag">Lag in samples (1..MaxLag).</param>
/// <param name="Coefficient">Coefficient added while the edge is on.</param>
/// <param name="OnAt">Seconds since the first sample (sample index / rate) at which the edge switches on.</param>
/// <param name="OffAt">Seconds since the first sample at which it switches off again; null keeps it on.</param>
/// <remarks>
/// A time is converted to the first sample index at or after it; the edge is in effect for samples
/// <c>n</c> with <c>on ≤ n &lt; off</c>.
/// </remarks>
public sealed record ScheduledEdge(int Source, int Target, int Lag, double Coefficient, double OnAt, double? OffAt = null);
