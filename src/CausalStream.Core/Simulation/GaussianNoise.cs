namespace CausalStream.Core.Simulation;

/// <summary>
/// Standard normal deviates from a seeded <see cref="Random"/> by the Box–Muller transform; each uniform
/// pair yields two deviates, the second kept for the next call. Deterministic for a given seed.
/// </summary>
internal sealed class GaussianNoise
{
    private readonly Random _random;
    private double _spare;
    private bool _hasSpare;

    public GaussianNoise(int seed)
    {
        _random = new Random(seed);
    }

    public double Next()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }

        double u1 = 1.0 - _random.NextDouble(); // (0, 1], so the logarithm is finite
        double u2 = _random.NextDouble();
        double radius = Math.Sqrt(-2.0 * Math.Log(u1));
        double angle = 2.0 * Math.PI * u2;
        _spare = radius * Math.Sin(angle);
        _hasSpare = true;
        return radius * Math.Cos(angle);
    }
}
