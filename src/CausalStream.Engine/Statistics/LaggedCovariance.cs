using System.Runtime.CompilerServices;

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
/// weight 1, and a ring of the last <c>windowRows + maxLag</c> samples (plus a few more, see below) so it knows which row leaves.
/// Exponential forgetting (<see cref="WithForgetting"/>) gives row t the weight λ^(T−t), T being the newest row.</para>
/// <para>The Gram block of lags (a, b) is the lag-(b−a) cross-product over a range shifted by a, so only
/// the p + 1 lag-d sums are kept per sample; <see cref="BuildGram"/> adds the edge terms of every run of used
/// rows (the p samples at each end) when the full matrix is assembled. Samples are stored relative to a
/// centre (the first sample's finite values) so large DC offsets do not cost precision; the Gram is that
/// of the centred data and <see cref="Center"/> gives the offset. In a hard window the sums are rebuilt from
/// the ring every 16 windows to stop rounding drift from the add/remove updates.</para>
/// <para>In a hard window the lag-sum updates of up to 16 pushes are deferred and applied together as one rank-k product
/// per lag (the rows entering and leaving, with signs ±1), so each C×C lag sum is read and written once per batch
/// instead of once per sample. <see cref="BuildGram"/> and <see cref="CopyTo"/> apply pending updates first, so every
/// observable result is that of the per-sample updates up to rounding.</para>
/// </remarks>
public sealed class LaggedCovariance
{
    private const byte RowWarmup = 0;
    private const byte RowUsed = 1;
    private const byte RowNaN = 2;

    /// <summary>Hard window: pushes whose lag-sum updates are deferred and applied together as one rank-k product.</summary>
    private const int PushBatch = 16;

    private readonly int _c;
    private readonly int _p;
    private readonly int _window;
    private readonly double _lambda;
    private readonly bool _forgetting;
    private readonly int _capacity;
    private readonly double[] _ring;
    private readonly byte[] _rowState;
    private readonly double[] _center;
    private readonly double[] _lagSums;      // (p+1) blocks of C×_ldE: M_d[i,j] = Σ ω_u x_{u,i} x_{u−d,j}
    private readonly double[] _sums;         // C: Σ ω_u x_u
    private readonly int _ldE;               // row stride of an edge block: C rounded up to 8
    private readonly int _edgeBlock;         // values per edge block: C·_ldE
    private readonly double[] _edges;        // p(p+1) blocks of C×_ldE: edge corrections per (a, d), a = 1..p
    private readonly double[] _edgeSamples;  // hard window: the p samples at one end of a run, row stride _ldE
    private readonly double[] _edgeSums;     // p blocks of C: edge corrections of the sums per lag a
    private readonly double[]? _closedEdges; // forgetting: edge corrections of runs already closed
    private readonly double[]? _closedEdgeSums;
    private readonly double[] _lambdaPow;    // λ^k, k = 0..2p+1
    private readonly double[] _incoming;     // the centred sample being pushed
    private readonly long[] _pendingRows;    // hard window: rows whose add (+1) or removal (−1) is not yet in the sums
    private readonly double[] _pendingSign;
    private readonly double[] _pendingNow;   // flush scratch: sign·x_u of each pending row, row stride _ldE
    private readonly double[] _pendingLag;   // flush scratch: x_{u−d} of each pending row, row stride _ldE
    private int _pendingCount;
    private int _pendingPushes;
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
        // A hard window keeps PushBatch extra samples so the rows of deferred updates are still in the ring.
        _capacity = forgetting ? maxLag + 2 : windowRows + maxLag + PushBatch;
        _ring = new double[_capacity * channels];
        _rowState = new byte[_capacity];
        _center = new double[channels];
        _incoming = new double[channels];
        _ldE = BlockedKernels.RoundUp8(channels);
        _edgeBlock = channels * _ldE;
        _lagSums = new double[(maxLag + 1) * _edgeBlock];
        _pendingRows = new long[2 * PushBatch];
        _pendingSign = new double[2 * PushBatch];
        _pendingNow = new double[2 * PushBatch * _ldE];
        _pendingLag = new double[2 * PushBatch * _ldE];
        _sums = new double[channels];
        _edges = new double[maxLag * (maxLag + 1) * _edgeBlock];
        _edgeSamples = new double[maxLag * _ldE];
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
        _pendingCount = 0;
        _pendingPushes = 0;
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
        FlushPending();
        destination._pendingCount = 0;
        destination._pendingPushes = 0;
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
            incoming.CopyTo(_ring.AsSpan(slot * _c, _c));
            if (removeLeaving && _rowsUsed == 0 && rowState != RowUsed)
            {
                // An empty window has exactly zero sums; drop the rounding residue and the deferred updates.
                Array.Clear(_lagSums);
                Array.Clear(_sums);
                _pendingCount = 0;
                _pendingPushes = 0;
            }
            else
            {
                if (removeLeaving)
                {
                    _pendingRows[_pendingCount] = leaving;
                    _pendingSign[_pendingCount++] = -1.0;
                }
                if (rowState == RowUsed)
                {
                    _pendingRows[_pendingCount] = t;
                    _pendingSign[_pendingCount++] = 1.0;
                }
                if (++_pendingPushes == PushBatch)
                {
                    FlushPending();
                }
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void BuildGram(Span<double> gram)
    {
        int dim = GramDimension;
        if (gram.Length < dim * dim)
        {
            throw new ArgumentException($"The Gram buffer holds {gram.Length} values; {dim}x{dim} = {dim * dim} are needed.", nameof(gram));
        }
        FlushPending();
        ComputeEdges();
        int c = _c;
        int cc = _edgeBlock;
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
            }
        }

