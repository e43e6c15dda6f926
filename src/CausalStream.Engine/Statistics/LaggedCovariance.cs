namespace CausalStream.Engine.Statistics;

/// <summary>
/// Windowed lagged sufficient statistics for exact OLS of a VAR(p) with intercept: the weighted
/// row count, the sums of the samples and the lag-d cross-product sums Σ x_u x_{u−d}ᵀ (d = 0..p) over
/// the regression rows in the current window, updated in O(C²·p) per sample without allocation.
/// </summary>
/// <remarks>
/// <para>A regression row t consists of the target x_t and the regressors [1, x_{t−1}, …, x_{t−p}].
/// Row t is used when all of x_{t−p} … x_t are finite; a non-finite sample removes the p + 1 rows that
/// contain it, and they are counted in <see cref="RowsSkippedNaN"/>. The first p samples after
/// <see cref="Reset"/> only feed lags and are not rows.</para>
/// <para>Two weightings exist. A hard window (constructor) keeps the last <c>windowRows</c> rows, each with
/// weight 1, and a ring of the last <c>windowRows + maxLag</c> samples so it knows which row leaves.
/// Exponential forgetting (<see cref="WithForgetting"/>) gives row t the weight λ^(T−t), T being the newest row.</para>
/// <para>The Gram block of lags (a, b) is the lag-(b−a) cross-product over a range shifted by a, so only
/// the p + 1 lag-d sums are kept per sample; <see cref="BuildGram"/> adds the edge terms of every run of used
/// rows (the p samples at each end) when the full matrix is assembled. Samples are stored relative to a
/// centre (the first sample's finite values) so large DC offsets do not cost precision; the Gram is that
/// of the centred data and <see cref="Center"/> gives the offset. In a hard window the sums are rebuilt from
/// the ring every 16 windows to stop rounding drift from the add/remove updates.</para>
/// </remarks>
public sealed class LaggedCovariance
{
    private const byte RowWarmup = 0;
    private const byte RowUsed = 1;
    private const byte RowNaN = 2;

    private readonly int _c;
    private readonly int _p;
    private readonly int _window;
    private readonly double _lambda;
    private readonly bool _forgetting;
    private readonly int _capacity;
    private readonly double[] _ring;
    private readonly byte[] _rowState;
    private readonly double[] _center;
    private readonly double[] _lagSums;      // (p+1) blocks of C×C: M_d[i,j] = Σ ω_u x_{u,i} x_{u−d,j}
    private readonly double[] _sums;         // C: Σ ω_u x_u
    private readonly double[] _edges;        // p(p+1) blocks of C×C: edge corrections per (a, d), a = 1..p
    private readonly double[] _edgeSums;     // p blocks of C: edge corrections of the sums per lag a
    private readonly double[]? _closedEdges; // forgetting: edge corrections of runs already closed
    private readonly double[]? _closedEdgeSums;
    private readonly double[] _lambdaPow;    // λ^k, k = 0..2p+1
    private readonly double[] _incoming;     // the centred sample being pushed
    private readonly long _recomputeEvery;
    private long _closedEdgesTime;
    private double _weight;
    private long _count;
    private long _lastBad;
    private bool _centerSet;
    private bool _prevRowUsed;
    private int _rowsUsed;
    private int _rowsSkipped;
    private long _sinceRecompute;

    /// <summary>Creates hard-window statistics over the last <paramref name="windowRows"/> regression rows.</summary>
    /// <param name="channels">Number of channels C (≥ 1).</param>
    /// <param name="maxLag">Maximum lag p (≥ 1).</param>
    /// <param name="windowRows">Regression rows per window; must exceed the C·p + 1 regressors of the full model.</param>
    /// <exception cref="ArgumentException">A size is out of range; the message names the sizes.</exception>
    public LaggedCovariance(int channels, int maxLag, int windowRows)
        : this(channels, maxLag, windowRows, 1.0, false)
    {
    }

