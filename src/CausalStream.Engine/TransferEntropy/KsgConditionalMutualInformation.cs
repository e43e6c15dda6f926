using MathNet.Numerics;

namespace CausalStream.Engine.TransferEntropy;

/// <summary>
/// Kraskov–Stögbauer–Grassberger estimator (algorithm 1, max norm) of the conditional mutual information
/// I(X; Y | Z) in nats, in the Frenzel–Pompe form: ψ(k) − ⟨ψ(n_xz + 1) + ψ(n_yz + 1) − ψ(n_z + 1)⟩, where ε_i is
/// the distance to the k-th neighbour in the joint space and n_· count the other points strictly within ε_i in each
/// marginal space. With no Z it is the KSG mutual information ψ(k) + ψ(N) − ⟨ψ(n_x + 1) + ψ(n_y + 1)⟩.
/// Neighbour searches and range counts use <see cref="MaxNormKdTree"/>.
/// </summary>
public static class KsgConditionalMutualInformation
{
    /// <summary>
    /// Estimates I(X; Y | Z) from row-major point sets with the same number of rows (Z may have 0 columns).
    /// Reuse <paramref name="yz"/> and <paramref name="z"/> trees across calls that change only X (surrogates).
    /// </summary>
    /// <exception cref="ArgumentException">Row counts differ, or k is not below the number of rows.</exception>
    public static double Estimate(ReadOnlySpan<double> x, int dx, ReadOnlySpan<double> y, int dy, ReadOnlySpan<double> zValues, int dz, int k, MaxNormKdTree? yz = null, MaxNormKdTree? z = null)
    {
        int n = x.Length / dx;
        if (y.Length != n * dy || (dz > 0 && zValues.Length != n * dz))
        {
            throw new ArgumentException($"X has {n} rows; Y has {y.Length / Math.Max(dy, 1)} and Z {(dz > 0 ? zValues.Length / dz : n)}: all must have the same number of rows.", nameof(y));
        }
        if (k < 1 || k >= n)
        {
            throw new ArgumentException($"k = {k} neighbours need more than {k} rows (have {n}).", nameof(k));
        }

        int dj = dx + dy + dz;
        var joint = new double[n * dj];
        var xz = new double[n * (dx + dz)];
        for (int i = 0; i < n; i++)
        {
            x.Slice(i * dx, dx).CopyTo(joint.AsSpan(i * dj, dx));
            y.Slice(i * dy, dy).CopyTo(joint.AsSpan((i * dj) + dx, dy));
            x.Slice(i * dx, dx).CopyTo(xz.AsSpan(i * (dx + dz), dx));
            if (dz > 0)
            {
                zValues.Slice(i * dz, dz).CopyTo(joint.AsSpan((i * dj) + dx + dy, dz));
                zValues.Slice(i * dz, dz).CopyTo(xz.AsSpan((i * (dx + dz)) + dx, dz));
            }
        }
        var jointTree = new MaxNormKdTree(joint, dj);
        var xzTree = new MaxNormKdTree(xz, dx + dz);
        yz ??= YzTree(y, dy, zValues, dz);
        if (dz > 0)
        {
            z ??= new MaxNormKdTree(zValues, dz);
        }

        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double eps = jointTree.KthNeighbourDistance(i, k);
            int nxz = xzTree.CountWithin(i, eps) - 1;
            int nyz = yz.CountWithin(i, eps) - 1;
            int nz = dz > 0 ? z!.CountWithin(i, eps) - 1 : n - 1;
            sum += SpecialFunctions.DiGamma(nxz + 1) + SpecialFunctions.DiGamma(nyz + 1) - SpecialFunctions.DiGamma(nz + 1);
        }
        return SpecialFunctions.DiGamma(k) - (sum / n);
    }

    /// <summary>The tree over [Y, Z] rows that <see cref="Estimate"/> can reuse.</summary>
    public static MaxNormKdTree YzTree(ReadOnlySpan<double> y, int dy, ReadOnlySpan<double> zValues, int dz)
    {
        int n = y.Length / dy;
        var yz = new double[n * (dy + dz)];
        for (int i = 0; i < n; i++)
        {
            y.Slice(i * dy, dy).CopyTo(yz.AsSpan(i * (dy + dz), dy));
            if (dz > 0)
            {
                zValues.Slice(i * dz, dz).CopyTo(yz.AsSpan((i * (dy + dz)) + dy, dz));
            }
        }
        return new MaxNormKdTree(yz, dy + dz);
    }
}
