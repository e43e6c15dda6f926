using CausalStream.Core.Simulation;

namespace CausalStream.Core.Tests.Simulation;

/// <summary>Reference computations for the simulation tests, written independently of the generator.</summary>
internal static class SimulationTestHelpers
{
    /// <summary>Noise-free response of the VAR from zero state to a pulse of <paramref name="amplitude"/> on <paramref name="channel"/> for <paramref name="duration"/> samples.</summary>
    public static double[,] PulseResponse(VarNetwork network, int channel, double amplitude, int duration, int samples)
    {
        int c = network.Channels;
        var a = network.GetLagMatrices();
        var d = new double[samples, c];
        for (int t = 0; t < samples; t++)
        {
            for (int i = 0; i < c; i++)
            {
                double value = (i == channel && t < duration) ? amplitude : 0;
                for (int k = 1; k <= network.MaxLag && k <= t; k++)
                {
                    for (int j = 0; j < c; j++)
                    {
                        value += a[k - 1][i, j] * d[t - k, j];
                    }
                }

                d[t, i] = value;
            }
        }

        return d;
    }

    /// <summary>Sample autocovariances (1/N) Σ y_t y_{t−k}ᵀ of a zero-mean row-major series, for k = 0..maxLag.</summary>
    public static double[][,] SampleCovariance(double[] rowMajor, int channels, int maxLag)
    {
        int n = rowMajor.Length / channels;
        var result = new double[maxLag + 1][,];
        for (int k = 0; k <= maxLag; k++)
        {
            var g = new double[channels, channels];
            for (int t = k; t < n; t++)
            {
                int now = t * channels;
                int past = (t - k) * channels;
                for (int i = 0; i < channels; i++)
                {
                    double yi = rowMajor[now + i];
                    for (int j = 0; j < channels; j++)
                    {
                        g[i, j] += yi * rowMajor[past + j];
                    }
                }
            }

            for (int i = 0; i < channels; i++)
            {
                for (int j = 0; j < channels; j++)
                {
                    g[i, j] /= n;
                }
            }

            result[k] = g;
        }

        return result;
    }

    /// <summary>
    /// Bartlett's large-sample standard error of the sample cross-covariance γ̂_ij(k) of a Gaussian linear process:
    /// N·Var ≈ Σ_h [γ_ii(h)γ_jj(h) + γ_ij(h+k)γ_ji(h−k)], with Γ(−h) = Γ(h)ᵀ and the sum cut at ±(gamma.Length − 1 − k).
    /// </summary>
    public static double BartlettStandardError(double[][,] gamma, int i, int j, int k, int sampleCount)
    {
        int horizon = gamma.Length - 1 - k;
        double sum = 0;
        for (int h = -horizon; h <= horizon; h++)
        {
            sum += At(gamma, h, i, i) * At(gamma, h, j, j) + At(gamma, h + k, i, j) * At(gamma, h - k, j, i);
        }

        return Math.Sqrt(Math.Max(sum, 0) / sampleCount);
    }

    /// <summary>Γ(h)[i, j] for any integer h, using Γ(−h) = Γ(h)ᵀ.</summary>
    public static double At(double[][,] gamma, int h, int i, int j) => h >= 0 ? gamma[h][i, j] : gamma[-h][j, i];

    /// <summary>A small explicit 3-channel network: self AR(2) terms and edges 0→1 (lag 1), 1→2 (lag 2).</summary>
    public static VarNetwork SmallNetwork()
    {
        var a1 = new double[,]
        {
            { 1.2, 0, 0 },
            { 0.4, 1.0, 0 },
            { 0, 0, 0.5 },
        };
        var a2 = new double[,]
        {
            { -0.5, 0, 0 },
            { 0, -0.4, 0 },
            { 0, -0.3, 0.2 },
        };
        return new VarNetwork([a1, a2]);
    }

    public static SimulatorOptions SmallOptions(int seed = 7) => new()
    {
        Channels = 3,
        MaxLag = 2,
        Seed = seed,
        Paced = false,
        MeasurementNoiseSd = 0,
    };
}
