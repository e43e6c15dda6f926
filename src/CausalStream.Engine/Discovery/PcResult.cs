namespace CausalStream.Engine.Discovery;

/// <summary>The result of PC (or FCI): the oriented graph and the adjacency search behind it.</summary>
public sealed class PcResult
{
    internal PcResult(EndpointGraph graph, SkeletonResult skeleton, IReadOnlyList<CiTestRecord> tests)
    {
        Graph = graph;
        Skeleton = skeleton;
        Tests = tests;
    }

    /// <summary>The CPDAG (PC) or PAG (FCI) as an endpoint graph.</summary>
    public EndpointGraph Graph { get; }

    /// <summary>The adjacency search (separating sets).</summary>
    public SkeletonResult Skeleton { get; }

    /// <summary>Every distinct test run, in first-run order.</summary>
    public IReadOnlyList<CiTestRecord> Tests { get; }
}
