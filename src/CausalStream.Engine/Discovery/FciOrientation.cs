namespace CausalStream.Engine.Discovery;

/// <summary>
/// FCI's orientation rules R1–R10 (Zhang 2008) applied to a PAG until none changes a mark. Each pass applies
/// R1, R2, R3, R4, then R5, R6, R7 (selection-bias tails), then R8, R9, R10; within a rule, nodes are visited in
/// ascending index order. Notation: g[a, b] is the mark at a on the edge a–b.
/// </summary>
internal static class FciOrientation
{
    public static void Apply(EndpointGraph g, Dictionary<(int, int), SortedSet<int>> sepsets)
    {
        bool changed = true;
        while (changed)
        {
            changed = false;
            changed |= R1(g);
            changed |= R2(g);
            changed |= R3(g);
            changed |= R4(g, sepsets);
            changed |= R5(g);
            changed |= R6(g);
            changed |= R7(g);
            changed |= R8(g);
            changed |= R9(g);
            changed |= R10(g);
        }
    }

    private static bool Arrow(EndpointGraph g, int from, int to) => g[to, from] == EndpointMark.Arrow;

    private static bool Directed(EndpointGraph g, int from, int to) => g.IsDirected(from, to);

    // R1: a *→ b o-* c, a and c not adjacent ⇒ b → c.
    private static bool R1(EndpointGraph g)
    {
        bool changed = false;
        int n = g.Nodes;
        for (int b = 0; b < n; b++)
        {
            for (int a = 0; a < n; a++)
            {
                if (a == b || !g.Adjacent(a, b) || !Arrow(g, a, b))
                {
                    continue;
                }
                for (int c = 0; c < n; c++)
                {
                    if (c == a || c == b || !g.Adjacent(b, c) || g.Adjacent(a, c) || g[b, c] != EndpointMark.Circle)
                    {
                        continue;
                    }
                    g.SetEdge(b, c, EndpointMark.Tail, EndpointMark.Arrow);
                    changed = true;
                }
            }
        }
        return changed;
    }

    // R2: (a → b *→ c or a *→ b → c) and a *-o c ⇒ a *→ c.
    private static bool R2(EndpointGraph g)
    {
        bool changed = false;
        int n = g.Nodes;
        for (int a = 0; a < n; a++)
        {
            for (int c = 0; c < n; c++)
            {
                if (a == c || !g.Adjacent(a, c) || g[c, a] != EndpointMark.Circle)
                {
                    continue;
                }
                for (int b = 0; b < n; b++)
                {
                    if (b == a || b == c || !g.Adjacent(a, b) || !g.Adjacent(b, c))
                    {
                        continue;
                    }
                    if ((Directed(g, a, b) && Arrow(g, b, c)) || (Arrow(g, a, b) && Directed(g, b, c)))
                    {
                        g[c, a] = EndpointMark.Arrow;
                        changed = true;
                        break;
                    }
                }
            }
        }
        return changed;
    }

    // R3: a *→ b ←* c, a and c not adjacent, a *-o d o-* c, d *-o b ⇒ d *→ b.
    private static bool R3(EndpointGraph g)
    {
        bool changed = false;
        int n = g.Nodes;
        for (int b = 0; b < n; b++)
        {
            for (int d = 0; d < n; d++)
            {
                if (d == b || !g.Adjacent(d, b) || g[b, d] != EndpointMark.Circle)
                {
                    continue;
                }
                bool found = false;
                for (int a = 0; a < n && !found; a++)
                {
                    if (a == b || a == d || !g.Adjacent(a, b) || !Arrow(g, a, b) || !g.Adjacent(a, d) || g[d, a] != EndpointMark.Circle)
                    {
                        continue;
                    }
                    for (int c = a + 1; c < n; c++)
                    {
                        if (c == b || c == d || g.Adjacent(a, c) || !g.Adjacent(c, b) || !Arrow(g, c, b) || !g.Adjacent(c, d) || g[d, c] != EndpointMark.Circle)
                        {
                            continue;
                        }
                        found = true;
                        break;
                    }
                }
                if (found)
                {
                    g[b, d] = EndpointMark.Arrow;
                    changed = true;
                }
            }
        }
        return changed;
    }