        // Blocks (a, b ≥ a) row by row into the upper triangle, then mirrored into the lower one.
        for (int a = 0; a <= _p; a++)
        {
            double scale = a == 0 ? 1.0 : 1.0 / _lambdaPow[a];
            for (int b = a; b <= _p; b++)
            {
                int d = b - a;
                var m = _lagSums.AsSpan(d * cc, cc);
                ReadOnlySpan<double> e = a > 0 ? _edges.AsSpan(EdgeIndex(a, d) * _edgeBlock, _edgeBlock) : default;
                for (int i = 0; i < c; i++)
                {
                    var dst = gram.Slice((1 + a * c + i) * dim + 1 + b * c, c);
                    var mi = m.Slice(i * _ldE, c);
                    if (a == 0)
                    {
                        mi.CopyTo(dst);
                    }
                    else
                    {
                        var ei = e.Slice(i * _ldE, c);
                        for (int j = 0; j < c; j++)
                        {
                            dst[j] = scale * (mi[j] + ei[j]);
                        }
                    }
                }
            }
        }
        MirrorUpper(gram, dim);
    }

    /// <summary>
    /// Writes the VAR(p) regression system straight into a solver's layout, with the regressors in channel-major
    /// order [1, channel 0 lags 1..p, channel 1 lags 1..p, …] (regressor 1 + j·p + a − 1 is channel j at lag a):
    /// the upper triangle of Z'Z (K = 1 + C·p rows of stride <paramref name="ldz"/>, columns K..RoundUp8(K) zeroed),
    /// Z'Y (K rows of stride <paramref name="ldy"/>, one column per target) and the diagonal of Y'Y. The values are
    /// those of <see cref="BuildGram"/>, without assembling and permuting the full (1 + C·(p+1))² matrix. Allocation-free.
    /// <paramref name="lags"/> (1..<see cref="MaxLag"/>) is the model order p; the rows stay those complete for <see cref="MaxLag"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A buffer or stride is too small, or the order is out of range; the message names it.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void BuildRegressionSystem(int lags, Span<double> zz, int ldz, Span<double> zy, int ldy, Span<double> yy)
    {
        if (lags < 1 || lags > _p)
        {
            throw new ArgumentOutOfRangeException(nameof(lags), lags, $"The model order must lie in 1..{_p} (the statistics' maximum lag).");
        }
        int c = _c;
        int p = lags;
        int k = 1 + c * p;
        int padded = (k + 7) & ~7;
        if (ldz < padded || zz.Length < (k - 1) * ldz + padded)
        {
            throw new ArgumentException($"Z'Z needs {k} rows of stride at least {padded}; got stride {ldz} and {zz.Length} values.", nameof(zz));
        }
        if (ldy < c || zy.Length < (k - 1) * ldy + c)
        {
            throw new ArgumentException($"Z'Y needs {k} rows of stride at least {c}; got stride {ldy} and {zy.Length} values.", nameof(zy));
        }
        if (yy.Length < c)
        {
            throw new ArgumentException($"The Y'Y diagonal needs {c} values; got {yy.Length}.", nameof(yy));
        }
        FlushPending();
        ComputeEdges();
        int cc = _edgeBlock;
        int ldE = _ldE;
        var lagSums = _lagSums;
        var edges = _edges;

        // Intercept row and column.
        zz[0] = EffectiveRows;
        for (int j = 0; j < c; j++)
        {
            for (int a = 1; a <= p; a++)
            {
                zz[1 + j * p + a - 1] = (1.0 / _lambdaPow[a]) * (_sums[j] + _edgeSums[(a - 1) * c + j]);
            }
        }
        zz.Slice(k, padded - k).Clear();

        // Entries with a ≤ b (row lag not above column lag), every channel pair: the lag-(b − a) sum M[j, m] plus its
        // edge term, scaled by λ^−a, read along contiguous rows of the lag sums. The rest of the upper triangle
        // (a > b) is the transpose of an a ≤ b entry of the lower triangle and is mirrored afterwards.
        for (int j = 0; j < c; j++)
        {
            for (int a = 1; a <= p; a++)
            {
                int r = 1 + j * p + a - 1;
                var row = zz.Slice(r * ldz, padded);
                double scaleA = 1.0 / _lambdaPow[a];
                for (int b = a; b <= p; b++)
                {
                    int d = b - a;
                    var m = lagSums.AsSpan(d * cc + j * ldE, c);
                    var e = edges.AsSpan(EdgeIndex(a, d) * cc + j * ldE, c);
                    for (int col = b, ch = 0; ch < c; ch++, col += p)
                    {
                        row[col] = scaleA * (m[ch] + e[ch]);
                    }
                }
                row.Slice(k, padded - k).Clear();
            }
        }
        MirrorLagLower(zz, ldz, c, p);

        // Z'Y: row (j, a), column i is Σ x_{t,i} x_{t−a,j} = M_a[i, j]; the intercept row holds the sums.
        _sums.AsSpan(0, c).CopyTo(zy);
        for (int j = 0; j < c; j++)
        {
            for (int a = 1; a <= p; a++)
            {
                var dst = zy.Slice((1 + j * p + a - 1) * ldy, c);
                var block = lagSums.AsSpan(a * cc);
                for (int i = 0; i < c; i++)
                {
                    dst[i] = block[i * ldE + j];
                }
            }
        }
        for (int i = 0; i < c; i++)
        {
            yy[i] = lagSums[i * ldE + i];
        }
    }

    /// <summary>
    /// Completes the upper triangle of a channel-major Z'Z whose a ≤ b entries are written: every upper entry
    /// (r, s) whose row lag exceeds its column lag takes the value at (s, r). Works in 32×32 tiles.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MirrorLagLower(Span<double> zz, int ld, int c, int p)
    {
        const int Tile = 32;
        int k = 1 + c * p;
        for (int rb = 1; rb < k; rb += Tile)
        {
            int re = Math.Min(k, rb + Tile);
            for (int sb = rb; sb < k; sb += Tile)
            {
                int se = Math.Min(k, sb + Tile);
                for (int r = rb; r < re; r++)
                {
                    int lagR = (r - 1) % p;
                    var row = zz.Slice(r * ld, ld);
                    int s2 = Math.Max(sb, r + 1);
                    for (int lagS = (s2 - 1) % p; s2 < se; s2++)
                    {
                        if (lagR > lagS)
                        {
                            row[s2] = zz[s2 * ld + r];
                        }
                        lagS = lagS + 1 == p ? 0 : lagS + 1;
                    }
                }
            }
        }
    }

    /// <summary>Copies the strict upper triangle of a dim×dim row-major matrix onto the lower one, in 32×32 tiles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MirrorUpper(Span<double> g, int dim)
    {
        const int Tile = 32;
        for (int ib = 0; ib < dim; ib += Tile)
        {
            int ie = Math.Min(dim, ib + Tile);
            for (int jb = ib; jb < dim; jb += Tile)
            {
                int je = Math.Min(dim, jb + Tile);
                for (int j = jb; j < je; j++)
                {
                    int iEnd = Math.Min(ie, j);
                    var dst = g.Slice(j * dim, dim);
                    for (int i = ib; i < iEnd; i++)
                    {
                        dst[i] = g[i * dim + j];
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
        int cc = _edgeBlock;
        double s = sign * weight;
        var xu = Sample(u);
        for (int d = 0; d <= _p; d++)
        {
            var xd = Sample(u - d);
            var m = _lagSums.AsSpan(d * cc, cc);
            for (int i = 0; i < c; i++)
            {
                DenseKernels.Axpy(s * xu[i], xd, m.Slice(i * _ldE, c));
            }
        }
        DenseKernels.Axpy(s, xu, _sums);
    }

    /// <summary>
    /// Hard window: applies the deferred row additions and removals, M_d += Σ_e s_e x_{u_e} x_{u_e−d}ᵀ for every lag d,
    /// as one rank-k <see cref="BlockedKernels.MultiplyAdd"/> per lag so each lag sum is read and written once per batch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FlushPending()
    {
        int n = _pendingCount;
        _pendingPushes = 0;
        if (n == 0)
        {
            return;
        }
        _pendingCount = 0;
        int c = _c;
        int ld = _ldE;
        for (int e = 0; e < n; e++)
        {
            var x = Sample(_pendingRows[e]);
            var dst = _pendingNow.AsSpan(e * ld, c);
            double sign = _pendingSign[e];
            for (int i = 0; i < c; i++)
            {
                dst[i] = sign * x[i];
            }
            DenseKernels.Axpy(sign, x, _sums);
        }
        for (int d = 0; d <= _p; d++)
        {
            for (int e = 0; e < n; e++)
            {
                Sample(_pendingRows[e] - d).CopyTo(_pendingLag.AsSpan(e * ld, c));
            }
            BlockedKernels.MultiplyAdd(
                _lagSums.AsSpan(d * _edgeBlock, _edgeBlock), ld,
                _pendingNow, 1, ld,
                _pendingLag, ld,
                c, ld, n, 1.0, TileShape.None);
        }
    }

    /// <summary>Forgetting: M ← λM + w·x_u x_{u−d}ᵀ in one pass.</summary>
    private void DecayAndAddRow(long u, double w)
    {
        int c = _c;
        int cc = _edgeBlock;
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
                DenseKernels.ScaleAxpy(_lambda, w * xu[i], xd, m.Slice(i * _ldE, c));
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
                    var e = edges.Slice(EdgeIndex(a, d) * _edgeBlock, _edgeBlock);
                    for (int i = 0; i < c; i++)
                    {
                        DenseKernels.Axpy(w * xu[i], xd, e.Slice(i * _ldE, c));
                    }
                }
            }
        }
    }

    /// <summary>
    /// Hard window: the edge terms of one end of a run (see <see cref="AddEdge"/>, all weights 1). The p samples the
    /// end touches are copied to a contiguous scratch in time order, so block (a, d) receives one rank-a product
    /// ±Σ_u x_u x_{u−d}ᵀ over its a samples instead of a rank-1 update per sample.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddWindowEdge(long end, bool left)
    {
        int c = _c;
        int p = _p;
        int ld = _ldE;
        double sign = left ? 1.0 : -1.0;
        // Left end l: samples l−p .. l−1; right end r: samples r−p+1 .. r.
        long firstSample = left ? end - p : end - p + 1;
        for (int m = 0; m < p; m++)
        {
            Sample(firstSample + m).CopyTo(_edgeSamples.AsSpan(m * ld, c));
        }
        for (int a = 1; a <= p; a++)
        {
            // The a samples of lag a sit at m = p−a .. p−1 (u), their lag-d partners at m − d.
            var sums = _edgeSums.AsSpan((a - 1) * c, c);
            for (int m = p - a; m < p; m++)
            {
                DenseKernels.Axpy(sign, _edgeSamples.AsSpan(m * ld, c), sums);
            }
            for (int d = 0; d <= p - a; d++)
            {
                BlockedKernels.MultiplyAdd(
                    _edges.AsSpan(EdgeIndex(a, d) * _edgeBlock, _edgeBlock), ld,
                    _edgeSamples.AsSpan((p - a) * ld), 1, ld,
                    _edgeSamples.AsSpan((p - a - d) * ld), ld,
                    c, ld, a, sign, TileShape.None);
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
        for (int a = 1; a <= _p; a++)
        {
            _edges.AsSpan(EdgeIndex(a, 0) * _edgeBlock, (_p - a + 1) * _edgeBlock).Clear();
        }
        Array.Clear(_edgeSums);
        long first = Math.Max(0, _count - _window);
        long runStart = -1;
        for (long t = first; t <= now; t++)
        {
            bool used = _rowState[Slot(t)] == RowUsed;
            if (used && runStart < 0)
            {
                runStart = t;
                AddWindowEdge(t, left: true);
            }
            else if (!used && runStart >= 0)
            {
                AddWindowEdge(t - 1, left: false);
                runStart = -1;
            }
        }
        if (runStart >= 0)
        {
            AddWindowEdge(now, left: false);
        }
    }

    /// <summary>Hard window: rebuilds the lag sums from the ring to remove accumulated rounding.</summary>
    private void Recompute()
    {
        // The rebuild reads every used row in the window, deferred ones included.
        _pendingCount = 0;
        _pendingPushes = 0;
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
