using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CausalStream.Engine.Statistics;

/// <summary>Zero structure of the operands of <see cref="BlockedKernels.MultiplyAdd"/>, so known-zero work is skipped.</summary>
[Flags]
internal enum TileShape
{
    /// <summary>Dense operands; every tile and every k is computed.</summary>
    None = 0,

    /// <summary>A(i, k) = 0 for k &gt; i: a tile of rows [i0, i1) only needs k &lt; i1.</summary>
    ALower = 1,

    /// <summary>A(i, k) = 0 for k &lt; i: a tile of rows [i0, i1) only needs k ≥ i0.</summary>
    AUpper = 2,

    /// <summary>B(k, j) = 0 for j &gt; k: a tile of columns starting at j0 only needs k ≥ j0.</summary>
    BLower = 4,

    /// <summary>Only C(i, j) with j ≥ i is wanted: tiles whose last column lies left of their first row are skipped.</summary>
    CUpper = 8,
}

/// <summary>
/// Cache-blocked dense kernels for the Granger solver: a register-tiled multiply-accumulate
/// C += α·A·B (4 rows × 16 columns per tile with 512-bit fused multiply-adds, 4 × 8 with 256-bit ones, plain
/// loops otherwise), a right-looking blocked Cholesky factorisation and a blocked lower-triangular inverse built on it.
/// Matrices are row-major with an explicit row stride (leading dimension); column counts handed to the multiply are
/// multiples of 8, so callers pad rows to a multiple of 8 and keep the padding finite. Nothing here allocates.
/// </summary>
internal static class BlockedKernels
{
    /// <summary>Rows and columns of one diagonal block in the blocked factorisation and inverse (a multiple of 8).</summary>
    public const int BlockSize = 64;

    /// <summary>Depth of one k-slice of <see cref="MultiplyAdd"/>, so a 16-column slice of B stays in the L1 cache.</summary>
    private const int DepthBlock = 128;

    /// <summary>
    /// True when the 512-bit tiles run: on every AVX-512 CPU, including those where the runtime prefers 256-bit
    /// vectors by default (its <see cref="Vector512.IsHardwareAccelerated"/> is then false) — the dense multiply-add
    /// tiles are throughput-bound and still gain from the wider registers there.
    /// </summary>
    private static readonly bool Use512 = Vector512.IsHardwareAccelerated || Avx512F.IsSupported;

    /// <summary>Rounds up to a multiple of 8.</summary>
    public static int RoundUp8(int n) => (n + 7) & ~7;

