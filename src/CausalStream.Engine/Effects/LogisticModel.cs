namespace CausalStream.Engine.Effects;

/// <summary>
/// Logistic regression P(d = 1 | x) = 1/(1 + exp(−(b + xᵀw))) fitted by Newton's method (IRLS) with step
/// halving, to the maximum-likelihood solution, or with an L2 penalty ½‖w‖²/C on the slopes (the intercept is
/// never penalised). Perfect or quasi-perfect separation, where the unpenalised maximum does not exist, is
/// detected and reported through <see cref="Separated"/> rather than returning runaway coefficients.
/// </summary>
public sealed class LogisticModel
{
    private LogisticModel(double intercept, double[] coefficients, int iterations, bool converged, bool separated)
    {
        Intercept = intercept;
        Coefficients = coefficients;
        Iterations = iterations;
        Converged = converged;
        Separated = separated;
    }

    public double Intercept { get; }

    public IReadOnlyList<double> Coefficients { get; }

    public int Iterations { get; }

    public bool Converged { get; }

    /// <summary>True when the classes are (nearly) perfectly separated, so no finite maximum exists.</summary>
    public bool Separated { get; }

    /// <summary>Fits on the rows where <paramref name="include"/> is true (all when null). <paramref name="c"/> null = unpenalised.</summary>
    public static LogisticModel Fit(double[][] x, double[] d, Func<int, bool>? include = null, double? c = null, int maxIterations = 100, double tolerance = 1e-12)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(d);
        int k = x.Length == 0 ? 0 : x[0].Length;
        int p = k + 1;
        var beta = new double[p];
        double lambda = c is double cv ? 1 / cv : 0;
        double loss = Loss(x, d, include, beta, lambda);
        var grad = new double[p];
        var h = new double[p, p];
        for (int iter = 1; iter <= maxIterations; iter++)
        {
            Array.Clear(grad);
            Array.Clear(h);
            double maxEta = 0;
            for (int i = 0; i < d.Length; i++)
            {
                if (include is not null && !include(i))
                {
                    continue;
                }

                double eta = Eta(x[i], beta);
                maxEta = Math.Max(maxEta, Math.Abs(eta));
                double mu = Sigmoid(eta);
                double r = mu - d[i];
                double w = mu * (1 - mu);
                grad[0] += r;
                h[0, 0] += w;
                for (int j = 0; j < k; j++)
                {
                    grad[j + 1] += r * x[i][j];
                    h[j + 1, 0] += w * x[i][j];
                    for (int m = 0; m <= j; m++)
                    {
                        h[j + 1, m + 1] += w * x[i][j] * x[i][m];
                    }
                }
            }

            for (int j = 1; j < p; j++)
            {
                grad[j] += lambda * beta[j];
                h[j, j] += lambda;
            }

            for (int j = 0; j < p; j++)
            {
                for (int m = 0; m < j; m++)
                {
                    h[m, j] = h[j, m];
                }
            }

            if (!DenseSolver.TrySolve(h, grad, out var step))
            {
                return new LogisticModel(beta[0], beta[1..], iter, false, lambda == 0);
            }

            double t = 1;
            double newLoss = double.PositiveInfinity;
            var trial = new double[p];
            for (int halving = 0; halving < 30; halving++)
            {
                for (int j = 0; j < p; j++)
                {
                    trial[j] = beta[j] - (t * step[j]);
                }

                newLoss = Loss(x, d, include, trial, lambda);
                if (newLoss <= loss + (1e-12 * Math.Abs(loss)))
                {
                    break;
                }

                t /= 2;
            }

            double maxStep = 0;
            for (int j = 0; j < p; j++)
            {
                maxStep = Math.Max(maxStep, Math.Abs(beta[j] - trial[j]));
            }

            Array.Copy(trial, beta, p);
            loss = newLoss;
            if (lambda == 0 && maxEta > 30 && loss < 1e-8)
            {
                return new LogisticModel(beta[0], beta[1..], iter, false, true);
            }

            if (maxStep <= tolerance * Math.Max(1, beta.Max(Math.Abs)))
            {
                bool separated = lambda == 0 && MaxAbsEta(x, include, beta, d.Length) > 30;
                return new LogisticModel(beta[0], beta[1..], iter, true, separated);
            }
        }

        return new LogisticModel(beta[0], beta[1..], maxIterations, false, lambda == 0 && MaxAbsEta(x, include, beta, d.Length) > 30);
    }

    /// <summary>The linear predictor b + xᵀw (the logit).</summary>
    public double Logit(double[] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        double s = Intercept;
        for (int j = 0; j < x.Length; j++)
        {
            s += Coefficients[j] * x[j];
        }

        return s;
    }

    public double Predict(double[] x) => Sigmoid(Logit(x));

    internal static double Sigmoid(double eta) => eta >= 0 ? 1 / (1 + Math.Exp(-eta)) : Math.Exp(eta) / (1 + Math.Exp(eta));

    private static double Eta(double[] x, double[] beta)
    {
        double s = beta[0];
        for (int j = 0; j < x.Length; j++)
        {
            s += beta[j + 1] * x[j];
        }

        return s;
    }

    private static double MaxAbsEta(double[][] x, Func<int, bool>? include, double[] beta, int n)
    {
        double m = 0;
        for (int i = 0; i < n; i++)
        {
            if (include is null || include(i))
            {
                m = Math.Max(m, Math.Abs(Eta(x[i], beta)));
            }
        }

        return m;
    }

    // Negative log-likelihood (plus the penalty): Σ log(1 + exp(η)) − dη, computed stably.
    private static double Loss(double[][] x, double[] d, Func<int, bool>? include, double[] beta, double lambda)
    {
        double s = 0;
        for (int i = 0; i < d.Length; i++)
        {
            if (include is not null && !include(i))
            {
                continue;
            }

            double eta = Eta(x[i], beta);
            double softplus = eta > 0 ? eta + double.LogP1(Math.Exp(-eta)) : double.LogP1(Math.Exp(eta));
            s += softplus - (d[i] * eta);
        }

        for (int j = 1; j < beta.Length; j++)
        {
            s += 0.5 * lambda * beta[j] * beta[j];
        }

        return s;
    }
}
