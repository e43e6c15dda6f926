namespace CausalStream.Engine.Discovery;

/// <summary>
/// FCI with Fisher-z tests (Spirtes et al.; orientation rules R1–R10 of Zhang 2008), following causal-learn's
/// <c>fci</c> flow: the stable adjacency search, circle marks everywhere, unshielded colliders (R0), the
/// possible-D-sep removal step, circles and R0 again, then the orientation rules to a fixed point. The result is a
/// PAG as an endpoint graph with causal-learn's codes. Ordering rules are listed in docs/discovery.md.
/// </summary>
public static class Fci
{
    /// <summary>Runs FCI on row-major i.i.d. data (n × d).</summary>
    public static PcResult Run(ReadOnlySpan<double> rowMajor, int columns, double alpha) => Run(FisherZTest.ForRows(rowMajor, columns), alpha);

    /// <summary>Runs FCI with a prepared test.</summary>
    public static PcResult Run(FisherZTest test, double alpha)
    {
        ArgumentNullException.ThrowIfNull(test);
        var skeleton = SkeletonSearch.Run(test, alpha);
        int n = test.Variables;

        // One separating set per ordered pair: the union of every entry recorded for the pair.
        var sepsets = new Dictionary<(int, int), SortedSet<int>>();
        foreach (var (key, entries) in skeleton.SeparatingSets)
        {
            var union = new SortedSet<int>();
            foreach (var e in entries)
            {
                union.UnionWith(e);
            }
            sepsets[key] = union;
        }

        var g = new EndpointGraph(n);
        for (int a = 0; a < n; a++)
        {
            for (int b = a + 1; b < n; b++)
            {
                if (skeleton.Adjacent[a, b])
                {
                    g.SetEdge(a, b, EndpointMark.Circle, EndpointMark.Circle);
                }
            }
        }

        Rule0(g, sepsets);
        var tests = new List<CiTestRecord>(skeleton.Tests);
        RemoveByPossibleDsep(g, test, alpha, sepsets, tests);
        for (int a = 0; a < n; a++)
        {
            for (int b = a + 1; b < n; b++)
            {
                if (g.Adjacent(a, b))
                {
                    g.SetEdge(a, b, EndpointMark.Circle, EndpointMark.Circle);
                }
            }
        }
        Rule0(g, sepsets);
        FciOrientation.Apply(g, sepsets);
        return new PcResult(g, skeleton, tests);
    }

    /// <summary>
    /// R0: for every unshielded a *-* b *-* c (a &lt; c) whose ordered pair (a, c) has a separating set without b,
    /// arrowheads at b on both edges.
    /// </summary>
    private static void Rule0(EndpointGraph g, Dictionary<(int, int), SortedSet<int>> sepsets)
    {
        foreach (var (a, b, c) in PcStable.UnshieldedTriples(g))
        {
            // Only a recorded separating set of (a, c), in that order, can make a collider.
            if (!sepsets.TryGetValue((a, c), out var s) || s.Contains(b))
            {
                continue;
            }
            g[b, a] = EndpointMark.Arrow;
            g[b, c] = EndpointMark.Arrow;
        }
    }

    /// <summary>
    /// For each edge x – y (x ascending, y ascending), first from x's side, then (if the edge survived) from y's
    /// side: with D = Possible-D-Sep(side, other) in descending index order, x ⊥ y is tested given the subsets of D
    /// by size (0, 1, 2, …) and lexicographic index choice within a size, skipping subsets of fewer than two nodes
    /// and subsets contained in the neighbours of x or of y (the adjacency search covered those). The first
    /// p &gt; alpha removes the edge and records that subset as the separating set of (side, other).
    /// </summary>
    private static void RemoveByPossibleDsep(EndpointGraph g, FisherZTest test, double alpha, Dictionary<(int, int), SortedSet<int>> sepsets, List<CiTestRecord> log)
    {
        int n = g.Nodes;
        var cache = new Dictionary<string, double>();
        foreach (var t in log)
        {
            cache[t.X + "|" + t.Y + "|" + string.Join(',', t.Conditions)] = t.PValue;
        }
        var sorted = new int[n];
        var subset = new int[n];
        var cond = new int[n];
        for (int x = 0; x < n; x++)
        {
            for (int y = x + 1; y < n; y++)
            {
                if (!g.Adjacent(x, y))
                {
                    continue;
                }
                foreach (var (from, other) in new[] { (x, y), (y, x) })
                {
                    if (!g.Adjacent(x, y))
                    {
                        break;
                    }
                    var list = PossibleDsep(g, from, other);
                    var adjFrom = g.Neighbors(from);
                    var adjOther = g.Neighbors(other);
                    bool removed = false;
                    for (int size = 2; size <= list.Count && !removed; size++)
                    {
                        bool more = Combinations.First(subset, size, list.Count);
                        while (more)
                        {
                            for (int k = 0; k < size; k++)
                            {
                                cond[k] = list[subset[k]];
                            }
                            var set = cond.AsSpan(0, size);
                            if (!AllIn(set, adjFrom) && !AllIn(set, adjOther))
                            {
                                double p = SkeletonSearch.Lookup(test, cache, log, from, other, set, sorted);
                                if (p > alpha)
                                {
                                    g.RemoveEdge(x, y);
                                    sepsets[(from, other)] = new SortedSet<int>(set.ToArray());
                                    removed = true;
                                    break;
                                }
                            }
                            more = Combinations.Next(subset, size, list.Count);
                        }
                    }
                }
            }
        }
    }

