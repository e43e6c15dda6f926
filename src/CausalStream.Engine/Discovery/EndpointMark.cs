namespace CausalStream.Engine.Discovery;

/// <summary>
/// The mark at one end of an edge in a CPDAG or PAG, with causal-learn's numeric codes so endpoint matrices
/// compare directly: M[a, b] is the mark at node a on the edge between a and b.
/// </summary>
public enum EndpointMark
{
    /// <summary>No edge.</summary>
    None = 0,

    /// <summary>Tail (−).</summary>
    Tail = -1,

    /// <summary>Arrowhead (&gt;).</summary>
    Arrow = 1,

    /// <summary>Circle (o): undetermined.</summary>
    Circle = 2,
}
