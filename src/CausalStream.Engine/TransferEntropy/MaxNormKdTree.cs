using System.Runtime.CompilerServices;

namespace CausalStream.Engine.TransferEntropy;

/// <summary>
/// A k-d tree over n points in d dimensions with the maximum (Chebyshev) norm, for the two queries the
/// Kraskov–Stögbauer–Grassberger estimators need: the distance to the k-th nearest other point, and the number of
/// points strictly closer than a radius. Built once in O(n log n); queries prune whole boxes, so a query costs about
/// O(log n) for the low dimensions of embedded time series instead of the O(n) of a scan.
/// </summary>
public sealed class MaxNormKdTree
{
    private const int LeafSize = 12;
    private readonly double[] _points;
    private readonly int[] _order;
    private readonly int _n;
    private readonly int _d;
    private int[] _start;
    private int[] _end;
    private int[] _left;
    private int[] _right;
    private double[] _lo;
    private double[] _hi;
    private int _nodes;
    private double[] _heap;

    /// <summary>Builds the tree over row-major points (n × <paramref name="dimensions"/>); the values are copied.</summary>
    /// <exception cref="ArgumentException">The shape is inconsistent or a value is not finite.</exception>
    public MaxNormKdTree(ReadOnlySpan<double> points, int dimensions)
    {
        if (dimensions < 1 || points.Length % dimensions != 0)
        {
            throw new ArgumentException($"{points.Length} values do not form points of {dimensions} dimensions.", nameof(points));
        }
        foreach (double v in points)
        {
            if (!double.IsFinite(v))
            {
                throw new ArgumentException("Points must be finite.", nameof(points));
            }
        }
        _d = dimensions;
        _n = points.Length / dimensions;
        _points = points.ToArray();
        _order = new int[_n];
        for (int i = 0; i < _n; i++)
        {
            _order[i] = i;
        }
        int capacity = Math.Max(1, (2 * _n / LeafSize) + 2) * 2;
        _start = new int[capacity];
        _end = new int[capacity];
        _left = new int[capacity];
        _right = new int[capacity];
        _lo = new double[capacity * _d];
        _hi = new double[capacity * _d];
        _heap = new double[16];
        if (_n > 0)
        {
            Build(0, _n);
        }
    }

    /// <summary>Number of points.</summary>
    public int Count => _n;

    /// <summary>Dimensions per point.</summary>
    public int Dimensions => _d;