    // R4: a discriminating path <θ, …, α, β, γ> for β with β o-* γ: β → γ if β ∈ Sepset(θ, γ), else α ↔ β ↔ γ.
    private static bool R4(EndpointGraph g, Dictionary<(int, int), SortedSet<int>> sepsets)
    {
        bool changed = false;
        int n = g.Nodes;
        for (int gamma = 0; gamma < n; gamma++)
        {
            for (int beta = 0; beta < n; beta++)
            {
                if (beta == gamma || !g.Adjacent(beta, gamma) || g[beta, gamma] != EndpointMark.Circle)
                {
                    continue;
                }
                for (int alpha = 0; alpha < n; alpha++)
                {
                    if (alpha == beta || alpha == gamma || !g.Adjacent(alpha, beta) || !Directed(g, alpha, gamma) || !Arrow(g, alpha, beta))
                    {
                        continue;
                    }
                    int theta = FindTheta(g, alpha, beta, gamma);
                    if (theta < 0)
                    {
                        continue;
                    }
                    if (sepsets.TryGetValue((theta, gamma), out var s) && s.Contains(beta))
                    {
                        g.SetEdge(beta, gamma, EndpointMark.Tail, EndpointMark.Arrow);
                    }
                    else
                    {
                        g.SetEdge(alpha, beta, EndpointMark.Arrow, EndpointMark.Arrow);
                        g.SetEdge(beta, gamma, EndpointMark.Arrow, EndpointMark.Arrow);
                    }
                    changed = true;
                    break;
                }
            }
        }
        return changed;
    }

    /// <summary>
    /// Walks back from α (a collider-parent of γ next to β) through nodes that are colliders on the path and
    /// parents of γ, until a node θ not adjacent to γ is reached; −1 if none.
    /// </summary>
    private static int FindTheta(EndpointGraph g, int alpha, int beta, int gamma)
    {
        int n = g.Nodes;
        var visited = new HashSet<int> { beta, gamma, alpha };
        var queue = new Queue<int>();
        queue.Enqueue(alpha);
        while (queue.Count > 0)
        {
            int cur = queue.Dequeue();
            for (int prev = 0; prev < n; prev++)
            {
                if (visited.Contains(prev) || !g.Adjacent(prev, cur) || g[cur, prev] != EndpointMark.Arrow)
                {
                    continue;
                }
                if (!g.Adjacent(prev, gamma))
                {
                    return prev;
                }
                if (Directed(g, prev, gamma))
                {
                    visited.Add(prev);
                    queue.Enqueue(prev);
                }
            }
        }
        return -1;
    }

    // R5: a o-o b with an uncovered circle path a o-o c … d o-o b, a not adjacent to d, b not adjacent to c ⇒
    // a — b and every edge of the path becomes tail–tail.
    private static bool R5(EndpointGraph g)
    {
        bool changed = false;
        int n = g.Nodes;
        for (int a = 0; a < n; a++)
        {
            for (int b = a + 1; b < n; b++)
            {
                if (!g.Adjacent(a, b) || g[a, b] != EndpointMark.Circle || g[b, a] != EndpointMark.Circle)
                {
                    continue;
                }
                var path = UncoveredCirclePath(g, a, b);
                if (path is null)
                {
                    continue;
                }
                g.SetEdge(a, b, EndpointMark.Tail, EndpointMark.Tail);
                for (int k = 0; k + 1 < path.Count; k++)
                {
                    g.SetEdge(path[k], path[k + 1], EndpointMark.Tail, EndpointMark.Tail);
                }
                changed = true;
            }
        }
        return changed;
    }

