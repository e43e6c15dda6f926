using CausalStream.Engine.Graphs;
using CausalStream.Engine.Statistics;

namespace CausalStream.Engine.Effects;

/// <summary>
/// Predicts the response of every channel to do(pulse of size u on channel A for d samples) from a fitted VAR(p):
/// the intervened channel's equation gets u added while the pulse lasts, every other equation (and A's afterwards)
/// follows the fitted model, r(t) = Σ_k Â_k r(t − k) + u·e_A·1[t &lt; d]. Standard errors by the delta method from the
/// coefficient covariance Cov(vec Â) = Σ_u ⊗ (Z'Z)⁻¹, with the exact gradient of each response value with respect to
/// every lag coefficient (forward-mode differentiation of the recursion).
/// </summary>
/// <remarks>
/// The fit supplies Â and the residual variance of each equation (RSS / (nobs − C·p − 1)); Z'Z comes from the same
/// window's lagged statistics. The residual covariance is taken as diagonal (the fit keeps each equation's RSS, not the
/// cross-equation products), which is exact for independent innovations such as the simulator's. Contemporaneous
/// structure (PCMCI+) is not used: the pulse enters its own channel only at onset.
/// </remarks>
public static class InterventionPredictor
{
    /// <summary>The prediction: <see cref="InterventionResult.Response"/> and its standard errors, row-major h × C.</summary>
    /// <exception cref="ArgumentException">Statistics that do not match the fit, or a channel, duration or horizon out of range.</exception>
    public static InterventionResult Predict(GrangerResult fit, LaggedCovariance stats, int channel, double amplitude, int durationSamples, int horizon, int outcomeChannel = -1, int outcomeFirst = 0, int outcomeEnd = 0, int delaySamples = 0)
    {
        ArgumentNullException.ThrowIfNull(fit);
        ArgumentNullException.ThrowIfNull(stats);
        int c = fit.Channels;
        int p = fit.Lags;
        if (stats.Channels != c || stats.MaxLag < p)
        {
            throw new ArgumentException($"the statistics ({stats.Channels} channels, max lag {stats.MaxLag}) do not match the fit ({c} channels, {p} lags)", nameof(stats));
        }

        if (channel < 0 || channel >= c)
        {
            throw new ArgumentOutOfRangeException(nameof(channel), channel, $"channel must be in 0..{c - 1}");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(durationSamples);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(horizon);
        bool summary = outcomeChannel >= 0;
        if (summary && (outcomeChannel >= c || outcomeFirst < 0 || outcomeEnd <= outcomeFirst))
        {
            throw new ArgumentOutOfRangeException(nameof(outcomeEnd), outcomeEnd, "the outcome channel or window is out of range");
        }

        int h = summary ? Math.Max(horizon, outcomeEnd) : horizon;

        // Â_k[i, j] at (k − 1)·C·C + i·C + j.
        var a = new double[p * c * c];
        for (int k = 1; k <= p; k++)
        {
            for (int i = 0; i < c; i++)
            {
                for (int j = 0; j < c; j++)
                {
                    a[((k - 1) * c * c) + (i * c) + j] = fit.Coefficient(i, j, k);
                }
            }
        }

        var r = Respond(a, c, p, channel, amplitude, durationSamples, delaySamples, h);

        // (Z'Z)⁻¹ over the lag regressors, in channel-major order 1 + j·p + (k − 1).
        int kk = 1 + (c * p);
        int ld = (kk + 7) & ~7;
        var zz = new double[kk * ld];
        stats.BuildRegressionSystem(p, zz, ld, new double[kk * c], c, new double[c]);
        var gram = new double[kk, kk];
        for (int i = 0; i < kk; i++)
        {
            for (int j = i; j < kk; j++)
            {
                gram[i, j] = zz[(i * ld) + j];
                gram[j, i] = zz[(i * ld) + j];
            }
        }

        var inverse = new double[kk, kk];
        for (int col = 0; col < kk; col++)
        {
            var unit = new double[kk];
            unit[col] = 1;
            if (!DenseSolver.TrySolve(gram, unit, out var x))
            {
                return new InterventionResult(r, null, null, null, "the lagged regressors are collinear: Z'Z is singular");
            }

            for (int row = 0; row < kk; row++)
            {
                inverse[row, col] = x[row];
            }
        }

        double dof = fit.ResidualDof;
        var sigma2 = new double[c];
        for (int i = 0; i < c; i++)
        {
            sigma2[i] = dof > 0 ? fit.ResidualSumOfSquares[i] / dof : double.NaN;
        }

        // Gradients: for equation i, parameter (j, k) at g[(i · C + j) · p + k − 1]; dr(t) = Σ_l Â_l dr(t − l) + e_i r_j(t − k).
        int outputs = h * c;
        int parameters = c * c * p;
        var grad = new double[parameters * outputs]; // grad[param · outputs + t · C + ch]
        var dr = new double[outputs];
        for (int i = 0; i < c; i++)
        {
            for (int j = 0; j < c; j++)
            {
                for (int k = 1; k <= p; k++)
                {
                    Array.Clear(dr);
                    for (int t = 0; t < h; t++)
                    {
                        for (int l = 1; l <= p && l <= t; l++)
                        {
                            int baseA = (l - 1) * c * c;
                            int past = (t - l) * c;
                            for (int row = 0; row < c; row++)
                            {
                                double sum = 0;
                                for (int col = 0; col < c; col++)
                                {
                                    sum += a[baseA + (row * c) + col] * dr[past + col];
                                }

                                dr[(t * c) + row] += sum;
                            }
                        }

                        if (t >= k)
                        {
                            dr[(t * c) + i] += r[((t - k) * c) + j];
                        }
                    }

                    int param = (((i * c) + j) * p) + k - 1;
                    Array.Copy(dr, 0, grad, param * outputs, outputs);
                }
            }
        }

        var se = new double[horizon * c];
        var g = new double[c * p];
        for (int o = 0; o < horizon * c; o++)
        {
            se[o] = Math.Sqrt(QuadraticForm(grad, outputs, o, c, p, sigma2, inverse, g, null));
        }

        double? effect = null, effectSe = null;
        if (summary)
        {
            var weights = new double[outputs];
            for (int t = outcomeFirst; t < outcomeEnd; t++)
            {
                weights[(t * c) + outcomeChannel] = 1.0 / (outcomeEnd - outcomeFirst);
            }

            double sum = 0;
            for (int o = 0; o < outputs; o++)
            {
                sum += weights[o] * r[o];
            }

            effect = sum;
            effectSe = Math.Sqrt(QuadraticForm(grad, outputs, -1, c, p, sigma2, inverse, g, weights));
        }

        var response = new double[horizon * c];
        Array.Copy(r, response, response.Length);
        return new InterventionResult(response, se, effect, effectSe, null);
    }

    /// <summary>Pulse response of a VAR with lag coefficients <paramref name="a"/> (lag-major, [target, source]).</summary>
    internal static double[] Respond(double[] a, int c, int p, int channel, double amplitude, int duration, int delay, int h)
    {
        var r = new double[h * c];
        for (int t = 0; t < h; t++)
        {
            for (int k = 1; k <= p && k <= t; k++)
            {
                int baseA = (k - 1) * c * c;
                int past = (t - k) * c;
                for (int i = 0; i < c; i++)
                {
                    double sum = 0;
                    for (int j = 0; j < c; j++)
                    {
                        sum += a[baseA + (i * c) + j] * r[past + j];
                    }

                    r[(t * c) + i] += sum;
                }
            }

            if (t >= delay && t < delay + duration)
            {
                r[(t * c) + channel] += amplitude;
            }
        }

        return r;
    }

    // Σ_i σ_i² g_iᵀ (Z'Z)⁻¹_lags g_i for the output o (or the weighted sum of outputs when weights is given).
    private static double QuadraticForm(double[] grad, int outputs, int o, int c, int p, double[] sigma2, double[,] inverse, double[] g, double[]? weights)
    {
        double total = 0;
        for (int i = 0; i < c; i++)
        {
            for (int j = 0; j < c; j++)
            {
                for (int k = 1; k <= p; k++)
                {
                    int param = (((i * c) + j) * p) + k - 1;
                    double value;
                    if (weights is null)
                    {
                        value = grad[(param * outputs) + o];
                    }
                    else
                    {
                        value = 0;
                        for (int q = 0; q < outputs; q++)
                        {
                            if (weights[q] != 0)
                            {
                                value += weights[q] * grad[(param * outputs) + q];
                            }
                        }
                    }

                    g[(j * p) + k - 1] = value;
                }
            }

            double form = 0;
            for (int x = 0; x < c * p; x++)
            {
                if (g[x] == 0)
                {
                    continue;
                }

                double row = 0;
                for (int y = 0; y < c * p; y++)
                {
                    row += inverse[1 + x, 1 + y] * g[y];
                }

                form += g[x] * row;
            }

            total += sigma2[i] * form;
        }

        return total;
    }
}
