namespace CausalStream.Bench;

/// <summary>
/// Deterministic synthetic series for the causal-discovery benchmarks: AR(1) channels, each driven by one other
/// channel at a lag of 1, 2 or 3 samples (a sparse lagged network, as in PCMCI's own scaling experiments).
/// </summary>
public static class DiscoveryBenchData
{
    /// <summary>Returns samples × channels values, row-major.</summary>
    public static double[] Generate(int channels, int samples, int seed)
    {
        var rng = new Random(seed);
        const int burn = 100;
        var data = new double[channels * (samples + burn)];
        for (int t = 3; t < samples + burn; t++)
        {
            for (int j = 0; j < channels; j++)
            {
                double u1 = 1.0 - rng.NextDouble();
                double u2 = rng.NextDouble();
                double noise = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
                int lag = 1 + (j % 3);
                int driver = (j + 1 + (j % 5)) % channels;
                double v = (0.5 * data[((t - 1) * channels) + j]) + noise;
                if (driver != j)
                {
                    v += 0.3 * data[((t - lag) * channels) + driver];
                }
                data[(t * channels) + j] = v;
            }
        }
        return data.AsSpan(burn * channels).ToArray();
    }
}