    private static List<int>? UncoveredCirclePath(EndpointGraph g, int a, int b)
    {
        var path = new List<int> { a };
        var onPath = new bool[g.Nodes];
        onPath[a] = true;
        return Extend(g, path, onPath, a, b) ? path : null;
    }

    private static bool Extend(EndpointGraph g, List<int> path, bool[] onPath, int a, int b)
    {
        int last = path[^1];
        for (int next = 0; next < g.Nodes; next++)
        {
            if (onPath[next] || !g.Adjacent(last, next) || g[last, next] != EndpointMark.Circle || g[next, last] != EndpointMark.Circle)
            {
                continue;
            }
            if (path.Count == 1 && (next == b || g.Adjacent(next, b)))
            {
                continue; // c must differ from b and not be adjacent to b
            }
            if (path.Count >= 2 && g.Adjacent(path[^2], next))
            {
                continue; // uncovered
            }
            if (next == b)
            {
                // d = last must not be adjacent to a, and the path needs at least c and d (three edges or more: c ≠ d allowed equal? no)
                if (path.Count >= 2 && !g.Adjacent(last, a))
                {
                    path.Add(b);
                    return true;
                }
                continue;
            }
            path.Add(next);
            onPath[next] = true;
            if (Extend(g, path, onPath, a, b))
            {
                return true;
            }
            onPath[next] = false;
            path.RemoveAt(path.Count - 1);
        }
        return false;
    }

    // R6: a — b o-* c ⇒ b -* c.
    private static bool R6(EndpointGraph g)
    {
        bool changed = false;
        int n = g.Nodes;
        for (int b = 0; b < n; b++)
        {
            for (int c = 0; c < n; c++)
            {
                if (c == b || !g.Adjacent(b, c) || g[b, c] != EndpointMark.Circle)
                {
                    continue;
                }
                for (int a = 0; a < n; a++)
                {
                    if (a != b && a != c && g.Adjacent(a, b) && g.IsUndirected(a, b))
                    {
                        g[b, c] = EndpointMark.Tail;
                        changed = true;
                        break;
                    }
                }
            }
        }
        return changed;
    }

    // R7: a -o b o-* c, a and c not adjacent ⇒ b -* c.
    private static bool R7(EndpointGraph g)
    {
        bool changed = false;
        int n = g.Nodes;
        for (int b = 0; b < n; b++)
        {
            for (int c = 0; c < n; c++)
            {
                if (c == b || !g.Adjacent(b, c) || g[b, c] != EndpointMark.Circle)
                {
                    continue;
                }
                for (int a = 0; a < n; a++)
                {
                    if (a != b && a != c && g.Adjacent(a, b) && !g.Adjacent(a, c) && g[a, b] == EndpointMark.Tail && g[b, a] == EndpointMark.Circle)
                    {
                        g[b, c] = EndpointMark.Tail;
                        changed = true;
                        break;
                    }
                }
            }
        }
        return changed;
    }

    // R8: a o→ c with a → b → c or a -o b → c ⇒ a → c.
    private static bool R8(EndpointGraph g)
    {
        bool changed = false;
        int n = g.Nodes;
        for (int a = 0; a < n; a++)
        {
            for (int c = 0; c < n; c++)
            {
                if (a == c || !g.Adjacent(a, c) || g[a, c] != EndpointMark.Circle || g[c, a] != EndpointMark.Arrow)
                {
                    continue;
                }
                for (int b = 0; b < n; b++)
                {
                    if (b == a || b == c || !g.Adjacent(a, b) || !Directed(g, b, c))
                    {
                        continue;
                    }
                    if (Directed(g, a, b) || (g[a, b] == EndpointMark.Tail && g[b, a] == EndpointMark.Circle))
                    {
                        g[a, c] = EndpointMark.Tail;
                        changed = true;
                        break;
                    }
                }
            }
        }
        return changed;
    }

