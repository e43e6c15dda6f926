using CausalStream.Engine.Statistics;

namespace CausalStream.Engine.Discovery;

/// <summary>
/// PCMCI with partial-correlation tests (Runge et al. 2019), following tigramite's <c>run_pcmci</c> conventions
/// so results match it: a PC1 condition-selection stage per target over the lagged candidates, then the
/// momentary-conditional-independence (MCI) test of every link. The lagged covariance of the series is built once;
/// every test is then a small solve. Tie-breaking rules are listed in docs/discovery.md.
/// </summary>
public sealed class Pcmci
{
    private readonly ParCorrTest _test;
    private readonly List<LaggedVariable> _conditions = new();

    /// <summary>Prepares PCMCI on a row-major series (T × C) for lags up to <paramref name="tauMax"/>.</summary>
    /// <exception cref="ArgumentException">The series is too short for the lag.</exception>
    public Pcmci(ReadOnlySpan<double> rowMajor, int channels, int tauMax)
    {
        if (tauMax < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(tauMax), tauMax, "The largest lag must be at least 0.");
        }
        if (channels < 1 || rowMajor.Length % channels != 0)
        {
            throw new ArgumentException($"{rowMajor.Length} values do not form rows of {channels} channels.", nameof(rowMajor));
        }
        int samples = rowMajor.Length / channels;
        if (samples < (2 * tauMax) + 3)
        {
            throw new ArgumentException($"{samples} samples are too few for tau-max {tauMax}: the tests use rows {2 * tauMax}..T-1 and need at least 3 of them.", nameof(rowMajor));
        }
        TauMax = tauMax;
        Channels = channels;
        _test = ParCorrTest.ForSeries(rowMajor, channels, tauMax);
    }

    /// <summary>
    /// Prepares PCMCI on a lagged covariance that holds lags 0 … 2·<paramref name="tauMax"/> (for example one a live
    /// stage refills every hop from the windowed statistics with <see cref="LaggedVariableCovariance.LoadGram"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The covariance holds fewer than 2·τmax lags.</exception>
    public Pcmci(LaggedVariableCovariance covariance, int tauMax)
    {
        ArgumentNullException.ThrowIfNull(covariance);
        if (tauMax < 0 || covariance.MaxLag < 2 * tauMax)
        {
            throw new ArgumentException($"The covariance holds lags 0..{covariance.MaxLag}; tau-max {tauMax} needs lags up to {2 * tauMax}.", nameof(tauMax));
        }
        TauMax = tauMax;
        Channels = covariance.Channels;
        _test = new ParCorrTest(covariance);
    }

    /// <summary>Number of channels.</summary>
    public int Channels { get; }

    /// <summary>
    /// Whether <see cref="RunPc1"/> keeps every test in <see cref="Pc1Parents.Tests"/> (default). A live stage turns it
    /// off so that a test allocates nothing.
    /// </summary>
    public bool RecordTests { get; set; } = true;

    /// <summary>Largest lag the covariance was built for.</summary>
    public int TauMax { get; }

    /// <summary>The partial-correlation test used (rows t = 2·τmax … T−1).</summary>
    public ParCorrTest Test => _test;

    /// <summary>Runs PC1 and MCI.</summary>
    public PcmciResult Run(PcmciOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        CheckLags(options);
        long before = _test.DegenerateTests;
        var parents = new Pc1Parents[Channels];
        for (int j = 0; j < Channels; j++)
        {
            parents[j] = SelectParents(j, options);
        }
        var result = RunMci(parents, options);
        result.DegenerateTests = _test.DegenerateTests - before;
        return result;
    }

    /// <summary>
    /// PC1 for one target: at the level chosen (or, when <see cref="PcmciOptions.PcAlpha"/> is null, at the
    /// candidate level with the smallest AIC; the smallest level wins ties).
    /// </summary>
    public Pc1Parents SelectParents(int target, PcmciOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        int tauMin = Math.Max(1, options.TauMin);
        if (options.PcAlpha is double alpha)
        {
            return RunPc1(target, alpha, tauMin, options.TauMax, options.MaxCondsDim, options.MaxCombinations);
        }

        Pc1Parents? best = null;
        foreach (double candidate in options.PcAlphaCandidates)
        {
            var run = RunPc1(target, candidate, tauMin, options.TauMax, options.MaxCondsDim, options.MaxCombinations);
            // Score the parents in a canonical order so that equal sets give bit-identical scores (exact ties).
            var canonical = new List<LaggedVariable>(run.Parents);
            canonical.Sort(CompareCanonical);
            run.AicScore = _test.AicScore(target, canonical);
            if (best is null || run.AicScore < best.AicScore)
            {
                best = run;
            }
        }
        return best ?? throw new ArgumentException("No PC1 level candidates were given.", nameof(options));
    }

    /// <summary>
    /// The PC1 stage for one target at level <paramref name="alpha"/> (tigramite's stable PC1 variant). Candidates
    /// are (i, τ) for i = 0..C−1 and τ = tauMin..tauMax in that order. At level d each current parent is tested
    /// given the first <paramref name="maxCombinations"/> d-subsets (in combination order) of the other current
    /// parents; it is dropped when a p-value exceeds alpha. Drops take effect after the level, and the survivors
    /// are then sorted by decreasing smallest |value| (ties keep candidate order). The loop ends when fewer than
    /// d + 1 parents remain or d exceeds <paramref name="maxCondsDim"/>.
    /// </summary>
    public Pc1Parents RunPc1(int target, double alpha, int tauMin, int tauMax, int? maxCondsDim = null, int maxCombinations = 1)
    {
        if (tauMax > TauMax)
        {
            throw new ArgumentOutOfRangeException(nameof(tauMax), tauMax, $"This instance holds lags up to {TauMax}.");
        }
        var candidates = new List<LaggedVariable>();
        for (int i = 0; i < Channels; i++)
        {
            for (int tau = Math.Max(1, tauMin); tau <= tauMax; tau++)
            {
                candidates.Add(new LaggedVariable(i, tau));
            }
        }
        int count = candidates.Count;
        var minAbs = new double[count];
        var maxP = new double[count];
        var maxPValue = new double[count];
        Array.Fill(minAbs, double.PositiveInfinity);
        Array.Fill(maxP, -1.0);
        var parents = new List<int>(count);
        for (int c = 0; c < count; c++)
        {
            parents.Add(c);
        }

        var tests = new List<Pc1Test>();
        var y = new LaggedVariable(target, 0);
        var drop = new List<int>();
        var others = new List<int>(count);
        var subset = new int[count];
        int limit = maxCondsDim ?? count;
        for (int level = 0; level <= limit; level++)
        {
            if (parents.Count - 1 < level)
            {
                break;
            }
            drop.Clear();
            foreach (int parent in parents)
            {
                others.Clear();
                foreach (int q in parents)
                {
                    if (q != parent)
                    {
                        others.Add(q);
                    }
                }
                int combination = 0;
                bool more = Combinations.First(subset, level, others.Count);
                while (more && combination < maxCombinations)
                {
                    _conditions.Clear();
                    for (int k = 0; k < level; k++)
                    {
                        _conditions.Add(candidates[others[subset[k]]]);
                    }
                    var result = _test.Test(candidates[parent], y, _conditions);
                    if (RecordTests)
                    {
                        tests.Add(new Pc1Test(target, level, candidates[parent], _conditions.ToArray(), result));
                    }
                    double abs = Math.Abs(result.Value);
                    if (abs < minAbs[parent])
                    {
                        minAbs[parent] = abs;
                    }
                    if (result.PValue > maxP[parent])
                    {
                        maxP[parent] = result.PValue;
                        maxPValue[parent] = result.Value;
                    }
                    if (result.PValue > alpha)
                    {
                        drop.Add(parent);
                        break;
                    }
                    combination++;
                    more = Combinations.Next(subset, level, others.Count);
                }
            }
            foreach (int d in drop)
            {
                parents.Remove(d);
            }
            // Decreasing smallest |value|; equal values keep the candidate order.
            parents.Sort((a, b) =>
            {
                int byValue = minAbs[b].CompareTo(minAbs[a]);
                return byValue != 0 ? byValue : a.CompareTo(b);
            });
        }

        var chosen = new List<LaggedVariable>(parents.Count);
        foreach (int p in parents)
        {
            chosen.Add(candidates[p]);
        }
        var extremes = new Dictionary<LaggedVariable, CiTestResult>();
        var weakest = new Dictionary<LaggedVariable, CiTestResult>();
        for (int c = 0; c < count; c++)
        {
            if (!double.IsPositiveInfinity(minAbs[c]))
            {
                extremes[candidates[c]] = new CiTestResult(minAbs[c], maxP[c]);
                weakest[candidates[c]] = new CiTestResult(maxPValue[c], maxP[c]);
            }
        }
        return new Pc1Parents(target, alpha, chosen, extremes, weakest, tests);
    }

    /// <summary>
    /// The MCI stage given each target's PC1 parents: for X^i_{t−τ} → X^j_t the conditions are the parents of j
    /// without X^i_{t−τ}, then the parents of i shifted by τ that are not already present. A contemporaneous pair
    /// (τ = 0) is tested once, and the result is written to both [i, j, 0] and [j, i, 0].
    /// </summary>
    public PcmciResult RunMci(IReadOnlyList<Pc1Parents> parents, PcmciOptions options)
    {
        ArgumentNullException.ThrowIfNull(parents);
        ArgumentNullException.ThrowIfNull(options);
        CheckLags(options);
        long degenerateBefore = _test.DegenerateTests;
        int n = Channels;
        int taus = options.TauMax + 1;
        var values = new double[n, n, taus];
        var p = new double[n, n, taus];
        for (int j = 0; j < n; j++)
        {
            p[j, j, 0] = 1.0;
        }

        var z = new List<LaggedVariable>();
        for (int j = 0; j < n; j++)
        {
            for (int i = 0; i < n; i++)
            {
                for (int tau = options.TauMin; tau <= options.TauMax; tau++)
                {
                    if (tau == 0 && i >= j)
                    {
                        continue;
                    }
                    var x = new LaggedVariable(i, tau);
                    z.Clear();
                    foreach (var q in parents[j].Parents)
                    {
                        if (q != x)
                        {
                            z.Add(q);
                        }
                    }
                    foreach (var q in parents[i].Parents)
                    {
                        var shifted = q.Shift(tau);
                        if (!z.Contains(shifted))
                        {
                            z.Add(shifted);
                        }
                    }
                    var result = _test.Test(x, new LaggedVariable(j, 0), z);
                    values[i, j, tau] = result.Value;
                    p[i, j, tau] = result.PValue;
                    if (tau == 0)
                    {
                        values[j, i, 0] = result.Value;
                        p[j, i, 0] = result.PValue;
                    }
                }
            }
        }
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                for (int tau = 0; tau < Math.Min(options.TauMin, taus); tau++)
                {
                    p[i, j, tau] = 1.0;
                }
            }
        }

        var adjusted = (double[,,])p.Clone();
        if (options.FdrBh)
        {
            AdjustLagged(p, adjusted, options);
        }

        var graph = new string[n, n, taus];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                for (int tau = 0; tau < taus; tau++)
                {
                    bool tested = tau >= options.TauMin && !(tau == 0 && i == j);
                    graph[i, j, tau] = tested && adjusted[i, j, tau] <= options.AlphaLevel ? (tau == 0 ? "o-o" : "-->") : string.Empty;
                }
            }
        }
        return new PcmciResult(n, options.TauMax, values, p, adjusted, graph, parents, _test.Rows) { DegenerateTests = _test.DegenerateTests - degenerateBefore };
    }

    /// <summary>Benjamini–Hochberg over the lagged links τ ≥ max(1, τmin); contemporaneous entries keep raw p.</summary>
    private void AdjustLagged(double[,,] p, double[,,] adjusted, PcmciOptions options) => AdjustLagged(p, adjusted, Channels, options.TauMin, options.TauMax);

    /// <summary>Benjamini–Hochberg over the lagged entries τ ≥ max(1, τmin) of a [i, j, τ] p-value cube.</summary>
    internal static void AdjustLagged(double[,,] p, double[,,] adjusted, int n, int tauMin, int tauMax)
    {
        int first = Math.Max(1, tauMin);
        var raw = new List<double>();
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                for (int tau = first; tau <= tauMax; tau++)
                {
                    raw.Add(p[i, j, tau]);
                }
            }
        }
        var q = MultipleTesting.BenjaminiHochberg(raw.ToArray());
        int k = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                for (int tau = first; tau <= tauMax; tau++)
                {
                    adjusted[i, j, tau] = q[k++];
                }
            }
        }
    }

    private void CheckLags(PcmciOptions options)
    {
        if (options.TauMax > TauMax || options.TauMin < 0 || options.TauMin > options.TauMax)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"Lags {options.TauMin}..{options.TauMax} do not fit this instance (0..{TauMax}).");
        }
    }

    private static int CompareCanonical(LaggedVariable a, LaggedVariable b)
    {
        int byLag = a.Lag.CompareTo(b.Lag);
        return byLag != 0 ? byLag : a.Channel.CompareTo(b.Channel);
    }
}
