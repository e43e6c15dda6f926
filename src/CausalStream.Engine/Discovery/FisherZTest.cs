namespace CausalStream.Engine.Discovery;

/// <summary>
/// Fisher-z conditional-independence test on i.i.d. data (causal-learn's <c>fisherz</c>): r = partial correlation
/// of X and Y given S, z = ½·ln((1+r)/(1−r)), statistic = √(n − |S| − 3)·|z|, and p = 2·(1 − Φ(statistic)).
/// The p-value is computed in that form, so it is exactly 0 once Φ rounds to 1, as in the reference.
/// </summary>
public sealed class FisherZTest
{
    private readonly double[] _scratch;
    private int[] _index;

    /// <summary>Creates a test over the covariance of the data's columns.</summary>
    public FisherZTest(LaggedVariableCovariance covariance)
    {
        Covariance = covariance;
        _scratch = new double[(covariance.Dimension + 2) * (covariance.Dimension + 2)];
        _index = new int[covariance.Dimension];
    }

    /// <summary>Builds the test from row-major data (n × d); every row is used.</summary>
    public static FisherZTest ForRows(ReadOnlySpan<double> rowMajor, int columns) => new(LaggedVariableCovariance.FromRows(rowMajor, columns));

    /// <summary>The covariance of the columns.</summary>
    public LaggedVariableCovariance Covariance { get; }

    /// <summary>Number of rows n.</summary>
    public int Rows => Covariance.Rows;

    /// <summary>Number of variables (columns).</summary>
    public int Variables => Covariance.Dimension;

    /// <summary>Tests column x ⊥ column y | the columns in <paramref name="conditions"/>.</summary>
    public CiTestResult Test(int x, int y, ReadOnlySpan<int> conditions)
    {
        if (_index.Length < conditions.Length)
        {
            _index = new int[conditions.Length];
        }
        conditions.CopyTo(_index);
        double r = Covariance.PartialCorrelation(x, y, _index.AsSpan(0, conditions.Length), _scratch);
        return new CiTestResult(r, PValue(r, Rows, conditions.Length));
    }

    /// <summary>The Fisher-z p-value of a partial correlation r on n rows with |S| conditions.</summary>
    public static double PValue(double r, int rows, int conditions)
    {
        const double bound = 1.0 - 2.220446049250313e-16;
        r = Math.Clamp(r, -bound, bound);
        double z = 0.5 * Math.Log((1.0 + r) / (1.0 - r));
        double stat = Math.Sqrt(rows - conditions - 3.0) * Math.Abs(z);
        double phi = 0.5 * MathNet.Numerics.SpecialFunctions.Erfc(-stat / Math.Sqrt(2.0));
        return 2.0 * (1.0 - phi);
    }
}