    // R9: a o→ c with an uncovered potentially directed path a, b, …, c where b is not adjacent to c ⇒ a → c.
    private static bool R9(EndpointGraph g)
    {
        bool changed = false;
        int n = g.Nodes;
        for (int a = 0; a < n; a++)
        {
            for (int c = 0; c < n; c++)
            {
                if (a == c || !g.Adjacent(a, c) || g[a, c] != EndpointMark.Circle || g[c, a] != EndpointMark.Arrow)
                {
                    continue;
                }
                for (int b = 0; b < n; b++)
                {
                    if (b == a || b == c || !g.Adjacent(a, b) || g.Adjacent(b, c) || !PotentiallyDirected(g, a, b))
                    {
                        continue;
                    }
                    if (UncoveredPdPath(g, [a, b], c, c))
                    {
                        g[a, c] = EndpointMark.Tail;
                        changed = true;
                        break;
                    }
                }
            }
        }
        return changed;
    }

    // R10: a o→ c, b → c ← d, uncovered p.d. paths a…b and a…d whose nodes after a differ and are not adjacent ⇒ a → c.
    private static bool R10(EndpointGraph g)
    {
        bool changed = false;
        int n = g.Nodes;
        for (int a = 0; a < n; a++)
        {
            for (int c = 0; c < n; c++)
            {
                if (a == c || !g.Adjacent(a, c) || g[a, c] != EndpointMark.Circle || g[c, a] != EndpointMark.Arrow)
                {
                    continue;
                }
                bool done = false;
                for (int b = 0; b < n && !done; b++)
                {
                    if (b == a || b == c || !Directed(g, b, c))
                    {
                        continue;
                    }
                    for (int d = b + 1; d < n && !done; d++)
                    {
                        if (d == a || d == c || !Directed(g, d, c))
                        {
                            continue;
                        }
                        for (int m1 = 0; m1 < n && !done; m1++)
                        {
                            if (m1 == a || m1 == c || !g.Adjacent(a, m1) || !PotentiallyDirected(g, a, m1) || !Reaches(g, a, m1, b))
                            {
                                continue;
                            }
                            for (int w1 = 0; w1 < n && !done; w1++)
                            {
                                if (w1 == a || w1 == c || w1 == m1 || g.Adjacent(m1, w1) || !g.Adjacent(a, w1) || !PotentiallyDirected(g, a, w1) || !Reaches(g, a, w1, d))
                                {
                                    continue;
                                }
                                g[a, c] = EndpointMark.Tail;
                                changed = true;
                                done = true;
                            }
                        }
                    }
                }
            }
        }
        return changed;
    }

    private static bool Reaches(EndpointGraph g, int a, int first, int target) => first == target || UncoveredPdPath(g, [a, first], target, -1);

    /// <summary>No arrowhead at the first node and no tail at the second: the edge could be oriented first → second.</summary>
    private static bool PotentiallyDirected(EndpointGraph g, int from, int to) => g[from, to] != EndpointMark.Arrow && g[to, from] != EndpointMark.Tail;

    /// <summary>Extends an uncovered potentially directed path (depth-first) to <paramref name="target"/>.</summary>
    private static bool UncoveredPdPath(EndpointGraph g, List<int> path, int target, int avoid)
    {
        int last = path[^1];
        if (last == target)
        {
            return true;
        }
        for (int next = 0; next < g.Nodes; next++)
        {
            if (path.Contains(next) || !g.Adjacent(last, next) || !PotentiallyDirected(g, last, next) || g.Adjacent(path[^2], next))
            {
                continue;
            }
            if (next == avoid && next != target)
            {
                continue;
            }
            path.Add(next);
            if (UncoveredPdPath(g, path, target, avoid))
            {
                return true;
            }
            path.RemoveAt(path.Count - 1);
        }
        return false;
    }
}