    /// <summary>
    /// C(i, j) += α·Σ_k A(i, k)·B(k, j) for i &lt; m, j &lt; n, k &lt; kc, with C(i, j) = c[i·ldc + j],
    /// A(i, k) = a[i·aRow + k·aCol] and B(k, j) = b[k·ldb + j]. <paramref name="n"/> must be a multiple of 8;
    /// <paramref name="shape"/> declares zero regions that may be skipped.
    /// </summary>
    /// <exception cref="ArgumentException">A span is too short for the sizes and strides given.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyAdd(
        Span<double> c, int ldc,
        ReadOnlySpan<double> a, int aRow, int aCol,
        ReadOnlySpan<double> b, int ldb,
        int m, int n, int kc, double alpha, TileShape shape)
    {
        if (m <= 0 || n <= 0 || kc <= 0)
        {
            return;
        }
        if ((n & 7) != 0
            || c.Length < (long)(m - 1) * ldc + n
            || a.Length < (long)(m - 1) * aRow + (long)(kc - 1) * aCol + 1
            || b.Length < (long)(kc - 1) * ldb + n)
        {
            throw new ArgumentException($"MultiplyAdd: spans too short or n = {n} not a multiple of 8 (m = {m}, kc = {kc}).");
        }
        ref double c0 = ref MemoryMarshal.GetReference(c);
        ref double a0 = ref MemoryMarshal.GetReference(a);
        ref double b0 = ref MemoryMarshal.GetReference(b);
        int wide = Use512 ? 16 : 8;
        int tall = Use512 ? 8 : 4;
        bool upper = (shape & TileShape.CUpper) != 0;
        for (int kb0 = 0; kb0 < kc; kb0 += DepthBlock)
        {
            int kb1 = Math.Min(kc, kb0 + DepthBlock);
            if (m > n)
            {
                // Tall C (few columns): each row tile's slice of A is reused across the column tiles from L1.
                for (int i = 0; i < m;)
                {
                    int rows = m - i >= tall ? tall : m - i >= 4 ? 4 : 1;
                    for (int j = 0; j < n;)
                    {
                        int cols = n - j >= wide ? wide : 8;
                        if (!upper || j + cols > i)
                        {
                            Tile(ref c0, ldc, ref a0, aRow, aCol, ref b0, ldb, i, j, rows, cols, kb0, kb1, alpha, shape);
                        }
                        j += cols;
                    }
                    i += rows;
                }
            }
            else
            {
                // Wide C: each column slice of B (k-slice × 16) is reused across the row tiles from L1.
                for (int j = 0; j < n;)
                {
                    int cols = n - j >= wide ? wide : 8;
                    int iEnd = upper ? Math.Min(m, j + cols) : m;
                    for (int i = 0; i < iEnd;)
                    {
                        int rows = iEnd - i >= tall ? tall : iEnd - i >= 4 ? 4 : 1;
                        Tile(ref c0, ldc, ref a0, aRow, aCol, ref b0, ldb, i, j, rows, cols, kb0, kb1, alpha, shape);
                        i += rows;
                    }
                    j += cols;
                }
            }
        }
    }

    /// <summary>One tile of <see cref="MultiplyAdd"/>: rows [i, i + rows) (8, 4 or 1), columns [j, j + cols) (16 or 8), k in the slice.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile(
        ref double c0, int ldc, ref double a0, int aRow, int aCol, ref double b0, int ldb,
        int i, int j, int rows, int cols, int kb0, int kb1, double alpha, TileShape shape)
    {
        int ks = kb0;
        int ke = kb1;
        if ((shape & TileShape.ALower) != 0)
        {
            ke = Math.Min(ke, i + rows);
        }
        if ((shape & TileShape.AUpper) != 0)
        {
            ks = Math.Max(ks, i);
        }
        if ((shape & TileShape.BLower) != 0)
        {
            ks = Math.Max(ks, j);
        }
        if (ks >= ke)
        {
            return;
        }
        ref double ct = ref Unsafe.Add(ref c0, (nint)i * ldc + j);
        ref double at = ref Unsafe.Add(ref a0, (nint)i * aRow);
        ref double bt = ref Unsafe.Add(ref b0, j);
        if (Use512)
        {
            if (rows == 8 && cols == 16)
            {
                Tile8x16(ref ct, ldc, ref at, aRow, aCol, ref bt, ldb, ks, ke, alpha);
            }
            else if (rows >= 4)
            {
                for (int r = 0; r < rows; r += 4)
                {
                    ref double cr = ref Unsafe.Add(ref ct, (nint)r * ldc);
                    ref double ar = ref Unsafe.Add(ref at, (nint)r * aRow);
                    if (cols == 16)
                    {
                        Tile4x16(ref cr, ldc, ref ar, aRow, aCol, ref bt, ldb, ks, ke, alpha);
                    }
                    else
                    {
                        Tile4x8(ref cr, ldc, ref ar, aRow, aCol, ref bt, ldb, ks, ke, alpha);
                    }
                }
            }
            else
            {
                Tile1x8V512(ref ct, ref at, aCol, ref bt, ldb, ks, ke, alpha, cols / 8);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            if (rows == 4)
            {
                Tile4x8V256(ref ct, ldc, ref at, aRow, aCol, ref bt, ldb, ks, ke, alpha);
            }
            else
            {
                Tile1x8V256(ref ct, ref at, aCol, ref bt, ldb, ks, ke, alpha);
            }
        }
        else
        {
            TileScalar(ref ct, ldc, ref at, aRow, aCol, ref bt, ldb, ks, ke, alpha, rows, cols);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile8x16(ref double c, int ldc, ref double a, int aRow, int aCol, ref double b, int ldb, int ks, int ke, double alpha)
    {
        var s00 = Vector512<double>.Zero;
        var s01 = Vector512<double>.Zero;
        var s10 = Vector512<double>.Zero;
        var s11 = Vector512<double>.Zero;
        var s20 = Vector512<double>.Zero;
        var s21 = Vector512<double>.Zero;
        var s30 = Vector512<double>.Zero;
        var s31 = Vector512<double>.Zero;
        var s40 = Vector512<double>.Zero;
        var s41 = Vector512<double>.Zero;
        var s50 = Vector512<double>.Zero;
        var s51 = Vector512<double>.Zero;
        var s60 = Vector512<double>.Zero;
        var s61 = Vector512<double>.Zero;
        var s70 = Vector512<double>.Zero;
        var s71 = Vector512<double>.Zero;
        nint r = aRow;
        for (int k = ks; k < ke; k++)
        {
            ref double bk = ref Unsafe.Add(ref b, (nint)k * ldb);
            var b0 = Vector512.LoadUnsafe(ref bk);
            var b1 = Vector512.LoadUnsafe(ref bk, 8);
            ref double ak = ref Unsafe.Add(ref a, (nint)k * aCol);
            var x = Vector512.Create(ak);
            s00 = Vector512.FusedMultiplyAdd(x, b0, s00);
            s01 = Vector512.FusedMultiplyAdd(x, b1, s01);
            x = Vector512.Create(Unsafe.Add(ref ak, r));
            s10 = Vector512.FusedMultiplyAdd(x, b0, s10);
            s11 = Vector512.FusedMultiplyAdd(x, b1, s11);
            x = Vector512.Create(Unsafe.Add(ref ak, 2 * r));
            s20 = Vector512.FusedMultiplyAdd(x, b0, s20);
            s21 = Vector512.FusedMultiplyAdd(x, b1, s21);
            x = Vector512.Create(Unsafe.Add(ref ak, 3 * r));
            s30 = Vector512.FusedMultiplyAdd(x, b0, s30);
            s31 = Vector512.FusedMultiplyAdd(x, b1, s31);
            x = Vector512.Create(Unsafe.Add(ref ak, 4 * r));
            s40 = Vector512.FusedMultiplyAdd(x, b0, s40);
            s41 = Vector512.FusedMultiplyAdd(x, b1, s41);
            x = Vector512.Create(Unsafe.Add(ref ak, 5 * r));
            s50 = Vector512.FusedMultiplyAdd(x, b0, s50);
            s51 = Vector512.FusedMultiplyAdd(x, b1, s51);
            x = Vector512.Create(Unsafe.Add(ref ak, 6 * r));
            s60 = Vector512.FusedMultiplyAdd(x, b0, s60);
            s61 = Vector512.FusedMultiplyAdd(x, b1, s61);
            x = Vector512.Create(Unsafe.Add(ref ak, 7 * r));
            s70 = Vector512.FusedMultiplyAdd(x, b0, s70);
            s71 = Vector512.FusedMultiplyAdd(x, b1, s71);
        }
        var va = Vector512.Create(alpha);
        nint l = ldc;
        Store512(ref c, 0, s00, va);
        Store512(ref c, 8, s01, va);
        Store512(ref c, l, s10, va);
        Store512(ref c, l + 8, s11, va);
        Store512(ref c, 2 * l, s20, va);
        Store512(ref c, 2 * l + 8, s21, va);
        Store512(ref c, 3 * l, s30, va);
        Store512(ref c, 3 * l + 8, s31, va);
        Store512(ref c, 4 * l, s40, va);
        Store512(ref c, 4 * l + 8, s41, va);
        Store512(ref c, 5 * l, s50, va);
        Store512(ref c, 5 * l + 8, s51, va);
        Store512(ref c, 6 * l, s60, va);
        Store512(ref c, 6 * l + 8, s61, va);
        Store512(ref c, 7 * l, s70, va);
        Store512(ref c, 7 * l + 8, s71, va);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x16(ref double c, int ldc, ref double a, int aRow, int aCol, ref double b, int ldb, int ks, int ke, double alpha)
    {
        var s00 = Vector512<double>.Zero;
        var s01 = Vector512<double>.Zero;
        var s10 = Vector512<double>.Zero;
        var s11 = Vector512<double>.Zero;
        var s20 = Vector512<double>.Zero;
        var s21 = Vector512<double>.Zero;
        var s30 = Vector512<double>.Zero;
        var s31 = Vector512<double>.Zero;
        ref double a1 = ref Unsafe.Add(ref a, aRow);
        ref double a2 = ref Unsafe.Add(ref a, 2 * aRow);
        ref double a3 = ref Unsafe.Add(ref a, 3 * aRow);
        for (int k = ks; k < ke; k++)
        {
            ref double bk = ref Unsafe.Add(ref b, (nint)k * ldb);
            var b0 = Vector512.LoadUnsafe(ref bk);
            var b1 = Vector512.LoadUnsafe(ref bk, 8);
            nint ak = (nint)k * aCol;
            var x = Vector512.Create(Unsafe.Add(ref a, ak));
            s00 = Vector512.FusedMultiplyAdd(x, b0, s00);
            s01 = Vector512.FusedMultiplyAdd(x, b1, s01);
            x = Vector512.Create(Unsafe.Add(ref a1, ak));
            s10 = Vector512.FusedMultiplyAdd(x, b0, s10);
            s11 = Vector512.FusedMultiplyAdd(x, b1, s11);
            x = Vector512.Create(Unsafe.Add(ref a2, ak));
            s20 = Vector512.FusedMultiplyAdd(x, b0, s20);
            s21 = Vector512.FusedMultiplyAdd(x, b1, s21);
            x = Vector512.Create(Unsafe.Add(ref a3, ak));
            s30 = Vector512.FusedMultiplyAdd(x, b0, s30);
            s31 = Vector512.FusedMultiplyAdd(x, b1, s31);
        }
        var va = Vector512.Create(alpha);
        Store512(ref c, 0, s00, va);
        Store512(ref c, 8, s01, va);
        Store512(ref c, ldc, s10, va);
        Store512(ref c, ldc + 8, s11, va);
        Store512(ref c, 2 * ldc, s20, va);
        Store512(ref c, 2 * ldc + 8, s21, va);
        Store512(ref c, 3 * ldc, s30, va);
        Store512(ref c, 3 * ldc + 8, s31, va);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x8(ref double c, int ldc, ref double a, int aRow, int aCol, ref double b, int ldb, int ks, int ke, double alpha)
    {
        var s0 = Vector512<double>.Zero;
        var s1 = Vector512<double>.Zero;
        var s2 = Vector512<double>.Zero;
        var s3 = Vector512<double>.Zero;
        ref double a1 = ref Unsafe.Add(ref a, aRow);
        ref double a2 = ref Unsafe.Add(ref a, 2 * aRow);
        ref double a3 = ref Unsafe.Add(ref a, 3 * aRow);
        for (int k = ks; k < ke; k++)
        {
            var b0 = Vector512.LoadUnsafe(ref Unsafe.Add(ref b, (nint)k * ldb));
            nint ak = (nint)k * aCol;
            s0 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a, ak)), b0, s0);
            s1 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a1, ak)), b0, s1);
            s2 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a2, ak)), b0, s2);
            s3 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a3, ak)), b0, s3);
        }
        var va = Vector512.Create(alpha);
        Store512(ref c, 0, s0, va);
        Store512(ref c, ldc, s1, va);
        Store512(ref c, 2 * ldc, s2, va);
        Store512(ref c, 3 * ldc, s3, va);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile1x8V512(ref double c, ref double a, int aCol, ref double b, int ldb, int ks, int ke, double alpha, int vectors)
    {
        for (int v = 0; v < vectors; v++)
        {
            var s0 = Vector512<double>.Zero;
            var s1 = Vector512<double>.Zero;
            int k = ks;
            for (; k + 1 < ke; k += 2)
            {
                s0 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a, (nint)k * aCol)), Vector512.LoadUnsafe(ref Unsafe.Add(ref b, (nint)k * ldb + 8 * v)), s0);
                s1 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a, (nint)(k + 1) * aCol)), Vector512.LoadUnsafe(ref Unsafe.Add(ref b, (nint)(k + 1) * ldb + 8 * v)), s1);
            }
            if (k < ke)
            {
                s0 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a, (nint)k * aCol)), Vector512.LoadUnsafe(ref Unsafe.Add(ref b, (nint)k * ldb + 8 * v)), s0);
            }
            Store512(ref c, 8 * v, s0 + s1, Vector512.Create(alpha));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store512(ref double c, nint offset, Vector512<double> sum, Vector512<double> alpha)
    {
        ref double dst = ref Unsafe.Add(ref c, offset);
        Vector512.FusedMultiplyAdd(alpha, sum, Vector512.LoadUnsafe(ref dst)).StoreUnsafe(ref dst);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x8V256(ref double c, int ldc, ref double a, int aRow, int aCol, ref double b, int ldb, int ks, int ke, double alpha)
    {
        var s00 = Vector256<double>.Zero;
        var s01 = Vector256<double>.Zero;
        var s10 = Vector256<double>.Zero;
        var s11 = Vector256<double>.Zero;
        var s20 = Vector256<double>.Zero;
        var s21 = Vector256<double>.Zero;
        var s30 = Vector256<double>.Zero;
        var s31 = Vector256<double>.Zero;
        ref double a1 = ref Unsafe.Add(ref a, aRow);
        ref double a2 = ref Unsafe.Add(ref a, 2 * aRow);
        ref double a3 = ref Unsafe.Add(ref a, 3 * aRow);
        for (int k = ks; k < ke; k++)
        {
            ref double bk = ref Unsafe.Add(ref b, (nint)k * ldb);
            var b0 = Vector256.LoadUnsafe(ref bk);
            var b1 = Vector256.LoadUnsafe(ref bk, 4);
            nint ak = (nint)k * aCol;
            var x = Vector256.Create(Unsafe.Add(ref a, ak));
            s00 = Vector256.FusedMultiplyAdd(x, b0, s00);
            s01 = Vector256.FusedMultiplyAdd(x, b1, s01);
            x = Vector256.Create(Unsafe.Add(ref a1, ak));
            s10 = Vector256.FusedMultiplyAdd(x, b0, s10);
            s11 = Vector256.FusedMultiplyAdd(x, b1, s11);
            x = Vector256.Create(Unsafe.Add(ref a2, ak));
            s20 = Vector256.FusedMultiplyAdd(x, b0, s20);
            s21 = Vector256.FusedMultiplyAdd(x, b1, s21);
            x = Vector256.Create(Unsafe.Add(ref a3, ak));
            s30 = Vector256.FusedMultiplyAdd(x, b0, s30);
            s31 = Vector256.FusedMultiplyAdd(x, b1, s31);
        }
        var va = Vector256.Create(alpha);
        Store256(ref c, 0, s00, va);
        Store256(ref c, 4, s01, va);
        Store256(ref c, ldc, s10, va);
        Store256(ref c, ldc + 4, s11, va);
        Store256(ref c, 2 * ldc, s20, va);
        Store256(ref c, 2 * ldc + 4, s21, va);
        Store256(ref c, 3 * ldc, s30, va);
        Store256(ref c, 3 * ldc + 4, s31, va);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile1x8V256(ref double c, ref double a, int aCol, ref double b, int ldb, int ks, int ke, double alpha)
    {
        var s0 = Vector256<double>.Zero;
        var s1 = Vector256<double>.Zero;
        for (int k = ks; k < ke; k++)
        {
            ref double bk = ref Unsafe.Add(ref b, (nint)k * ldb);
            var x = Vector256.Create(Unsafe.Add(ref a, (nint)k * aCol));
            s0 = Vector256.FusedMultiplyAdd(x, Vector256.LoadUnsafe(ref bk), s0);
            s1 = Vector256.FusedMultiplyAdd(x, Vector256.LoadUnsafe(ref bk, 4), s1);
        }
        var va = Vector256.Create(alpha);
        Store256(ref c, 0, s0, va);
        Store256(ref c, 4, s1, va);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store256(ref double c, nint offset, Vector256<double> sum, Vector256<double> alpha)
    {
        ref double dst = ref Unsafe.Add(ref c, offset);
        Vector256.FusedMultiplyAdd(alpha, sum, Vector256.LoadUnsafe(ref dst)).StoreUnsafe(ref dst);
    }

    private static void TileScalar(ref double c, int ldc, ref double a, int aRow, int aCol, ref double b, int ldb, int ks, int ke, double alpha, int rows, int cols)
    {
        for (int r = 0; r < rows; r++)
        {
            ref double ar = ref Unsafe.Add(ref a, (nint)r * aRow);
            for (int q = 0; q < cols; q++)
            {
                double s = 0.0;
                for (int k = ks; k < ke; k++)
                {
                    s += Unsafe.Add(ref ar, (nint)k * aCol) * Unsafe.Add(ref b, (nint)k * ldb + q);
                }
                Unsafe.Add(ref c, (nint)r * ldc + q) += alpha * s;
            }
        }
    }

    /// <summary>
    /// In-place blocked Cholesky A = UᵀU of the leading n×n block of a row-major symmetric matrix with row stride
    /// <paramref name="ld"/> (a multiple of 8 and at least n rounded up to 8), working on the upper triangle: on
    /// success row i of <paramref name="a"/> holds U[i, i..n−1], so U = Lᵀ for the lower factor L of A = LLᵀ
    /// (L[i, j] = a[j·ld + i]). The upper triangle and the row padding up to n rounded to 8 must be finite;
    /// entries left of the diagonal are overwritten with scratch values. Returns the first row whose pivot fell
    /// below <paramref name="relativeTolerance"/> times that row's original diagonal, or -1 on success.
    /// </summary>
    /// <param name="a">The matrix, n rows of stride <paramref name="ld"/>.</param>
    /// <param name="n">Order of the matrix.</param>
    /// <param name="ld">Row stride.</param>
    /// <param name="relativeTolerance">Pivot tolerance relative to the original diagonal.</param>
    /// <param name="diagonal">Scratch of at least n values (receives the original diagonal).</param>
    /// <remarks>
    /// Right-looking by blocks of <see cref="BlockSize"/> rows: the block's rows are factored four at a time (earlier
    /// rows of the block subtracted by <see cref="MultiplyAdd"/>, the 4-row triangle by pivots and axpys along the
    /// contiguous rows), then the trailing upper triangle is updated with A[k1.., k1..] −= U[k0..k1, k1..]ᵀ U[k0..k1, k1..].
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int CholeskyUpper(Span<double> a, int n, int ld, double relativeTolerance, Span<double> diagonal)
    {
        for (int i = 0; i < n; i++)
        {
            diagonal[i] = a[i * ld + i];
        }
        for (int k0 = 0; k0 < n; k0 += BlockSize)
        {
            int k1 = Math.Min(n, k0 + BlockSize);
            int kb = k1 - k0;
            int mp = RoundUp8(n - k0);
            var panel = a[(k0 * ld + k0)..];
            for (int q0 = 0; q0 < kb; q0 += 4)
            {
                int q1 = Math.Min(kb, q0 + 4);
                int c0 = q0 & ~7;
                if (q0 > 0)
                {
                    MultiplyAdd(panel[(q0 * ld + c0)..], ld, panel[q0..], 1, ld, panel[c0..], ld, q1 - q0, mp - c0, q0, -1.0, TileShape.None);
                }
                for (int q = q0; q < q1; q++)
                {
                    var rowQ = panel.Slice(q * ld, mp);
                    double piv = rowQ[q];
                    if (!(piv > relativeTolerance * Math.Abs(diagonal[k0 + q])) || !(piv > 0.0))
                    {
                        return k0 + q;
                    }
                    double uqq = Math.Sqrt(piv);
                    rowQ[q] = uqq;
                    var right = rowQ[(q + 1)..];
                    Scale(1.0 / uqq, right);
                    for (int qq = q + 1; qq < q1; qq++)
                    {
                        DenseKernels.Axpy(-rowQ[qq], rowQ[qq..], panel.Slice(qq * ld + qq, mp - qq));
                    }
                }
            }

            int m2 = n - k1;
            if (m2 > 0)
            {
                var u = panel[kb..];
                MultiplyAdd(a[(k1 * ld + k1)..], ld, u, 1, ld, u, ld, m2, RoundUp8(m2), kb, -1.0, TileShape.CUpper);
            }
        }
        return -1;
    }

    /// <summary>
    /// Writes X = L⁻¹ for the lower factor L = Uᵀ of <see cref="CholeskyUpper"/> (row-major U, stride
    /// <paramref name="ld"/>) into <paramref name="x"/> (same stride, row-major lower), block row by block row:
    /// X_II = L_II⁻¹ and X[I, 0:i0] = −X_II·(L[I, 0:i0]·X[0:i0, 0:i0]). Only the lower triangle of
    /// <paramref name="x"/> is written; its upper triangle and row padding must be zero (they are read as zeros).
    /// </summary>
    /// <param name="u">The upper factor.</param>
    /// <param name="n">Order.</param>
    /// <param name="ld">Row stride of both matrices (a multiple of 8).</param>
    /// <param name="x">Receives L⁻¹.</param>
    /// <param name="scratch">Scratch of at least <see cref="BlockSize"/>·ld values.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void LowerInverse(ReadOnlySpan<double> u, int n, int ld, Span<double> x, Span<double> scratch)
    {
        for (int i0 = 0; i0 < n; i0 += BlockSize)
        {
            int i1 = Math.Min(n, i0 + BlockSize);
            int mb = i1 - i0;

            // Diagonal block by rows: X[R, i0:R] = −(Σ_q L[R, q]·X[q, i0:R]) / L[R, R].
            for (int r = i0; r < i1; r++)
            {
                var row = x.Slice(r * ld + i0, r - i0);
                row.Clear();
                for (int q = i0; q < r; q++)
                {
                    DenseKernels.Axpy(u[q * ld + r], x.Slice(q * ld + i0, r - i0), row);
                }
                double inv = 1.0 / u[r * ld + r];
                Scale(-inv, row);
                x[r * ld + r] = inv;
            }
            if (i0 == 0)
            {
                continue;
            }

            // T = L[I, 0:i0]·X[0:i0, 0:i0] with L(r, k) = U[k, r], then X[I, 0:i0] = −X_II·T.
            for (int r = 0; r < mb; r++)
            {
                scratch.Slice(r * ld, i0).Clear();
                x.Slice((i0 + r) * ld, i0).Clear();
            }
            MultiplyAdd(scratch, ld, u[i0..], 1, ld, x, ld, mb, i0, i0, 1.0, TileShape.BLower);
            MultiplyAdd(x[(i0 * ld)..], ld, x[(i0 * ld + i0)..], ld, 1, scratch, ld, mb, i0, mb, -1.0, TileShape.ALower);
        }
    }

    /// <summary>x *= s.</summary>
    public static void Scale(double s, Span<double> x)
    {
        int i = 0;
        if (Use512)
        {
            var vs = Vector512.Create(s);
            ref double x0 = ref MemoryMarshal.GetReference(x);
            for (; i + 8 <= x.Length; i += 8)
            {
                (Vector512.LoadUnsafe(ref x0, (nuint)i) * vs).StoreUnsafe(ref x0, (nuint)i);
            }
        }
        for (; i < x.Length; i++)
        {
            x[i] *= s;
        }
    }
}