    private static bool AllIn(ReadOnlySpan<int> set, List<int> within)
    {
        foreach (int v in set)
        {
            if (!within.Contains(v))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Possible-D-Sep of x for the edge x – y, as causal-learn builds it: a breadth-first walk over node pairs
    /// starting at x's neighbours other than y (all of which belong to the set). Popping the pair (a, b), b joins
    /// the set when one of the nodes recorded as leading to b (other than x and b) has a semi-directed path to x
    /// or to b. Each neighbour c of b (c not a, x or y) records b as leading to c, and the pair (a, c) is queued
    /// when b is a definite collider between a and c or a and c are adjacent. Returned in descending index order.
    /// </summary>
    private static List<int> PossibleDsep(EndpointGraph g, int x, int y)
    {
        var dsep = new HashSet<int>();
        var previous = new Dictionary<int, HashSet<int>>();
        var seen = new HashSet<(int, int)>();
        var queue = new Queue<(int A, int B)>();
        foreach (int b in g.Neighbors(x))
        {
            if (b == y)
            {
                continue;
            }
            queue.Enqueue((x, b));
            seen.Add((x, b));
            Record(previous, x, b);
            dsep.Add(b);
        }
        while (queue.Count > 0)
        {
            var (a, b) = queue.Dequeue();
            if (HasPossibleParentPath(g, previous, b, x))
            {
                dsep.Add(b);
            }
            foreach (int c in g.Neighbors(b))
            {
                if (c == a || c == x || c == y)
                {
                    continue;
                }
                Record(previous, c, b);
                bool collider = g.Adjacent(a, b) && g[b, a] == EndpointMark.Arrow && g[b, c] == EndpointMark.Arrow;
                if ((collider || g.Adjacent(a, c)) && seen.Add((a, c)))
                {
                    queue.Enqueue((a, c));
                }
            }
        }
        dsep.Remove(x);
        dsep.Remove(y);
        var list = new List<int>(dsep);
        list.Sort((p, q) => q.CompareTo(p));
        return list;
    }

    private static void Record(Dictionary<int, HashSet<int>> previous, int node, int from)
    {
        if (!previous.TryGetValue(node, out var set))
        {
            set = [];
            previous[node] = set;
        }
        set.Add(from);
    }

    private static bool HasPossibleParentPath(EndpointGraph g, Dictionary<int, HashSet<int>> previous, int w, int x)
    {
        if (w == x)
        {
            return true;
        }
        if (!previous.TryGetValue(w, out var from))
        {
            return false;
        }
        foreach (int r in from)
        {
            if (r == w || r == x)
            {
                continue;
            }
            if (SemiDirectedPath(g, r, x) || SemiDirectedPath(g, r, w))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Whether a path from <paramref name="from"/> reaches <paramref name="to"/> leaving each node by a tail or circle.</summary>
    private static bool SemiDirectedPath(EndpointGraph g, int from, int to)
    {
        var visited = new HashSet<int>();
        var queue = new Queue<int>();
        foreach (int c in g.Neighbors(from))
        {
            if (g[from, c] != EndpointMark.Arrow && visited.Add(c))
            {
                queue.Enqueue(c);
            }
        }
        while (queue.Count > 0)
        {
            int t = queue.Dequeue();
            if (t == to)
            {
                return true;
            }
            foreach (int c in g.Neighbors(t))
            {
                if (g[t, c] != EndpointMark.Arrow && visited.Add(c))
                {
                    queue.Enqueue(c);
                }
            }
        }
        return false;
    }
}
