namespace CausalStream.Engine.Effects;

/// <summary>
/// Least squares with an unpenalised intercept, optionally ridge-penalised: w minimises
/// ‖yc − Xc w‖² + α‖w‖² with X and y centred by the training means, and b = ȳ − x̄ᵀw (α = 0 is OLS).
/// X is not scaled.
/// </summary>
public sealed class LinearModel
{
    private LinearModel(double intercept, double[] coefficients)
    {
        Intercept = intercept;
        Coefficients = coefficients;
    }

    public double Intercept { get; }

    public IReadOnlyList<double> Coefficients { get; }

    /// <summary>Fits on the rows where <paramref name="include"/> is true (all rows when null); null when the system is singular.</summary>
    public static LinearModel? Fit(double[][] x, double[] y, Func<int, bool>? include = null, double ridgeAlpha = 0)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        int k = x.Length == 0 ? 0 : x[0].Length;
        var mean = new double[k];
        double yMean = 0;
        int n = 0;
        for (int i = 0; i < y.Length; i++)
        {
            if (include is null || include(i))
            {
                n++;
                yMean += y[i];
                for (int j = 0; j < k; j++)
                {
                    mean[j] += x[i][j];
                }
            }
        }

        if (n == 0)
        {
            return null;
        }

        yMean /= n;
        for (int j = 0; j < k; j++)
        {
            mean[j] /= n;
        }

        var a = new double[k, k];
        var b = new double[k];
        var row = new double[k];
        for (int i = 0; i < y.Length; i++)
        {
            if (include is not null && !include(i))
            {
                continue;
            }

            for (int j = 0; j < k; j++)
            {
                row[j] = x[i][j] - mean[j];
            }

            double yc = y[i] - yMean;
            for (int j = 0; j < k; j++)
            {
                b[j] += row[j] * yc;
                for (int m = 0; m <= j; m++)
                {
                    a[j, m] += row[j] * row[m];
                }
            }
        }

        for (int j = 0; j < k; j++)
        {
            a[j, j] += ridgeAlpha;
            for (int m = 0; m < j; m++)
            {
                a[m, j] = a[j, m];
            }
        }

        double[] w = [];
        if (k > 0 && !DenseSolver.TrySolve(a, b, out w))
        {
            return null;
        }

        double intercept = yMean;
        for (int j = 0; j < k; j++)
        {
            intercept -= mean[j] * w[j];
        }

        return new LinearModel(intercept, w);
    }

    public double Predict(double[] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        double s = Intercept;
        for (int j = 0; j < x.Length; j++)
        {
            s += Coefficients[j] * x[j];
        }

        return s;
    }
}
