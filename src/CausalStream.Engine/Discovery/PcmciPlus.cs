namespace CausalStream.Engine.Discovery;

/// <summary>
/// PCMCI+ with partial-correlation tests (Runge 2020): PC1 lagged condition selection, a PC skeleton phase whose
/// tests condition on subsets of the contemporaneous adjacencies plus the lagged parents of both ends (MCI style),
/// collider orientation with the majority, conservative or standard rule, and Meek-rule orientation with conflict
/// marks. It follows tigramite's <c>run_pcmciplus</c> order of tests and tie rules so results match it; every test is
/// a small solve on the lagged covariance, independent of the series length. docs/discovery.md lists the choices.
/// </summary>
public sealed class PcmciPlus
{
    private const sbyte NoLink = 0;
    private const sbyte Circle = 1;
    private const sbyte Right = 2;
    private const sbyte Left = 3;
    private const sbyte Conflict = 4;

    private readonly Pcmci _pcmci;
    private readonly ParCorrTest _test;
    private readonly int _n;
    private readonly List<int> _z = new();
    private int[] _zIndex = new int[16];
    private int _taus;
    private sbyte[] _contemp = [];
    private bool[] _lagged = [];
    private IReadOnlyList<LaggedVariable>[] _parents = [];

    /// <summary>Prepares PCMCI+ on a row-major series (T × C) for lags up to <paramref name="tauMax"/>.</summary>
    /// <exception cref="ArgumentException">The series is too short for the lag.</exception>
    public PcmciPlus(ReadOnlySpan<double> rowMajor, int channels, int tauMax)
        : this(new Pcmci(rowMajor, channels, tauMax))
    {
    }

    /// <summary>Runs PCMCI+ on the covariance (and PC1 machinery) of a prepared <see cref="Pcmci"/>.</summary>
    public PcmciPlus(Pcmci pcmci)
    {
        ArgumentNullException.ThrowIfNull(pcmci);
        _pcmci = pcmci;
        _test = pcmci.Test;
        _n = pcmci.Channels;
    }

    /// <summary>Number of channels.</summary>
    public int Channels => _n;