    private LaggedCovariance(int channels, int maxLag, int windowRows, double lambda, bool forgetting)
    {
        if (channels < 1)
        {
            throw new ArgumentException($"channels must be at least 1 (got {channels}).", nameof(channels));
        }
        if (maxLag < 1)
        {
            throw new ArgumentException($"maxLag must be at least 1 (got {maxLag}).", nameof(maxLag));
        }
        long regressors = (long)channels * maxLag + 1;
        if (!forgetting && windowRows <= regressors)
        {
            throw new ArgumentException(
                $"windowRows ({windowRows}) must exceed the {regressors} regressors of a VAR({maxLag}) with intercept on {channels} channels (channels*maxLag+1); use at least {regressors + 1} rows.",
                nameof(windowRows));
        }
        _c = channels;
        _p = maxLag;
        _window = forgetting ? 0 : windowRows;
        _lambda = lambda;
        _forgetting = forgetting;
        _capacity = forgetting ? maxLag + 2 : windowRows + maxLag;
        _ring = new double[_capacity * channels];
        _rowState = new byte[_capacity];
        _center = new double[channels];
        _incoming = new double[channels];
        int cc = channels * channels;
        _lagSums = new double[(maxLag + 1) * cc];
        _sums = new double[channels];
        _edges = new double[maxLag * (maxLag + 1) * cc];
        _edgeSums = new double[maxLag * channels];
        if (forgetting)
        {
            _closedEdges = new double[_edges.Length];
            _closedEdgeSums = new double[_edgeSums.Length];
        }
        _lambdaPow = new double[2 * maxLag + 2];
        _lambdaPow[0] = 1.0;
        for (int k = 1; k < _lambdaPow.Length; k++)
        {
            _lambdaPow[k] = _lambdaPow[k - 1] * lambda;
        }
        _recomputeEvery = forgetting ? long.MaxValue : 16L * windowRows;
        Reset();
    }

    /// <summary>
    /// Creates statistics with exponential forgetting: row t has weight λ^(T−t). The effective memory
    /// 1/(1−λ) rows must exceed the C·p + 1 regressors.
    /// </summary>
    /// <exception cref="ArgumentException">λ is outside (0, 1) or its memory is too short; the message names the sizes.</exception>
    public static LaggedCovariance WithForgetting(int channels, int maxLag, double lambda)
    {
        if (!(lambda > 0.0 && lambda < 1.0))
        {
            throw new ArgumentException($"The forgetting factor must lie in (0, 1) (got {lambda}).", nameof(lambda));
        }
        double memory = 1.0 / (1.0 - lambda);
        long regressors = (long)Math.Max(channels, 1) * Math.Max(maxLag, 1) + 1;
        if (memory <= regressors)
        {
            throw new ArgumentException(
                $"The forgetting factor {lambda} has an effective memory of {memory:G4} rows, which must exceed the {regressors} regressors (channels*maxLag+1 with {channels} channels, maxLag {maxLag}).",
                nameof(lambda));
        }
        return new LaggedCovariance(channels, maxLag, 0, lambda, true);
    }

    /// <summary>
    /// Batch helper: statistics whose window holds every regression row of a whole data matrix
    /// (row-major, <paramref name="channels"/> values per sample), as a VAR(maxLag) fit on all of it uses.
    /// </summary>
    /// <exception cref="ArgumentException">The data length is not a multiple of the channel count or the data are too short.</exception>
    public static LaggedCovariance FromData(ReadOnlySpan<double> rowMajor, int channels, int maxLag)
    {
        if (channels < 1 || rowMajor.Length % channels != 0)
        {
            throw new ArgumentException($"The data length {rowMajor.Length} is not a multiple of the channel count {channels}.", nameof(rowMajor));
        }
        int samples = rowMajor.Length / channels;
        var stats = new LaggedCovariance(channels, maxLag, samples - maxLag);
        for (int s = 0; s < samples; s++)
        {
            stats.Push(rowMajor.Slice(s * channels, channels));
        }
        return stats;
    }

    /// <summary>Batch helper for a samples × channels matrix; see <see cref="FromData(ReadOnlySpan{double}, int, int)"/>.</summary>
    public static LaggedCovariance FromData(double[,] data, int maxLag)
    {
        ArgumentNullException.ThrowIfNull(data);
        int samples = data.GetLength(0);
        int channels = data.GetLength(1);
        var stats = new LaggedCovariance(channels, maxLag, samples - maxLag);
        var row = new double[channels];
        for (int s = 0; s < samples; s++)
        {
            for (int j = 0; j < channels; j++)
            {
                row[j] = data[s, j];
            }
            stats.Push(row);
        }
        return stats;
    }

