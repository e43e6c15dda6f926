namespace CausalStream.Engine.Effects;

/// <summary>Cholesky solve of a small symmetric positive-definite system; reports failure instead of throwing.</summary>
internal static class DenseSolver
{
    /// <summary>Solves A x = b in place of a copy; false when A is not numerically positive definite.</summary>
    public static bool TrySolve(double[,] a, double[] b, out double[] x)
    {
        int n = b.Length;
        var l = new double[n, n];
        double scale = 0;
        for (int i = 0; i < n; i++)
        {
            scale = Math.Max(scale, Math.Abs(a[i, i]));
        }

        for (int j = 0; j < n; j++)
        {
            double s = a[j, j];
            for (int k = 0; k < j; k++)
            {
                s -= l[j, k] * l[j, k];
            }

            if (!(s > 1e-13 * Math.Max(scale, 1e-300)))
            {
                x = [];
                return false;
            }

            l[j, j] = Math.Sqrt(s);
            for (int i = j + 1; i < n; i++)
            {
                double t = a[i, j];
                for (int k = 0; k < j; k++)
                {
                    t -= l[i, k] * l[j, k];
                }

                l[i, j] = t / l[j, j];
            }
        }

        var z = new double[n];
        for (int i = 0; i < n; i++)
        {
            double s = b[i];
            for (int k = 0; k < i; k++)
            {
                s -= l[i, k] * z[k];
            }

            z[i] = s / l[i, i];
        }

        x = new double[n];
        for (int i = n - 1; i >= 0; i--)
        {
            double s = z[i];
            for (int k = i + 1; k < n; k++)
            {
                s -= l[k, i] * x[k];
            }

            x[i] = s / l[i, i];
        }

        return true;
    }
}
