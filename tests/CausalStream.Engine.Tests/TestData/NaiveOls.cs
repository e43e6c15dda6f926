using MathNet.Numerics.LinearAlgebra;

namespace CausalStream.Engine.Tests.TestData;

/// <summary>Independent from-scratch reference computations (row-by-row sums, QR least squares) for the engine tests.</summary>
internal static class NaiveOls
{
    /// <summary>Rows t (0-based sample index) whose samples t−p..t are all finite, among the given candidate range.</summary>
    public static List<int> CompleteRows(double[] data, int channels, int lags, int firstRow, int lastRow)
    {
        var rows = new List<int>();
        for (int t = Math.Max(firstRow, lags); t <= lastRow; t++)
        {
            bool ok = true;
            for (int s = t - lags; s <= t && ok; s++)
            {
                for (int j = 0; j < channels; j++)
                {
                    if (!double.IsFinite(data[s * channels + j]))
                    {
                        ok = false;
                        break;
                    }
                }
            }
            if (ok)
            {
                rows.Add(t);
            }
        }
        return rows;
    }

    /// <summary>Design matrix [1, x_{t−1} (channels), …, x_{t−p}] and targets x_t, restricted to the given rows; optional column mask.</summary>
    public static (Matrix<double> Z, Matrix<double> Y) Design(double[] data, int channels, int lags, List<int> rows)
    {
        var z = Matrix<double>.Build.Dense(rows.Count, 1 + channels * lags);
        var y = Matrix<double>.Build.Dense(rows.Count, channels);
        for (int r = 0; r < rows.Count; r++)
        {
            int t = rows[r];
            z[r, 0] = 1.0;
            for (int k = 1; k <= lags; k++)
            {
                for (int j = 0; j < channels; j++)
                {
                    z[r, 1 + (k - 1) * channels + j] = data[(t - k) * channels + j];
                }
            }
            for (int j = 0; j < channels; j++)
            {
                y[r, j] = data[t * channels + j];
            }
        }
        return (z, y);
    }

    /// <summary>Residual sum of squares of y regressed on the columns of z by QR.</summary>
    public static double Rss(Matrix<double> z, Vector<double> y)
    {
        var beta = z.QR().Solve(y);
        var resid = y - z * beta;
        return resid.DotProduct(resid);
    }

    /// <summary>z without the given columns.</summary>
    public static Matrix<double> DropColumns(Matrix<double> z, IReadOnlyList<int> drop)
    {
        var keep = new List<int>();
        for (int c = 0; c < z.ColumnCount; c++)
        {
            if (!drop.Contains(c))
            {
                keep.Add(c);
            }
        }
        var m = Matrix<double>.Build.Dense(z.RowCount, keep.Count);
        for (int c = 0; c < keep.Count; c++)
        {
            m.SetColumn(c, z.Column(keep[c]));
        }
        return m;
    }
}
