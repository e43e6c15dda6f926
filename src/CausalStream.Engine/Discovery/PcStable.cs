namespace CausalStream.Engine.Discovery;

/// <summary>
/// PC-stable with Fisher-z tests, following causal-learn's <c>pc(stable=True, uc_rule=0, uc_priority=2)</c>:
/// the stable adjacency search (<see cref="SkeletonSearch"/>), unshielded colliders from the separating sets with
/// "existing orientations win", then Meek's rules R1–R3 to a fixed point. The result is a CPDAG whose endpoint
/// matrix uses causal-learn's codes. Ordering and conflict rules are listed in docs/discovery.md.
/// </summary>
public static class PcStable
{
    /// <summary>Runs PC on row-major i.i.d. data (n × d).</summary>
    public static PcResult Run(ReadOnlySpan<double> rowMajor, int columns, double alpha) => Run(FisherZTest.ForRows(rowMajor, columns), alpha);

    /// <summary>Runs PC with a prepared test.</summary>
    public static PcResult Run(FisherZTest test, double alpha)
    {
        var skeleton = SkeletonSearch.Run(test, alpha);
        int n = test.Variables;
        var g = new EndpointGraph(n);
        for (int a = 0; a < n; a++)
        {
            for (int b = a + 1; b < n; b++)
            {
                if (skeleton.Adjacent[a, b])
                {
                    g.SetEdge(a, b, EndpointMark.Tail, EndpointMark.Tail);
                }
            }
        }

        OrientColliders(g, skeleton);
        Meek(g);
        return new PcResult(g, skeleton, skeleton.Tests);
    }

    /// <summary>
    /// Unshielded triples x – y – z (x &lt; z, x and z not adjacent) are visited by middle node y ascending, then
    /// (x, z) in lexicographic order of y's neighbours. A triple whose y is in no separating set of (x, z) becomes
    /// x → y ← z unless y → x or y → z is already oriented, in which case it is skipped.
    /// </summary>
    private static void OrientColliders(EndpointGraph g, SkeletonResult skeleton)
    {
        var triples = UnshieldedTriples(g);
        foreach (var (x, y, z) in triples)
        {
            if (skeleton.InSeparatingSet(x, z, y))
            {
                continue;
            }
            if (g.IsDirected(y, x) || g.IsDirected(y, z))
            {
                continue;
            }
            g.SetEdge(x, y, EndpointMark.Tail, EndpointMark.Arrow);
            g.SetEdge(z, y, EndpointMark.Tail, EndpointMark.Arrow);
        }
    }

    /// <summary>Unshielded triples (x, y, z), x &lt; z, by middle node then lexicographic (x, z).</summary>
    internal static List<(int X, int Y, int Z)> UnshieldedTriples(EndpointGraph g)
    {
        var triples = new List<(int, int, int)>();
        for (int y = 0; y < g.Nodes; y++)
        {
            var nb = g.Neighbors(y);
            for (int a = 0; a < nb.Count; a++)
            {
                for (int b = a + 1; b < nb.Count; b++)
                {
                    if (!g.Adjacent(nb[a], nb[b]))
                    {
                        triples.Add((nb[a], y, nb[b]));
                    }
                }
            }
        }
        return triples;
    }

    /// <summary>
    /// Meek's rules on the undirected edges until nothing changes. Each pass visits undirected edges b – c
    /// (b, c ascending, both directions) and applies, first match wins: R1 (a → b, a not adjacent to c) gives
    /// b → c; R2 (b → a → c) gives b → c; R3 (b – a1, b – a2, a1 → c ← a2, a1 and a2 not adjacent) gives b → c.
    /// </summary>
    internal static void Meek(EndpointGraph g)
    {
        int n = g.Nodes;
        bool changed = true;
        while (changed)
        {
            changed = false;
            for (int b = 0; b < n; b++)
            {
                for (int c = 0; c < n; c++)
                {
                    if (b == c || !g.IsUndirected(b, c))
                    {
                        continue;
                    }
                    if (R1(g, b, c) || R2(g, b, c) || R3(g, b, c))
                    {
                        g.SetEdge(b, c, EndpointMark.Tail, EndpointMark.Arrow);
                        changed = true;
                    }
                }
            }
        }
    }

    private static bool R1(EndpointGraph g, int b, int c)
    {
        for (int a = 0; a < g.Nodes; a++)
        {
            if (a != c && g.IsDirected(a, b) && !g.Adjacent(a, c))
            {
                return true;
            }
        }
        return false;
    }

    private static bool R2(EndpointGraph g, int b, int c)
    {
        for (int a = 0; a < g.Nodes; a++)
        {
            if (a != b && a != c && g.IsDirected(b, a) && g.IsDirected(a, c))
            {
                return true;
            }
        }
        return false;
    }

    private static bool R3(EndpointGraph g, int b, int c)
    {
        for (int a1 = 0; a1 < g.Nodes; a1++)
        {
            if (a1 == b || a1 == c || !g.IsUndirected(b, a1) || !g.IsDirected(a1, c))
            {
                continue;
            }
            for (int a2 = a1 + 1; a2 < g.Nodes; a2++)
            {
                if (a2 != b && a2 != c && g.IsUndirected(b, a2) && g.IsDirected(a2, c) && !g.Adjacent(a1, a2))
                {
                    return true;
                }
            }
        }
        return false;
    }
}