    /// <summary>Number of channels C.</summary>
    public int Channels => _c;

    /// <summary>Maximum lag p.</summary>
    public int MaxLag => _p;

    /// <summary>Regression rows per hard window, or 0 with exponential forgetting.</summary>
    public int WindowRows => _window;

    /// <summary>The forgetting factor λ, or 1 for a hard window.</summary>
    public double ForgettingFactor => _lambda;

    /// <summary>True when rows are weighted by exponential forgetting instead of a hard window.</summary>
    public bool IsForgetting => _forgetting;

    /// <summary>Samples pushed since construction or <see cref="Reset"/>.</summary>
    public long SamplesPushed => _count;

    /// <summary>Regression rows in the sums: in the window (hard), or since reset (forgetting).</summary>
    public int RowsUsed => _rowsUsed;

    /// <summary>Rows left out because one of their p + 1 samples was not finite: in the window (hard), or since reset (forgetting).</summary>
    public int RowsSkippedNaN => _rowsSkipped;

    /// <summary>The sum of row weights: <see cref="RowsUsed"/> for a hard window, Σ λ^(T−t) with forgetting. OLS uses it as the observation count.</summary>
    public double EffectiveRows => _forgetting ? _weight : _rowsUsed;

    /// <summary>The per-channel offset subtracted from every sample before accumulation.</summary>
    public ReadOnlySpan<double> Center => _center;

    /// <summary>Side of the Gram matrix written by <see cref="BuildGram"/>: 1 + C·(p + 1).</summary>
    public int GramDimension => 1 + _c * (_p + 1);

    /// <summary>Forgets every sample (the preallocated buffers are kept).</summary>
    public void Reset()
    {
        _count = 0;
        _lastBad = -1;
        _centerSet = false;
        _prevRowUsed = false;
        _rowsUsed = 0;
        _rowsSkipped = 0;
        _weight = 0.0;
        _sinceRecompute = 0;
        _closedEdgesTime = 0;
        Array.Clear(_ring);
        Array.Clear(_rowState);
        Array.Clear(_center);
        Array.Clear(_lagSums);
        Array.Clear(_sums);
        if (_closedEdges is not null)
        {
            Array.Clear(_closedEdges);
            Array.Clear(_closedEdgeSums!);
        }
    }

    /// <summary>
    /// Copies the whole state into <paramref name="destination"/>, which must have the same channels, maximum lag and
    /// window (or forgetting factor), so a solve can read a snapshot on another thread while pushes continue here.
    /// Allocation-free; costs one copy of the ring and the sums.
    /// </summary>
    /// <exception cref="ArgumentException">The destination has a different shape.</exception>
    public void CopyTo(LaggedCovariance destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (destination._c != _c || destination._p != _p || destination._window != _window || destination._forgetting != _forgetting || destination._lambda != _lambda)
        {
            throw new ArgumentException(
                $"Cannot copy statistics of {_c} channels, lag {_p}, window {_window}, forgetting {_lambda} into one of {destination._c} channels, lag {destination._p}, window {destination._window}, forgetting {destination._lambda}.",
                nameof(destination));
        }
        if (ReferenceEquals(destination, this))
        {
            return;
        }
        _ring.CopyTo(destination._ring, 0);
        _rowState.CopyTo(destination._rowState, 0);
        _center.CopyTo(destination._center, 0);
        _lagSums.CopyTo(destination._lagSums, 0);
        _sums.CopyTo(destination._sums, 0);
        if (_closedEdges is not null)
        {
            _closedEdges.CopyTo(destination._closedEdges!, 0);
            _closedEdgeSums!.CopyTo(destination._closedEdgeSums!, 0);
        }
        destination._closedEdgesTime = _closedEdgesTime;
        destination._weight = _weight;
        destination._count = _count;
        destination._lastBad = _lastBad;
        destination._centerSet = _centerSet;
        destination._prevRowUsed = _prevRowUsed;
        destination._rowsUsed = _rowsUsed;
        destination._rowsSkipped = _rowsSkipped;
        destination._sinceRecompute = _sinceRecompute;
    }

