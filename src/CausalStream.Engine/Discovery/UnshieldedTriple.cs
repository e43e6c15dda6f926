namespace CausalStream.Engine.Discovery;

/// <summary>
/// An unshielded triple X^i_{t−τ} *-* X^k_t *-* X^j_t of a time-series graph (source and target not adjacent), as
/// PCMCI+ classifies it in its collider phase; written ((i, −τ), k, j) by tigramite.
/// </summary>
/// <param name="Source">The outer node X^i_{t−τ} (lag 0 for a contemporaneous triple).</param>
/// <param name="Middle">Channel k of the middle node, at lag 0.</param>
/// <param name="Target">Channel j of the other outer node, at lag 0.</param>
public readonly record struct UnshieldedTriple(LaggedVariable Source, int Middle, int Target);
