using MathNet.Numerics;

namespace CausalStream.Engine.Statistics;

/// <summary>
/// Upper-tail probabilities P(F &gt; f) of one F(df1, df2) distribution, for many statistics that share the degrees
/// of freedom (every pair test of a Granger solve): the log-beta normaliser is computed once, each tail is one
/// continued-fraction evaluation of the regularised incomplete beta function.
/// </summary>
/// <remarks>
/// P(F &gt; f) = I_x(df2/2, df1/2) with x = df2 / (df2 + df1·f). The continued fraction (modified Lentz) is evaluated
/// for I_x(a, b) when x &lt; (a + 1)/(a + b + 2) and for 1 − I_{1−x}(b, a) otherwise, where it converges fast;
/// 1 − x is formed as df1·f / (df2 + df1·f) so tiny tails keep their relative accuracy.
/// </remarks>
public readonly struct FDistributionTail
{
    private const int MaxIterations = 2000;
    private const double Epsilon = 1e-16;
    private const double Tiny = 1e-300;

    private readonly double _df1;
    private readonly double _df2;
    private readonly double _a;
    private readonly double _b;
    private readonly double _logNormaliser;

    /// <summary>Prepares the tails of F(<paramref name="df1"/>, <paramref name="df2"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A degree of freedom is not positive and finite.</exception>
    public FDistributionTail(double df1, double df2)
    {
        if (!(df1 > 0.0) || !double.IsFinite(df1))
        {
            throw new ArgumentOutOfRangeException(nameof(df1), df1, "The numerator degrees of freedom must be positive and finite.");
        }
        if (!(df2 > 0.0) || !double.IsFinite(df2))
        {
            throw new ArgumentOutOfRangeException(nameof(df2), df2, "The denominator degrees of freedom must be positive and finite.");
        }
        _df1 = df1;
        _df2 = df2;
        _a = df2 / 2.0;
        _b = df1 / 2.0;
        _logNormaliser = SpecialFunctions.GammaLn(_a + _b) - SpecialFunctions.GammaLn(_a) - SpecialFunctions.GammaLn(_b);
    }

    /// <summary>P(F &gt; <paramref name="f"/>); 1 for f ≤ 0 or NaN, 0 for +∞.</summary>
    public double Survival(double f)
    {
        if (!(f > 0.0))
        {
            return 1.0;
        }
        if (double.IsPositiveInfinity(f))
        {
            return 0.0;
        }
        double denominator = _df2 + _df1 * f;
        double x = _df2 / denominator;
        double y = _df1 * f / denominator;   // 1 − x without cancellation
        double front = Math.Exp(_logNormaliser + _a * Math.Log(x) + _b * Math.Log(y));
        double p = x < (_a + 1.0) / (_a + _b + 2.0)
            ? front * ContinuedFraction(_a, _b, x) / _a
            : 1.0 - front * ContinuedFraction(_b, _a, y) / _b;
        return double.IsFinite(p) ? Math.Clamp(p, 0.0, 1.0) : 0.0;
    }

    /// <summary>The continued fraction of I_x(a, b) without its prefactor, by the modified Lentz method.</summary>
    private static double ContinuedFraction(double a, double b, double x)
    {
        double qab = a + b;
        double qap = a + 1.0;
        double qam = a - 1.0;
        double c = 1.0;
        double d = 1.0 - qab * x / qap;
        if (Math.Abs(d) < Tiny)
        {
            d = Tiny;
        }
        d = 1.0 / d;
        double h = d;
        for (int m = 1; m <= MaxIterations; m++)
        {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1.0 + aa * d;
            if (Math.Abs(d) < Tiny)
            {
                d = Tiny;
            }
            c = 1.0 + aa / c;
            if (Math.Abs(c) < Tiny)
            {
                c = Tiny;
            }
            d = 1.0 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1.0 + aa * d;
            if (Math.Abs(d) < Tiny)
            {
                d = Tiny;
            }
            c = 1.0 + aa / c;
            if (Math.Abs(c) < Tiny)
            {
                c = Tiny;
            }
            d = 1.0 / d;
            double delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1.0) < Epsilon)
            {
                break;
            }
        }
        return h;
    }
}