    /// <summary>
    /// Appends one sample (C values; NaN or ±∞ marks a bad value) and, in a hard window, drops the oldest
    /// row. O(C²·p), allocation-free.
    /// </summary>
    /// <exception cref="ArgumentException">The sample does not have C values.</exception>
    public void Push(ReadOnlySpan<double> sample)
    {
        if (sample.Length != _c)
        {
            throw new ArgumentException($"Expected a sample of {_c} channels, got {sample.Length}.", nameof(sample));
        }
        long t = _count;
        if (!_centerSet)
        {
            for (int j = 0; j < _c; j++)
            {
                _center[j] = double.IsFinite(sample[j]) ? sample[j] : 0.0;
            }
            _centerSet = true;
        }

        // The centred sample goes to scratch first: in a hard window the slot it will occupy still holds the
        // oldest lag of the leaving row, which the combined add/remove pass below reads.
        var incoming = _incoming.AsSpan();
        bool finite = true;
        for (int j = 0; j < _c; j++)
        {
            double v = sample[j];
            if (!double.IsFinite(v))
            {
                finite = false;
                v = double.NaN;
            }
            incoming[j] = v - _center[j];
        }
        if (!finite)
        {
            _lastBad = t;
        }
        byte rowState = t < _p ? RowWarmup : (t - _lastBad <= _p ? RowNaN : RowUsed);
        int slot = Slot(t);

        if (_forgetting)
        {
            incoming.CopyTo(_ring.AsSpan(slot * _c, _c));
            double w = rowState == RowUsed ? 1.0 : 0.0;
            DecayAndAddRow(t, w);
            _weight = _lambda * _weight + w;
        }
        else
        {
            long leaving = t - _window;
            bool removeLeaving = false;
            if (leaving >= 0)
            {
                byte state = _rowState[Slot(leaving)];
                if (state == RowUsed)
                {
                    removeLeaving = true;
                    _rowsUsed--;
                }
                else if (state == RowNaN)
                {
                    _rowsSkipped--;
                }
            }
            UpdateWindowSums(t, rowState == RowUsed, leaving, removeLeaving);
            incoming.CopyTo(_ring.AsSpan(slot * _c, _c));
            if (removeLeaving && _rowsUsed == 0 && rowState != RowUsed)
            {
                // An empty window has exactly zero sums; drop the rounding residue.
                Array.Clear(_lagSums);
                Array.Clear(_sums);
            }
        }
        _count = t + 1;
        _rowState[slot] = rowState;

        if (rowState == RowUsed)
        {
            _rowsUsed++;
        }
        else if (rowState == RowNaN)
        {
            _rowsSkipped++;
        }

        if (_forgetting)
        {
            bool used = rowState == RowUsed;
            if (used && !_prevRowUsed)
            {
                FoldClosedEdge(t, left: true);
            }
            else if (!used && _prevRowUsed)
            {
                FoldClosedEdge(t - 1, left: false);
            }
            _prevRowUsed = used;
        }
        else if (++_sinceRecompute >= _recomputeEvery)
        {
            Recompute();
        }
    }

    /// <summary>
    /// Writes the (1 + C·(p+1))² Gram matrix of the centred row vectors [1, x_t, x_{t−1}, …, x_{t−p}] summed
    /// with the row weights over the used rows, row-major and fully symmetric. Index 0 is the intercept;
    /// lag a (0 = the target x_t) of channel i is at 1 + a·C + i. Everything OLS of the VAR(p) needs is in it:
    /// Z'Z (intercept and lags 1..p), Z'Y (lags 1..p against lag 0) and Y'Y (lag 0 block). O(C²·p³), allocation-free.
    /// </summary>
    /// <exception cref="ArgumentException">The buffer is smaller than <see cref="GramDimension"/>².</exception>
    public void BuildGram(Span<double> gram)
    {
        int dim = GramDimension;
        if (gram.Length < dim * dim)
        {
            throw new ArgumentException($"The Gram buffer holds {gram.Length} values; {dim}x{dim} = {dim * dim} are needed.", nameof(gram));
        }
        ComputeEdges();
        int c = _c;
        int cc = c * c;
        gram[0] = EffectiveRows;
        for (int a = 0; a <= _p; a++)
        {
            double scale = a == 0 ? 1.0 : 1.0 / _lambdaPow[a];
            for (int i = 0; i < c; i++)
            {
                double v = _sums[i];
                if (a > 0)
                {
                    v = scale * (v + _edgeSums[(a - 1) * c + i]);
                }
                gram[1 + a * c + i] = v;
                gram[(1 + a * c + i) * dim] = v;
            }
        }
        for (int a = 0; a <= _p; a++)
        {
            double scale = a == 0 ? 1.0 : 1.0 / _lambdaPow[a];
            for (int b = a; b <= _p; b++)
            {
                int d = b - a;
                var m = _lagSums.AsSpan(d * cc, cc);
                ReadOnlySpan<double> e = a > 0 ? _edges.AsSpan(EdgeIndex(a, d) * cc, cc) : default;
                for (int i = 0; i < c; i++)
                {
                    int row = 1 + a * c + i;
                    for (int j = 0; j < c; j++)
                    {
                        int col = 1 + b * c + j;
                        double v = a > 0 ? scale * (m[i * c + j] + e[i * c + j]) : m[i * c + j];
                        gram[row * dim + col] = v;
                        gram[col * dim + row] = v;
                    }
                }
            }
        }
    }

