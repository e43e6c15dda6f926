using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CausalStream.Engine.Statistics;

/// <summary>
/// Small vectorised dense kernels (dot, axpy, Cholesky, triangular inverse) over row-major spans,
/// shared by the lagged-covariance statistics, the Granger solver and order selection. They allocate nothing.
/// </summary>
internal static class DenseKernels
{
    /// <summary>Dot product of two equally long spans.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        int n = x.Length;
        int i = 0;
        double sum = 0.0;
        if (Vector.IsHardwareAccelerated && n >= 2 * Vector<double>.Count)
        {
            var vx = MemoryMarshal.Cast<double, Vector<double>>(x);
            var vy = MemoryMarshal.Cast<double, Vector<double>>(y[..n]);
            var a0 = Vector<double>.Zero;
            var a1 = Vector<double>.Zero;
            int v = 0;
            for (; v + 1 < vx.Length; v += 2)
            {
                a0 += vx[v] * vy[v];
                a1 += vx[v + 1] * vy[v + 1];
            }
            if (v < vx.Length)
            {
                a0 += vx[v] * vy[v];
            }
            sum = Vector.Sum(a0 + a1);
            i = vx.Length * Vector<double>.Count;
        }
        for (; i < n; i++)
        {
            sum += x[i] * y[i];
        }
        return sum;
    }

    /// <summary>Four dot products sharing one left operand: s_q = x · y_q over x's length (each y_q at least as long).</summary>
    public static void Dot4(
        ReadOnlySpan<double> x,
        ReadOnlySpan<double> y0,
        ReadOnlySpan<double> y1,
        ReadOnlySpan<double> y2,
        ReadOnlySpan<double> y3,
        out double s0,
        out double s1,
        out double s2,
        out double s3)
    {
        int n = x.Length;
        int i = 0;
        s0 = 0.0;
        s1 = 0.0;
        s2 = 0.0;
        s3 = 0.0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var vx = MemoryMarshal.Cast<double, Vector<double>>(x);
            int m = vx.Length;
            var v0 = MemoryMarshal.Cast<double, Vector<double>>(y0[..n]);
            var v1 = MemoryMarshal.Cast<double, Vector<double>>(y1[..n]);
            var v2 = MemoryMarshal.Cast<double, Vector<double>>(y2[..n]);
            var v3 = MemoryMarshal.Cast<double, Vector<double>>(y3[..n]);
            if (v0.Length < m || v1.Length < m || v2.Length < m || v3.Length < m)
            {
                throw new ArgumentException("Every y must be at least as long as x.");
            }
            var a0 = Vector<double>.Zero;
            var a1 = Vector<double>.Zero;
            var a2 = Vector<double>.Zero;
            var a3 = Vector<double>.Zero;
            for (int v = 0; v < m; v++)
            {
                var xv = vx[v];
                a0 += xv * v0[v];
                a1 += xv * v1[v];
                a2 += xv * v2[v];
                a3 += xv * v3[v];
            }
            s0 = Vector.Sum(a0);
            s1 = Vector.Sum(a1);
            s2 = Vector.Sum(a2);
            s3 = Vector.Sum(a3);
            i = m * Vector<double>.Count;
        }
        for (; i < n; i++)
        {
            double xi = x[i];
            s0 += xi * y0[i];
            s1 += xi * y1[i];
            s2 += xi * y2[i];
            s3 += xi * y3[i];
        }
    }

    /// <summary>y += a * x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        int n = x.Length;
        int i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var vx = MemoryMarshal.Cast<double, Vector<double>>(x);
            var vy = MemoryMarshal.Cast<double, Vector<double>>(y[..n]);
            var va = new Vector<double>(a);
            for (int v = 0; v < vx.Length; v++)
            {
                vy[v] += va * vx[v];
            }
            i = vx.Length * Vector<double>.Count;
        }
        for (; i < n; i++)
        {
            y[i] += a * x[i];
        }
    }

    /// <summary>y = s * y + a * x (decay then add).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ScaleAxpy(double s, double a, ReadOnlySpan<double> x, Span<double> y)
    {
        int n = x.Length;
        int i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var vx = MemoryMarshal.Cast<double, Vector<double>>(x);
            var vy = MemoryMarshal.Cast<double, Vector<double>>(y[..n]);
            var va = new Vector<double>(a);
            var vs = new Vector<double>(s);
            for (int v = 0; v < vx.Length; v++)
            {
                vy[v] = vs * vy[v] + va * vx[v];
            }
            i = vx.Length * Vector<double>.Count;
        }
        for (; i < n; i++)
        {
            y[i] = s * y[i] + a * x[i];
        }
    }

    /// <summary>y += a * x + b * z.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Axpy2(double a, ReadOnlySpan<double> x, double b, ReadOnlySpan<double> z, Span<double> y)
    {
        int n = x.Length;
        int i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var vx = MemoryMarshal.Cast<double, Vector<double>>(x);
            var vz = MemoryMarshal.Cast<double, Vector<double>>(z[..n]);
            var vy = MemoryMarshal.Cast<double, Vector<double>>(y[..n]);
            var va = new Vector<double>(a);
            var vb = new Vector<double>(b);
            for (int v = 0; v < vx.Length; v++)
            {
                vy[v] += va * vx[v] + vb * vz[v];
            }
            i = vx.Length * Vector<double>.Count;
        }
        for (; i < n; i++)
        {
            y[i] += a * x[i] + b * z[i];
        }
    }

    /// <summary>
    /// In-place lower Cholesky of the leading n×n block of a row-major matrix with row stride n
    /// (only the lower triangle is read and written). Returns the first row whose pivot fell below
    /// <paramref name="relativeTolerance"/> times that row's original diagonal, or -1 on success.
    /// </summary>
    public static int CholeskyInPlace(Span<double> a, int n, double relativeTolerance)
    {
        for (int i = 0; i < n; i++)
        {
            var rowI = a.Slice(i * n, n);
            int j = 0;
            for (; j + 4 <= i; j += 4)
            {
                // Shared prefix [0, j) for four columns at once, then the 4×4 triangle in order.
                Dot4(rowI[..j], a.Slice(j * n, n), a.Slice((j + 1) * n, n), a.Slice((j + 2) * n, n), a.Slice((j + 3) * n, n),
                    out double d0, out double d1, out double d2, out double d3);
                var r1 = a.Slice((j + 1) * n, n);
                var r2 = a.Slice((j + 2) * n, n);
                var r3 = a.Slice((j + 3) * n, n);
                double l0 = (rowI[j] - d0) / a[j * n + j];
                double l1 = (rowI[j + 1] - d1 - l0 * r1[j]) / r1[j + 1];
                double l2 = (rowI[j + 2] - d2 - l0 * r2[j] - l1 * r2[j + 1]) / r2[j + 2];
                double l3 = (rowI[j + 3] - d3 - l0 * r3[j] - l1 * r3[j + 1] - l2 * r3[j + 2]) / r3[j + 3];
                rowI[j] = l0;
                rowI[j + 1] = l1;
                rowI[j + 2] = l2;
                rowI[j + 3] = l3;
            }
            for (; j < i; j++)
            {
                var rowJ = a.Slice(j * n, j);
                double s = rowI[j] - Dot(rowI[..j], rowJ);
                rowI[j] = s / a[j * n + j];
            }
            double diag = rowI[i];
            double piv = diag - Dot(rowI[..i], rowI[..i]);
            if (!(piv > relativeTolerance * Math.Abs(diag)) || !(piv > 0.0))
            {
                return i;
            }
            rowI[i] = Math.Sqrt(piv);
        }
        return -1;
    }

    /// <summary>
    /// Given a lower Cholesky factor L (row-major n×n), writes X = L⁻¹ transposed: row j of
    /// <paramref name="xt"/> holds column j of L⁻¹ (entries before j are zero and left unset).
    /// </summary>
    public static void LowerInverseTransposed(ReadOnlySpan<double> l, int n, Span<double> xt)
    {
        int j = 0;
        for (; j + 4 <= n; j += 4)
        {
            // Columns j..j+3 of L⁻¹ together: rows up to j+3 one by one, then every later row with one shared
            // dot over [j+3, i) plus the few leading terms that only the earlier columns have.
            for (int q = 0; q < 4; q++)
            {
                InverseColumnRows(l, n, xt, j + q, j + 3);
            }
            var c0 = xt.Slice(j * n, n);
            var c1 = xt.Slice((j + 1) * n, n);
            var c2 = xt.Slice((j + 2) * n, n);
            var c3 = xt.Slice((j + 3) * n, n);
            int start = j + 3;
            for (int i = j + 4; i < n; i++)
            {
                var rowL = l.Slice(i * n, n);
                int len = i - start;
                Dot4(rowL.Slice(start, len), c0[start..], c1[start..], c2[start..], c3[start..],
                    out double d0, out double d1, out double d2, out double d3);
                d0 += rowL[j] * c0[j] + rowL[j + 1] * c0[j + 1] + rowL[j + 2] * c0[j + 2];
                d1 += rowL[j + 1] * c1[j + 1] + rowL[j + 2] * c1[j + 2];
                d2 += rowL[j + 2] * c2[j + 2];
                double inv = -1.0 / rowL[i];
                c0[i] = d0 * inv;
                c1[i] = d1 * inv;
                c2[i] = d2 * inv;
                c3[i] = d3 * inv;
            }
        }
        for (; j < n; j++)
        {
            InverseColumnRows(l, n, xt, j, n - 1);
        }
    }

    /// <summary>Rows j..last of column j of L⁻¹, written to row j of xt.</summary>
    private static void InverseColumnRows(ReadOnlySpan<double> l, int n, Span<double> xt, int j, int last)
    {
        var col = xt.Slice(j * n, n);
        col[j] = 1.0 / l[j * n + j];
        for (int i = j + 1; i <= last; i++)
        {
            var rowL = l.Slice(i * n + j, i - j);
            col[i] = -Dot(rowL, col.Slice(j, i - j)) / l[i * n + i];
        }
    }

    /// <summary>Solves L y = b in place (forward substitution) for a lower factor with row stride <paramref name="stride"/>, using its leading n×n block.</summary>
    public static void ForwardSubstitute(ReadOnlySpan<double> l, int n, int stride, Span<double> b)
    {
        for (int i = 0; i < n; i++)
        {
            b[i] = (b[i] - Dot(l.Slice(i * stride, i), b[..i])) / l[i * stride + i];
        }
    }

    /// <summary>Solves Lᵀ x = y in place (back substitution) for a lower factor with row stride n.</summary>
    public static void BackSubstituteTransposed(ReadOnlySpan<double> l, int n, Span<double> y)
    {
        for (int i = n - 1; i >= 0; i--)
        {
            double s = y[i];
            for (int k = i + 1; k < n; k++)
            {
                s -= l[k * n + i] * y[k];
            }
            y[i] = s / l[i * n + i];
        }
    }
}
