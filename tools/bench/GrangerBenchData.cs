namespace CausalStream.Bench;

/// <summary>Deterministic synthetic multichannel data for the Granger benchmarks (AR(1) channels with a ring of couplings).</summary>
public static class GrangerBenchData
{
    /// <summary>Returns samples × channels values, row-major.</summary>
    public static double[] Generate(int channels, int samples, int seed)
    {
        var rng = new Random(seed);
        var data = new double[channels * samples];
        for (int t = 1; t < samples; t++)
        {
            for (int j = 0; j < channels; j++)
            {
                double u1 = 1.0 - rng.NextDouble();
                double u2 = rng.NextDouble();
                double noise = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
                double prev = data[(t - 1) * channels + j];
                double coupled = j % 4 == 0 ? 0.3 * data[(t - 1) * channels + (j + 1) % channels] : 0.0;
                data[t * channels + j] = 0.5 * prev + coupled + noise;
            }
        }
        return data;
    }
}