    private int Slot(long sampleIndex) => (int)(sampleIndex % _capacity);

    private ReadOnlySpan<double> Sample(long sampleIndex) => _ring.AsSpan(Slot(sampleIndex) * _c, _c);

    private int EdgeIndex(int a, int d) => (a - 1) * (_p + 1) + d;

    /// <summary>Adds sign·weight·x_u x_{u−d}ᵀ to every lag sum and sign·weight·x_u to the sums.</summary>
    private void AddRow(long u, double sign, double weight)
    {
        int c = _c;
        int cc = c * c;
        double s = sign * weight;
        var xu = Sample(u);
        for (int d = 0; d <= _p; d++)
        {
            var xd = Sample(u - d);
            var m = _lagSums.AsSpan(d * cc, cc);
            for (int i = 0; i < c; i++)
            {
                DenseKernels.Axpy(s * xu[i], xd, m.Slice(i * c, c));
            }
        }
        DenseKernels.Axpy(s, xu, _sums);
    }

    /// <summary>
    /// Hard window: adds row t (its current sample still in <c>_incoming</c>) and removes row <paramref name="leaving"/>
    /// in one pass over the lag sums.
    /// </summary>
    private void UpdateWindowSums(long t, bool addNew, long leaving, bool removeLeaving)
    {
        if (!addNew && !removeLeaving)
        {
            return;
        }
        int c = _c;
        int cc = c * c;
        ReadOnlySpan<double> xNew = _incoming;
        ReadOnlySpan<double> xOld = removeLeaving ? Sample(leaving) : default;
        for (int d = 0; d <= _p; d++)
        {
            var m = _lagSums.AsSpan(d * cc, cc);
            if (addNew && removeLeaving)
            {
                var xNewLag = d == 0 ? xNew : Sample(t - d);
                var xOldLag = Sample(leaving - d);
                for (int i = 0; i < c; i++)
                {
                    DenseKernels.Axpy2(xNew[i], xNewLag, -xOld[i], xOldLag, m.Slice(i * c, c));
                }
            }
            else if (addNew)
            {
                var xNewLag = d == 0 ? xNew : Sample(t - d);
                for (int i = 0; i < c; i++)
                {
                    DenseKernels.Axpy(xNew[i], xNewLag, m.Slice(i * c, c));
                }
            }
            else
            {
                var xOldLag = Sample(leaving - d);
                for (int i = 0; i < c; i++)
                {
                    DenseKernels.Axpy(-xOld[i], xOldLag, m.Slice(i * c, c));
                }
            }
        }
        if (addNew)
        {
            DenseKernels.Axpy(1.0, xNew, _sums);
        }
        if (removeLeaving)
        {
            DenseKernels.Axpy(-1.0, xOld, _sums);
        }
    }