    /// <summary>Runs the four phases.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The lags or the level do not fit.</exception>
    public PcmciPlusResult Run(PcmciPlusOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.TauMax > _pcmci.TauMax || options.TauMin < 0 || options.TauMin > options.TauMax)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"Lags {options.TauMin}..{options.TauMax} do not fit this instance (0..{_pcmci.TauMax}).");
        }
        if (!(options.PcAlpha > 0 && options.PcAlpha < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.PcAlpha, "pc_alpha must lie in (0, 1).");
        }

        long testsBefore = _test.TestsRun;
        long degenerateBefore = _test.DegenerateTests;
        int n = _n;
        int tauMax = options.TauMax;
        _taus = tauMax + 1;
        int taus = _taus;
        int firstLag = Math.Max(1, options.TauMin);
        double alpha = options.PcAlpha;

        // Phase 1: PC1 lagged parents; its values stay for the lagged links it drops.
        var pc1 = new Pc1Parents[n];
        _parents = new IReadOnlyList<LaggedVariable>[n];
        var values = new double[n, n, taus];
        var p = new double[n, n, taus];
        Fill(p, 1.0);
        for (int j = 0; j < n; j++)
        {
            pc1[j] = _pcmci.RunPc1(j, alpha, firstLag, tauMax, options.MaxCondsDim, options.MaxCombinations);
            _parents[j] = pc1[j].Parents;
            foreach (var (link, weakest) in pc1[j].Weakest)
            {
                p[link.Channel, j, link.Lag] = weakest.PValue;
                values[link.Channel, j, link.Lag] = weakest.Value;
            }
        }

        // Phase 2: skeleton with contemporaneous conditions and MCI tests.
        _contemp = new sbyte[n * n];
        _lagged = new bool[n * n * taus];
        for (int j = 0; j < n; j++)
        {
            for (int i = 0; i < n; i++)
            {
                if (options.TauMin == 0 && i != j)
                {
                    _contemp[(i * n) + j] = Circle;
                }
                for (int tau = firstLag; tau <= tauMax; tau++)
                {
                    _lagged[Cell(i, j, tau)] = options.ResetLaggedLinks || Contains(_parents[j], new LaggedVariable(i, tau));
                }
            }
        }
        var inSkeleton = new bool[n * n * taus];
        for (int c = 0; c < inSkeleton.Length; c++)
        {
            int tau = c % taus;
            int ij = c / taus;
            inSkeleton[c] = tau == 0 ? _contemp[((ij / n) * n) + (ij % n)] != NoLink : _lagged[c];
        }
        var skeletonP = new double[n * n * taus];
        var skeletonVal = new double[n * n * taus];
        var valMin = new double[n * n * taus];
        for (int c = 0; c < skeletonP.Length; c++)
        {
            skeletonP[c] = inSkeleton[c] ? 0.0 : 1.0;
            valMin[c] = double.PositiveInfinity;
        }
        var sepsets = new Dictionary<(LaggedVariable Source, int Target), List<LaggedVariable>>();
        RunSkeleton(options, skeletonP, skeletonVal, valMin, sepsets);

        // Symmetrise the contemporaneous entries by the larger p-value (the first of i < j on ties).
        if (options.TauMin == 0)
        {
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    if (i != j && skeletonP[Cell(i, j, 0)] >= skeletonP[Cell(j, i, 0)])
                    {
                        skeletonP[Cell(j, i, 0)] = skeletonP[Cell(i, j, 0)];
                        skeletonVal[Cell(j, i, 0)] = skeletonVal[Cell(i, j, 0)];
                    }
                }
            }
        }
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                for (int tau = 0; tau < taus; tau++)
                {
                    int c = Cell(i, j, tau);
                    if (tau == 0 || inSkeleton[c])
                    {
                        p[i, j, tau] = skeletonP[c];
                        values[i, j, tau] = skeletonVal[c];
                    }
                }
            }
        }

        // Phase 3: colliders. Phase 4: orientation rules.
        var ambiguous = new List<UnshieldedTriple>();
        OrientColliders(options, sepsets, ambiguous);
        OrientByRules(options.ConflictResolution, ambiguous);

        var graph = new string[n, n, taus];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                graph[i, j, 0] = MarkText(_contemp[(i * n) + j]);
                for (int tau = 1; tau < taus; tau++)
                {
                    graph[i, j, tau] = _lagged[Cell(i, j, tau)] ? "-->" : string.Empty;
                }
            }
        }

        var adjusted = (double[,,])p.Clone();
        if (options.FdrBh)
        {
            Pcmci.AdjustLagged(p, adjusted, n, options.TauMin, tauMax);
        }

        var frozen = new Dictionary<(LaggedVariable Source, int Target), IReadOnlyList<LaggedVariable>>(sepsets.Count);
        foreach (var (key, set) in sepsets)
        {
            frozen[key] = set.ToArray();
        }
        return new PcmciPlusResult(n, tauMax, _test.Rows, values, p, adjusted, graph, pc1, frozen, ambiguous, _test.TestsRun - testsBefore, _test.DegenerateTests - degenerateBefore);
    }

    private void RunSkeleton(PcmciPlusOptions options, double[] skeletonP, double[] skeletonVal, double[] valMin, Dictionary<(LaggedVariable Source, int Target), List<LaggedVariable>> sepsets)
    {
        int n = _n;
        double alpha = options.PcAlpha;
        int maxDim = options.MaxCondsDim ?? n;
        var adjacency = new List<int>[n];
        for (int j = 0; j < n; j++)
        {
            adjacency[j] = new List<int>();
            for (int i = 0; i < n; i++)
            {
                if (_contemp[(i * n) + j] != NoLink)
                {
                    adjacency[j].Add(i);
                }
            }
        }

        var remaining = new List<(int I, int J, int Tau)>();
        var candidates = new List<int>(n);
        var subset = new int[n + 1];
        var conditions = new int[n + 1];
        for (int level = 0; level <= maxDim; level++)
        {
            remaining.Clear();
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    for (int tau = options.TauMin; tau <= options.TauMax; tau++)
                    {
                        if (Present(i, j, tau) && CountExcept(adjacency[j], tau == 0 ? i : -1) >= level)
                        {
                            remaining.Add((i, j, tau));
                        }
                    }
                }
            }
            if (remaining.Count == 0)
            {
                break;
            }

            foreach (var (i, j, tau) in remaining)
            {
                if (!Present(i, j, tau))
                {
                    continue;
                }
                candidates.Clear();
                foreach (int a in adjacency[j])
                {
                    if (!(tau == 0 && a == i))
                    {
                        candidates.Add(a);
                    }
                }
                int c = Cell(i, j, tau);
                bool more = Combinations.First(subset, level, candidates.Count);
                while (more)
                {
                    for (int s = 0; s < level; s++)
                    {
                        conditions[s] = candidates[subset[s]];
                    }
                    var result = Mci(i, tau, j, conditions.AsSpan(0, level));
                    double abs = Math.Abs(result.Value);
                    if (abs < valMin[c])
                    {
                        valMin[c] = abs;
                    }
                    if (result.PValue >= skeletonP[c])
                    {
                        skeletonP[c] = result.PValue;
                        skeletonVal[c] = result.Value;
                    }
                    if (result.PValue > alpha)
                    {
                        var sepset = new List<LaggedVariable>(level);
                        for (int s = 0; s < level; s++)
                        {
                            sepset.Add(new LaggedVariable(conditions[s], 0));
                        }
                        if (tau == 0)
                        {
                            _contemp[(i * n) + j] = NoLink;
                            _contemp[(j * n) + i] = NoLink;
                            sepsets[(new LaggedVariable(i, 0), j)] = sepset;
                            sepsets[(new LaggedVariable(j, 0), i)] = new List<LaggedVariable>(sepset);
                            skeletonP[Cell(j, i, 0)] = skeletonP[c];
                        }
                        else
                        {
                            _lagged[c] = false;
                            sepsets[(new LaggedVariable(i, tau), j)] = sepset;
                        }
                        break;
                    }
                    more = Combinations.Next(subset, level, candidates.Count);
                }
            }

            // Contemporaneous adjacencies, strongest (largest smallest |value|) first; ties keep the channel order.
            for (int j = 0; j < n; j++)
            {
                var list = adjacency[j];
                list.Clear();
                for (int i = 0; i < n; i++)
                {
                    if (_contemp[(i * n) + j] != NoLink)
                    {
                        list.Add(i);
                    }
                }
                int target = j;
                list.Sort((a, b) =>
                {
                    int byValue = valMin[Cell(b, target, 0)].CompareTo(valMin[Cell(a, target, 0)]);
                    return byValue != 0 ? byValue : a.CompareTo(b);
                });
            }
        }
    }

    private void OrientColliders(PcmciPlusOptions options, Dictionary<(LaggedVariable Source, int Target), List<LaggedVariable>> sepsets, List<UnshieldedTriple> ambiguous)
    {
        int n = _n;
        var triples = new List<UnshieldedTriple>();
        for (int j = 0; j < n; j++)
        {
            foreach (var (k, tauK) in Adjacent(j, includeConflicts: false))
            {
                if (tauK != 0 || _contemp[(k * n) + j] != Circle)
                {
                    continue;
                }
                foreach (var (i, tauI) in Adjacent(k, includeConflicts: false))
                {
                    if (i == j && tauI == 0)
                    {
                        continue;
                    }
                    sbyte ik = Mark(i, k, tauI);
                    if (Mark(i, j, tauI) == NoLink && (ik == Circle || ik == Right))
                    {
                        triples.Add(new UnshieldedTriple(new LaggedVariable(i, tauI), k, j));
                    }
                }
            }
        }

        var colliders = new List<UnshieldedTriple>();
        if (options.ColliderRule == ContemporaneousColliderRule.None)
        {
            foreach (var t in triples)
            {
                if (!sepsets.TryGetValue((t.Source, t.Target), out var set) || !set.Contains(new LaggedVariable(t.Middle, 0)))
                {
                    colliders.Add(t);
                }
            }
        }
        else
        {
            var contempAdjacency = new List<int>[n];
            for (int j = 0; j < n; j++)
            {
                contempAdjacency[j] = new List<int>();
                for (int i = 0; i < n; i++)
                {
                    if (_contemp[(i * n) + j] != NoLink)
                    {
                        contempAdjacency[j].Add(i);
                    }
                }
            }
            var a = new List<int>(n);
            var b = new List<int>(n);
            var subset = new int[n + 1];
            var conditions = new int[n + 1];
            foreach (var t in triples)
            {
                int i = t.Source.Channel;
                int tau = t.Source.Lag;
                int k = t.Middle;
                int j = t.Target;
                a.Clear();
                foreach (int l in contempAdjacency[j])
                {
                    if (!(tau == 0 && l == i))
                    {
                        a.Add(l);
                    }
                }
                b.Clear();
                if (tau == 0)
                {
                    foreach (int l in contempAdjacency[i])
                    {
                        if (l != j)
                        {
                            b.Add(l);
                        }
                    }
                }

                int separating = 0;
                int withMiddle = 0;
                // Every subset of j's adjacencies, then those of i's that are not also subsets of j's (each set once).
                for (int side = 0; side < 2; side++)
                {
                    var pool = side == 0 ? a : b;
                    if (pool.Count == 0)
                    {
                        continue;
                    }
                    for (int size = 0; size <= pool.Count; size++)
                    {
                        bool more = Combinations.First(subset, size, pool.Count);
                        while (more)
                        {
                            bool duplicate = side == 1;
                            bool hasMiddle = false;
                            for (int s = 0; s < size; s++)
                            {
                                int node = pool[subset[s]];
                                conditions[s] = node;
                                hasMiddle |= node == k;
                                if (duplicate && !a.Contains(node))
                                {
                                    duplicate = false;
                                }
                            }
                            if (!duplicate)
                            {
                                var result = Mci(i, tau, j, conditions.AsSpan(0, size));
                                if (result.PValue > options.PcAlpha)
                                {
                                    separating++;
                                    if (hasMiddle)
                                    {
                                        withMiddle++;
                                    }
                                }
                            }
                            more = Combinations.Next(subset, size, pool.Count);
                        }
                    }
                }

                if (separating == 0)
                {
                    ambiguous.Add(t);
                    continue;
                }
                bool collider;
                bool nonCollider;
                if (options.ColliderRule == ContemporaneousColliderRule.Majority)
                {
                    collider = 2 * withMiddle < separating;
                    nonCollider = 2 * withMiddle > separating;
                }
                else
                {
                    collider = withMiddle == 0;
                    nonCollider = withMiddle == separating;
                }
                var middle = new LaggedVariable(k, 0);
                if (collider)
                {
                    colliders.Add(t);
                    RemoveFromSepset(sepsets, t.Source, j, middle);
                    if (tau == 0)
                    {
                        RemoveFromSepset(sepsets, new LaggedVariable(j, 0), i, middle);
                    }
                }
                else if (nonCollider)
                {
                    AddToSepset(sepsets, t.Source, j, middle);
                    if (tau == 0)
                    {
                        AddToSepset(sepsets, new LaggedVariable(j, 0), i, middle);
                    }
                }
                else
                {
                    ambiguous.Add(t);
                }
            }
        }

        var oriented = new HashSet<(int, int)>();
        foreach (var t in colliders)
        {
            int i = t.Source.Channel;
            int k = t.Middle;
            int j = t.Target;
            Orient(oriented, j, k, options.ConflictResolution);
            if (t.Source.Lag == 0)
            {
                Orient(oriented, i, k, options.ConflictResolution);
            }
        }
    }

    private void OrientByRules(bool conflictResolution, List<UnshieldedTriple> ambiguous)
    {
        int n = _n;
        var oriented = new HashSet<(int, int)>();
        var ambiguousSet = new HashSet<UnshieldedTriple>(ambiguous);
        var found = new List<UnshieldedTriple>();
        var chains = new List<(UnshieldedTriple First, UnshieldedTriple Second)>();
        bool any1 = true;
        bool any2 = true;
        bool any3 = true;
        while (any1 || any2 || any3)
        {
            // R1: i *-> k o-o j with i, j not adjacent: orient k --> j.
            found.Clear();
            for (int j = 0; j < n; j++)
            {
                foreach (var (k, tauK) in Adjacent(j, includeConflicts: false))
                {
                    if (tauK != 0 || _contemp[(j * n) + k] != Circle)
                    {
                        continue;
                    }
                    foreach (var (i, tauI) in Adjacent(k, includeConflicts: false))
                    {
                        if (!(i == j && tauI == 0) && Mark(i, j, tauI) == NoLink && Mark(i, k, tauI) == Right)
                        {
                            found.Add(new UnshieldedTriple(new LaggedVariable(i, tauI), k, j));
                        }
                    }
                }
            }
            any1 = false;
            foreach (var t in found)
            {
                if (!ambiguousSet.Contains(t))
                {
                    any1 = true;
                    Orient(oriented, t.Middle, t.Target, conflictResolution);
                }
            }

            // R2: i --> k --> j with i o-o j: orient i --> j.
            found.Clear();
            for (int j = 0; j < n; j++)
            {
                for (int k = 0; k < n; k++)
                {
                    if (!ContemporaneousAdjacent(k, j) || _contemp[(k * n) + j] != Right)
                    {
                        continue;
                    }
                    for (int i = 0; i < n; i++)
                    {
                        if (ContemporaneousAdjacent(i, k) && _contemp[(i * n) + k] == Right && i != j
                            && _contemp[(i * n) + j] == Circle && _contemp[(j * n) + i] == Circle)
                        {
                            found.Add(new UnshieldedTriple(new LaggedVariable(i, 0), k, j));
                        }
                    }
                }
            }
            any2 = false;
            foreach (var t in found)
            {
                if (!ambiguousSet.Contains(t))
                {
                    any2 = true;
                    Orient(oriented, t.Source.Channel, t.Target, conflictResolution);
                }
            }

            // R3: i o-o k --> j and i o-o l --> j with k, l not adjacent and i o-o j: orient i --> j.
            chains.Clear();
            for (int j = 0; j < n; j++)
            {
                for (int i = 0; i < n; i++)
                {
                    if (!ContemporaneousAdjacent(i, j) || _contemp[(j * n) + i] != Circle)
                    {
                        continue;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        if (!ContemporaneousAdjacent(k, j))
                        {
                            continue;
                        }
                        for (int l = 0; l < n; l++)
                        {
                            if (ContemporaneousAdjacent(l, j) && k != l && k != i && l != i
                                && _contemp[(k * n) + j] == Right && _contemp[(l * n) + j] == Right
                                && _contemp[(k * n) + i] == Circle && _contemp[(l * n) + i] == Circle
                                && _contemp[(k * n) + l] == NoLink)
                            {
                                chains.Add((new UnshieldedTriple(new LaggedVariable(i, 0), k, j), new UnshieldedTriple(new LaggedVariable(i, 0), l, j)));
                            }
                        }
                    }
                }
            }
            any3 = false;
            foreach (var (first, second) in chains)
            {
                if (!ambiguousSet.Contains(first) && !ambiguousSet.Contains(second))
                {
                    any3 = true;
                    Orient(oriented, first.Source.Channel, first.Target, conflictResolution);
                }
            }
        }
    }

    /// <summary>
    /// Orients from → to unless either direction was already oriented in this phase; with conflict resolution an
    /// earlier opposite orientation turns the link into "x-x".
    /// </summary>
    private void Orient(HashSet<(int, int)> oriented, int from, int to, bool conflictResolution)
    {
        int n = _n;
        if (!oriented.Contains((to, from)) && !oriented.Contains((from, to)))
        {
            _contemp[(from * n) + to] = Right;
            _contemp[(to * n) + from] = Left;
            oriented.Add((from, to));
        }
        if (conflictResolution && oriented.Contains((to, from)))
        {
            _contemp[(from * n) + to] = Conflict;
            _contemp[(to * n) + from] = Conflict;
        }
    }

    /// <summary>MCI test of X^i_{t−τ} ⊥ X^j_t given S (contemporaneous), the lagged parents of j and those of i shifted by τ.</summary>
    private CiTestResult Mci(int i, int tau, int j, ReadOnlySpan<int> contemporaneous)
    {
        int n = _n;
        _z.Clear();
        foreach (int s in contemporaneous)
        {
            _z.Add(s);
        }
        int x = (tau * n) + i;
        foreach (var q in _parents[j])
        {
            int index = (q.Lag * n) + q.Channel;
            if (index != x && !_z.Contains(index))
            {
                _z.Add(index);
            }
        }
        foreach (var q in _parents[i])
        {
            int index = ((q.Lag + tau) * n) + q.Channel;
            if (!_z.Contains(index))
            {
                _z.Add(index);
            }
        }
        if (_zIndex.Length < _z.Count)
        {
            _zIndex = new int[_z.Count * 2];
        }
        for (int s = 0; s < _z.Count; s++)
        {
            _zIndex[s] = _z[s];
        }
        return _test.TestIndices(x, j, _zIndex.AsSpan(0, _z.Count));
    }

    /// <summary>Adjacencies (i, τ) of node j (links X^i_{t−τ} *-* X^j_t), channel ascending, then lag ascending.</summary>
    private List<(int Channel, int Lag)> Adjacent(int j, bool includeConflicts)
    {
        var list = new List<(int, int)>();
        for (int i = 0; i < _n; i++)
        {
            for (int tau = 0; tau < _taus; tau++)
            {
                sbyte m = Mark(i, j, tau);
                if (m != NoLink && (includeConflicts || m != Conflict))
                {
                    list.Add((i, tau));
                }
            }
        }
        return list;
    }

    private bool ContemporaneousAdjacent(int i, int j)
    {
        sbyte m = _contemp[(i * _n) + j];
        return m != NoLink && m != Conflict;
    }

    private sbyte Mark(int i, int j, int tau) => tau == 0 ? _contemp[(i * _n) + j] : (_lagged[Cell(i, j, tau)] ? Right : NoLink);

    private bool Present(int i, int j, int tau) => Mark(i, j, tau) != NoLink;

    private int Cell(int i, int j, int tau) => (((i * _n) + j) * _taus) + tau;

    private static int CountExcept(List<int> list, int excluded)
    {
        int count = list.Count;
        if (excluded >= 0 && list.Contains(excluded))
        {
            count--;
        }
        return count;
    }

    private static bool Contains(IReadOnlyList<LaggedVariable> list, LaggedVariable v)
    {
        for (int k = 0; k < list.Count; k++)
        {
            if (list[k] == v)
            {
                return true;
            }
        }
        return false;
    }

    private static void RemoveFromSepset(Dictionary<(LaggedVariable Source, int Target), List<LaggedVariable>> sepsets, LaggedVariable source, int target, LaggedVariable node)
    {
        if (sepsets.TryGetValue((source, target), out var set))
        {
            set.Remove(node);
        }
    }

    private static void AddToSepset(Dictionary<(LaggedVariable Source, int Target), List<LaggedVariable>> sepsets, LaggedVariable source, int target, LaggedVariable node)
    {
        if (!sepsets.TryGetValue((source, target), out var set))
        {
            set = new List<LaggedVariable>();
            sepsets[(source, target)] = set;
        }
        if (!set.Contains(node))
        {
            set.Add(node);
        }
    }

    private static void Fill(double[,,] cube, double value)
    {
        for (int a = 0; a < cube.GetLength(0); a++)
        {
            for (int b = 0; b < cube.GetLength(1); b++)
            {
                for (int c = 0; c < cube.GetLength(2); c++)
                {
                    cube[a, b, c] = value;
                }
            }
        }
    }

    private static string MarkText(sbyte mark) => mark switch
    {
        Circle => "o-o",
        Right => "-->",
        Left => "<--",
        Conflict => "x-x",
        _ => string.Empty,
    };
}
