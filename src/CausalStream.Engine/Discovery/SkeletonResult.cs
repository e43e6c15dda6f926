namespace CausalStream.Engine.Discovery;

/// <summary>
/// The adjacency search of PC / FCI: the remaining adjacencies, the separating sets, and every distinct test.
/// </summary>
public sealed class SkeletonResult
{
    internal SkeletonResult(bool[,] adjacent, Dictionary<(int, int), List<int[]>> sepsets, IReadOnlyList<CiTestRecord> tests)
    {
        Adjacent = adjacent;
        SeparatingSets = sepsets;
        Tests = tests;
    }

    /// <summary>Adjacency matrix after the search (symmetric).</summary>
    public bool[,] Adjacent { get; }

    /// <summary>
    /// Separating sets per ordered pair (x, y): one entry per time the pair was found independent (from x's side
    /// and from y's side of the stable search at the removal level), each the union of every conditioning set of
    /// that level whose p-value exceeded alpha. Both (x, y) and (y, x) are stored with the same entries.
    /// </summary>
    public Dictionary<(int, int), List<int[]>> SeparatingSets { get; }

    /// <summary>Every distinct test (x &lt; y, conditions sorted) in the order first run.</summary>
    public IReadOnlyList<CiTestRecord> Tests { get; }

    /// <summary>True when <paramref name="z"/> is in some separating set of x and y.</summary>
    public bool InSeparatingSet(int x, int y, int z)
    {
        if (!SeparatingSets.TryGetValue((x, y), out var entries))
        {
            return false;
        }
        foreach (var s in entries)
        {
            if (Array.IndexOf(s, z) >= 0)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>True when the pair has a recorded separating set (was found independent).</summary>
    public bool HasSeparatingSet(int x, int y) => SeparatingSets.ContainsKey((x, y));
}