    /// <summary>Forgetting: M ← λM + w·x_u x_{u−d}ᵀ in one pass.</summary>
    private void DecayAndAddRow(long u, double w)
    {
        int c = _c;
        int cc = c * c;
        var xu = Sample(u);
        for (int d = 0; d <= _p; d++)
        {
            var m = _lagSums.AsSpan(d * cc, cc);
            if (w == 0.0)
            {
                for (int k = 0; k < m.Length; k++)
                {
                    m[k] *= _lambda;
                }
                continue;
            }
            var xd = Sample(u - d);
            for (int i = 0; i < c; i++)
            {
                DenseKernels.ScaleAxpy(_lambda, w * xu[i], xd, m.Slice(i * c, c));
            }
        }
        if (w == 0.0)
        {
            for (int i = 0; i < c; i++)
            {
                _sums[i] *= _lambda;
            }
        }
        else
        {
            DenseKernels.ScaleAxpy(_lambda, w, xu, _sums);
        }
    }

    /// <summary>
    /// Adds the edge terms of one end of a run of used rows: for a left end l, +Σ_{u=l−a}^{l−1} λ^(T−u) f_d(u);
    /// for a right end r, −Σ_{u=r−a+1}^{r} λ^(T−u) f_d(u), for every lag a = 1..p and d = 0..p−a.
    /// </summary>
    private void AddEdge(Span<double> edges, Span<double> edgeSums, long end, bool left, long now)
    {
        int c = _c;
        int cc = c * c;
        double sign = left ? 1.0 : -1.0;
        for (int k = 1; k <= _p; k++)
        {
            long u = left ? end - k : end - k + 1;
            double w = _forgetting ? sign * _lambdaPow[now - u] : sign;
            var xu = Sample(u);
            for (int a = k; a <= _p; a++)
            {
                DenseKernels.Axpy(w, xu, edgeSums.Slice((a - 1) * c, c));
                for (int d = 0; d <= _p - a; d++)
                {
                    var xd = Sample(u - d);
                    var e = edges.Slice(EdgeIndex(a, d) * cc, cc);
                    for (int i = 0; i < c; i++)
                    {
                        DenseKernels.Axpy(w * xu[i], xd, e.Slice(i * c, c));
                    }
                }
            }
        }
    }

    /// <summary>Forgetting: folds the edge of a run that just opened or closed into the kept corrections.</summary>
    private void FoldClosedEdge(long end, bool left)
    {
        DecayClosedEdges(_count - 1);
        AddEdge(_closedEdges!, _closedEdgeSums!, end, left, _count - 1);
    }

    private void DecayClosedEdges(long now)
    {
        long steps = now - _closedEdgesTime;
        if (steps > 0)
        {
            double f = Math.Pow(_lambda, steps);
            var e = _closedEdges!.AsSpan();
            for (int k = 0; k < e.Length; k++)
            {
                e[k] *= f;
            }
            var s = _closedEdgeSums!.AsSpan();
            for (int k = 0; k < s.Length; k++)
            {
                s[k] *= f;
            }
            _closedEdgesTime = now;
        }
    }

    /// <summary>Fills the edge corrections for the current window or forgetting state.</summary>
    private void ComputeEdges()
    {
        long now = _count - 1;
        if (_forgetting)
        {
            DecayClosedEdges(Math.Max(now, 0));
            _closedEdges!.CopyTo(_edges, 0);
            _closedEdgeSums!.CopyTo(_edgeSums, 0);
            if (_prevRowUsed)
            {
                AddEdge(_edges, _edgeSums, now, left: false, now);
            }
            return;
        }
        Array.Clear(_edges);
        Array.Clear(_edgeSums);
        long first = Math.Max(0, _count - _window);
        long runStart = -1;
        for (long t = first; t <= now; t++)
        {
            bool used = _rowState[Slot(t)] == RowUsed;
            if (used && runStart < 0)
            {
                runStart = t;
                AddEdge(_edges, _edgeSums, t, left: true, now);
            }
            else if (!used && runStart >= 0)
            {
                AddEdge(_edges, _edgeSums, t - 1, left: false, now);
                runStart = -1;
            }
        }
        if (runStart >= 0)
        {
            AddEdge(_edges, _edgeSums, now, left: false, now);
        }
    }

    /// <summary>Hard window: rebuilds the lag sums from the ring to remove accumulated rounding.</summary>
    private void Recompute()
    {
        _sinceRecompute = 0;
        Array.Clear(_lagSums);
        Array.Clear(_sums);
        long first = Math.Max(0, _count - _window);
        for (long t = first; t < _count; t++)
        {
            if (_rowState[Slot(t)] == RowUsed)
            {
                AddRow(t, 1.0, 1.0);
            }
        }
    }
}
