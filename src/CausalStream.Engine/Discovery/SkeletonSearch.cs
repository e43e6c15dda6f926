namespace CausalStream.Engine.Discovery;

/// <summary>
/// The stable ("order-independent") adjacency search shared by PC and FCI, following causal-learn's
/// <c>skeleton_discovery(stable=True)</c> / FAS: starting from the complete graph, at level d = 0, 1, … each
/// ordered adjacent pair (x, y), x ascending then y ascending among x's neighbours at the start of the level, is
/// tested given every d-subset of x's other neighbours (lexicographic). The pair is marked for removal if any
/// p-value exceeds alpha, and its separating set for this visit is the union of all such subsets. Removals take
/// effect at the end of the level. The search stops when no node has more than d + 1 neighbours.
/// </summary>
public static class SkeletonSearch
{
    /// <summary>Runs the search with <paramref name="test"/> at level <paramref name="alpha"/>.</summary>
    /// <param name="test">Fisher-z test over the data.</param>
    /// <param name="alpha">Significance level; a pair is independent when p &gt; alpha.</param>
    /// <param name="maxDepth">Largest conditioning-set size; −1 for unlimited.</param>
    public static SkeletonResult Run(FisherZTest test, double alpha, int maxDepth = -1)
    {
        ArgumentNullException.ThrowIfNull(test);
        int n = test.Variables;
        var adjacent = new bool[n, n];
        for (int a = 0; a < n; a++)
        {
            for (int b = 0; b < n; b++)
            {
                adjacent[a, b] = a != b;
            }
        }

        var cache = new Dictionary<string, double>();
        var tests = new List<CiTestRecord>();
        var sepsets = new Dictionary<(int, int), List<int[]>>();
        var removal = new List<(int, int)>();
        var subset = new int[n];
        var cond = new int[n];
        var sorted = new int[n];
        var union = new SortedSet<int>();
        int depth = -1;
        while (MaxDegree(adjacent, n) - 1 > depth && (maxDepth < 0 || depth < maxDepth))
        {
            depth++;
            removal.Clear();
            for (int x = 0; x < n; x++)
            {
                var neighbors = NeighborsOf(adjacent, n, x);
                foreach (int y in neighbors)
                {
                    union.Clear();
                    bool independent = false;
                    int others = neighbors.Count - 1;
                    int yPos = neighbors.IndexOf(y);
                    bool more = Combinations.First(subset, depth, others);
                    while (more)
                    {
                        // The neighbour list without y: indexes at or after y's position shift by one.
                        for (int k = 0; k < depth; k++)
                        {
                            int idx = subset[k];
                            cond[k] = neighbors[idx >= yPos ? idx + 1 : idx];
                        }
                        double p = Lookup(test, cache, tests, x, y, cond.AsSpan(0, depth), sorted);
                        if (p > alpha)
                        {
                            independent = true;
                            for (int k = 0; k < depth; k++)
                            {
                                union.Add(cond[k]);
                            }
                        }
                        more = Combinations.Next(subset, depth, others);
                    }
                    if (independent)
                    {
                        removal.Add((x, y));
                        var entry = new int[union.Count];
                        union.CopyTo(entry);
                        Append(sepsets, x, y, entry);
                        Append(sepsets, y, x, entry);
                    }
                }
            }
            foreach (var (x, y) in removal)
            {
                adjacent[x, y] = false;
                adjacent[y, x] = false;
            }
        }
        return new SkeletonResult(adjacent, sepsets, tests);
    }

    private static void Append(Dictionary<(int, int), List<int[]>> sepsets, int x, int y, int[] entry)
    {
        if (!sepsets.TryGetValue((x, y), out var list))
        {
            list = [];
            sepsets[(x, y)] = list;
        }
        list.Add(entry);
    }

    /// <summary>Runs (or recalls) the test of x, y given the conditions, logging distinct tests in first-run order.</summary>
    internal static double Lookup(FisherZTest test, Dictionary<string, double> cache, List<CiTestRecord> log, int x, int y, ReadOnlySpan<int> conditions, int[] sorted)
    {
        int a = Math.Min(x, y);
        int b = Math.Max(x, y);
        var s = sorted.AsSpan(0, conditions.Length);
        conditions.CopyTo(s);
        s.Sort();
        string key = a + "|" + b + "|" + string.Join(',', s.ToArray());
        if (cache.TryGetValue(key, out double cached))
        {
            return cached;
        }
        double p = test.Test(a, b, s).PValue;
        cache[key] = p;
        log.Add(new CiTestRecord(a, b, s.ToArray(), p));
        return p;
    }

    private static List<int> NeighborsOf(bool[,] adjacent, int n, int x)
    {
        var list = new List<int>();
        for (int b = 0; b < n; b++)
        {
            if (adjacent[x, b])
            {
                list.Add(b);
            }
        }
        return list;
    }

    private static int MaxDegree(bool[,] adjacent, int n)
    {
        int best = 0;
        for (int a = 0; a < n; a++)
        {
            int d = 0;
            for (int b = 0; b < n; b++)
            {
                if (adjacent[a, b])
                {
                    d++;
                }
            }
            best = Math.Max(best, d);
        }
        return best;
    }
}
