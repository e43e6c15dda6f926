namespace CausalStream.Engine.Effects;

/// <summary>
/// Anytime-valid (asymptotic) confidence sequence for the mean of a stream of influence values ψ₁, ψ₂, … — for the
/// ATE, the IPW or AIPW scores. After t values with running mean ψ̄ₜ and variance σ̂ₜ², the bounds are
/// ψ̄ₜ ± σ̂ₜ·√(2(tρ² + 1)/(t²ρ²)·ln(√(tρ² + 1)/α)), the normal-mixture boundary of Robbins applied with a
/// plug-in variance (Waudby-Smith et al., "Time-uniform central limit theory"): the coverage 1 − α holds
/// simultaneously over all t, so the interval may be watched continuously and acted on at any time. ρ tunes the
/// t at which the sequence is tightest: ρ² = (−2 ln α + ln(−2 ln α + 1))/t*.
/// </summary>
public sealed class ConfidenceSequence
{
    private readonly double _rho2;
    private long _count;
    private double _mean;
    private double _m2;

    public ConfidenceSequence(double alpha = 0.05, double tightestAt = 500)
    {
        if (!(alpha > 0 && alpha < 1) || !(tightestAt >= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), "alpha must lie in (0, 1) and tightestAt be at least 1");
        }

        Alpha = alpha;
        double l = -2 * Math.Log(alpha);
        _rho2 = (l + Math.Log(l + 1)) / tightestAt;
    }

    public double Alpha { get; }

    public long Count => _count;

    public double Mean => _mean;

    /// <summary>Adds one influence value (Welford update).</summary>
    public void Add(double psi)
    {
        if (!double.IsFinite(psi))
        {
            return;
        }

        _count++;
        double delta = psi - _mean;
        _mean += delta / _count;
        _m2 += delta * (psi - _mean);
    }

    /// <summary>Half-width of the sequence at the current count; infinite before two values.</summary>
    public double HalfWidth
    {
        get
        {
            if (_count < 2)
            {
                return double.PositiveInfinity;
            }

            double t = _count;
            double sd = Math.Sqrt(_m2 / (t - 1));
            double a = (t * _rho2) + 1;
            return sd * Math.Sqrt(2 * a / (t * t * _rho2) * Math.Log(Math.Sqrt(a) / Alpha));
        }
    }

    /// <summary>
    /// The same boundary for an asymptotically linear estimator after <paramref name="count"/> units whose influence
    /// values have standard deviation <paramref name="sd"/> (for an estimate with standard error se over n units,
    /// sd = se·√n): sd·√(2(tρ² + 1)/(t²ρ²)·ln(√(tρ² + 1)/α)). Infinite before two units.
    /// </summary>
    public static double HalfWidthFor(double sd, long count, double alpha = 0.05, double tightestAt = 500)
    {
        if (count < 2 || !double.IsFinite(sd))
        {
            return double.PositiveInfinity;
        }

        double l = -2 * Math.Log(alpha);
        double rho2 = (l + Math.Log(l + 1)) / tightestAt;
        double t = count;
        double a = (t * rho2) + 1;
        return sd * Math.Sqrt(2 * a / (t * t * rho2) * Math.Log(Math.Sqrt(a) / alpha));
    }

    public double Lower => _mean - HalfWidth;

    public double Upper => _mean + HalfWidth;
}