    /// <summary>
    /// Max-norm distance from point <paramref name="index"/> to its <paramref name="k"/>-th nearest other point
    /// (the point itself is not counted; ties count once each).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">k is not in 1..n−1 or the index is out of range.</exception>
    public double KthNeighbourDistance(int index, int k)
    {
        if ((uint)index >= (uint)_n)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Points are 0..{_n - 1}.");
        }
        if (k < 1 || k >= _n)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be in 1..{_n - 1}.");
        }
        if (_heap.Length < k)
        {
            _heap = new double[k * 2];
        }
        int size = 0;
        var query = _points.AsSpan(index * _d, _d);
        Nearest(0, query, index, k, ref size);
        return _heap[0];
    }

    /// <summary>Number of points (the query point itself included) whose max-norm distance to <paramref name="point"/> is strictly below <paramref name="radius"/>.</summary>
    public int CountWithin(ReadOnlySpan<double> point, double radius)
    {
        if (point.Length != _d)
        {
            throw new ArgumentException($"A point of {_d} dimensions is needed.", nameof(point));
        }
        return _n == 0 ? 0 : CountNode(0, point, radius);
    }

    /// <summary>Number of points strictly closer than <paramref name="radius"/> to point <paramref name="index"/>, itself included.</summary>
    public int CountWithin(int index, double radius) => CountWithin(_points.AsSpan(index * _d, _d), radius);

    private int Build(int start, int end)
    {
        int node = _nodes++;
        if (node >= _start.Length)
        {
            Grow();
        }
        _start[node] = start;
        _end[node] = end;
        _left[node] = -1;
        _right[node] = -1;
        var lo = _lo.AsSpan(node * _d, _d);
        var hi = _hi.AsSpan(node * _d, _d);
        lo.Fill(double.PositiveInfinity);
        hi.Fill(double.NegativeInfinity);
        for (int s = start; s < end; s++)
        {
            int o = _order[s] * _d;
            for (int c = 0; c < _d; c++)
            {
                double v = _points[o + c];
                if (v < lo[c])
                {
                    lo[c] = v;
                }
                if (v > hi[c])
                {
                    hi[c] = v;
                }
            }
        }
        if (end - start <= LeafSize)
        {
            return node;
        }
        int dim = 0;
        double spread = -1;
        for (int c = 0; c < _d; c++)
        {
            if (hi[c] - lo[c] > spread)
            {
                spread = hi[c] - lo[c];
                dim = c;
            }
        }
        if (spread <= 0)
        {
            return node; // all points equal: keep as a leaf
        }
        int mid = (start + end) / 2;
        Select(start, end - 1, mid, dim);
        int left = Build(start, mid);
        int right = Build(mid, end);
        _left[node] = left;
        _right[node] = right;
        return node;
    }

    private void Grow()
    {
        int capacity = _start.Length * 2;
        Array.Resize(ref _start, capacity);
        Array.Resize(ref _end, capacity);
        Array.Resize(ref _left, capacity);
        Array.Resize(ref _right, capacity);
        Array.Resize(ref _lo, capacity * _d);
        Array.Resize(ref _hi, capacity * _d);
    }

    /// <summary>Quickselect on _order[lo..hi] so that position k holds the k-th smallest coordinate along dim.</summary>
    private void Select(int lo, int hi, int k, int dim)
    {
        while (hi > lo)
        {
            double pivot = Coordinate(_order[(lo + hi) >> 1], dim);
            int i = lo;
            int j = hi;
            while (i <= j)
            {
                while (Coordinate(_order[i], dim) < pivot)
                {
                    i++;
                }
                while (Coordinate(_order[j], dim) > pivot)
                {
                    j--;
                }
                if (i <= j)
                {
                    (_order[i], _order[j]) = (_order[j], _order[i]);
                    i++;
                    j--;
                }
            }
            if (k <= j)
            {
                hi = j;
            }
            else if (k >= i)
            {
                lo = i;
            }
            else
            {
                return;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double Coordinate(int point, int dim) => _points[(point * _d) + dim];

    /// <summary>Max-norm distance from the query to the node's bounding box (0 inside).</summary>
    private double BoxDistance(int node, ReadOnlySpan<double> q)
    {
        double best = 0;
        int o = node * _d;
        for (int c = 0; c < _d; c++)
        {
            double v = q[c];
            double gap = v < _lo[o + c] ? _lo[o + c] - v : (v > _hi[o + c] ? v - _hi[o + c] : 0);
            if (gap > best)
            {
                best = gap;
            }
        }
        return best;
    }

    /// <summary>Largest max-norm distance from the query to any point of the node's bounding box.</summary>
    private double BoxFarthest(int node, ReadOnlySpan<double> q)
    {
        double best = 0;
        int o = node * _d;
        for (int c = 0; c < _d; c++)
        {
            double v = q[c];
            double far = Math.Max(Math.Abs(v - _lo[o + c]), Math.Abs(v - _hi[o + c]));
            if (far > best)
            {
                best = far;
            }
        }
        return best;
    }

    private void Nearest(int node, ReadOnlySpan<double> q, int self, int k, ref int size)
    {
        if (size == k && BoxDistance(node, q) >= _heap[0])
        {
            return;
        }
        if (_left[node] < 0)
        {
            for (int s = _start[node]; s < _end[node]; s++)
            {
                int p = _order[s];
                if (p == self)
                {
                    continue;
                }
                double dist = 0;
                int o = p * _d;
                for (int c = 0; c < _d; c++)
                {
                    double gap = Math.Abs(_points[o + c] - q[c]);
                    if (gap > dist)
                    {
                        dist = gap;
                    }
                }
                if (size < k)
                {
                    HeapPush(dist, ref size);
                }
                else if (dist < _heap[0])
                {
                    HeapReplaceTop(dist, size);
                }
            }
            return;
        }
        int first = _left[node];
        int second = _right[node];
        if (BoxDistance(second, q) < BoxDistance(first, q))
        {
            (first, second) = (second, first);
        }
        Nearest(first, q, self, k, ref size);
        Nearest(second, q, self, k, ref size);
    }

    private int CountNode(int node, ReadOnlySpan<double> q, double radius)
    {
        if (BoxDistance(node, q) >= radius)
        {
            return 0;
        }
        if (BoxFarthest(node, q) < radius)
        {
            return _end[node] - _start[node];
        }
        if (_left[node] < 0)
        {
            int count = 0;
            for (int s = _start[node]; s < _end[node]; s++)
            {
                int o = _order[s] * _d;
                bool inside = true;
                for (int c = 0; c < _d; c++)
                {
                    if (!(Math.Abs(_points[o + c] - q[c]) < radius))
                    {
                        inside = false;
                        break;
                    }
                }
                if (inside)
                {
                    count++;
                }
            }
            return count;
        }
        return CountNode(_left[node], q, radius) + CountNode(_right[node], q, radius);
    }

    // Max-heap of the k smallest distances seen; _heap[0] is the largest of them.
    private void HeapPush(double value, ref int size)
    {
        int i = size++;
        _heap[i] = value;
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (_heap[parent] >= _heap[i])
            {
                break;
            }
            (_heap[parent], _heap[i]) = (_heap[i], _heap[parent]);
            i = parent;
        }
    }

    private void HeapReplaceTop(double value, int size)
    {
        _heap[0] = value;
        int i = 0;
        while (true)
        {
            int l = (2 * i) + 1;
            int r = l + 1;
            int largest = i;
            if (l < size && _heap[l] > _heap[largest])
            {
                largest = l;
            }
            if (r < size && _heap[r] > _heap[largest])
            {
                largest = r;
            }
            if (largest == i)
            {
                return;
            }
            (_heap[largest], _heap[i]) = (_heap[i], _heap[largest]);
            i = largest;
        }
    }
}
