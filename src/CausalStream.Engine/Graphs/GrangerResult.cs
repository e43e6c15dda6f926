using CausalStream.Engine.Statistics;

namespace CausalStream.Engine.Graphs;

/// <summary>
/// The outcome of one VAR(p) Granger solve: the fitted coefficients with their t statistics, the residual
/// sums of squares, and for every ordered pair (source → target) the F test, its p- and adjusted p-value,
/// significance and the Granger magnitude ln(RSS_restricted / RSS_full) (twice the Gaussian transfer entropy).
/// </summary>
/// <remarks>
/// A <see cref="VarGrangerSolver"/> can overwrite one instance every hop without allocating; copy what you keep.
/// Pair arrays are indexed <c>target * Channels + source</c>; the diagonal (target = source) is not tested
/// and holds F = 0, p = q = 1, magnitude 0. Coefficients use statsmodels' params layout: row r (0 = intercept,
/// 1 + (lag−1)·C + source) by column target. Every number is finite.
/// </remarks>
public sealed class GrangerResult
{
    /// <summary>Allocates a result for <paramref name="channels"/> channels and <paramref name="lags"/> lags.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1.</exception>
    public GrangerResult(int channels, int lags)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(lags, 1);
        Channels = channels;
        Lags = lags;
        int k = 1 + channels * lags;
        CoefficientArray = new double[k * channels];
        TArray = new double[k * channels];
        RssArray = new double[channels];
        FArray = new double[channels * channels];
        PArray = new double[channels * channels];
        QArray = new double[channels * channels];
        MagnitudeArray = new double[channels * channels];
        SignificantArray = new bool[channels * channels];
        TargetArray = new bool[channels];
        Array.Fill(TargetArray, true);
        TargetCount = channels;
    }

    /// <summary>Number of channels C.</summary>
    public int Channels { get; }

    /// <summary>VAR order p.</summary>
    public int Lags { get; }

    /// <summary>Regression rows that entered the sums (see <see cref="LaggedCovariance.RowsUsed"/>).</summary>
    public int RowsUsed { get; internal set; }

    /// <summary>Rows left out because they contained a non-finite sample.</summary>
    public int RowsSkippedNaN { get; internal set; }

    /// <summary>Observation count nobs used by the fit: the rows used, or the weight sum with forgetting.</summary>
    public double Observations { get; internal set; }

    /// <summary>Conditions met in this solve.</summary>
    public GrangerFlags Flags { get; internal set; }

    /// <summary>The ridge added to the lag regressors' diagonal (0 when none was needed).</summary>
    public double Ridge { get; internal set; }

    /// <summary>Numerator degrees of freedom of every pair test (= p).</summary>
    public int Df1 { get; internal set; }

    /// <summary>Denominator degrees of freedom (see <see cref="FTestDenominator"/>).</summary>
    public double Df2 { get; internal set; }

    /// <summary>Residual degrees of freedom of one equation, nobs − C·p − 1.</summary>
    public double ResidualDof { get; internal set; }

    /// <summary>The significance level applied.</summary>
    public double Alpha { get; internal set; }

    /// <summary>The correction applied across the pair tests.</summary>
    public MultipleTestCorrection Correction { get; internal set; }

    /// <summary>The F denominator used.</summary>
    public FTestDenominator Denominator { get; internal set; }

    /// <summary>Number of target channels whose pairs were tested (all C unless <see cref="GrangerOptions.TargetChannels"/> was set).</summary>
    public int TargetCount { get; internal set; }

    /// <summary>Coefficients in statsmodels' params layout, (1 + C·p) rows × C columns, row-major.</summary>
    public ReadOnlySpan<double> Coefficients => CoefficientArray;

    /// <summary>t statistics in the layout of <see cref="Coefficients"/> (coefficient / standard error with σ² = RSS/(nobs − C·p − 1)).</summary>
    public ReadOnlySpan<double> TStatistics => TArray;

    /// <summary>Residual sum of squares of each equation (full model).</summary>
    public ReadOnlySpan<double> ResidualSumOfSquares => RssArray;

    /// <summary>F statistics, indexed target·C + source.</summary>
    public ReadOnlySpan<double> FStatistics => FArray;

    /// <summary>p-values, indexed target·C + source.</summary>
    public ReadOnlySpan<double> PValues => PArray;

    /// <summary>Adjusted p-values (q-values for Benjamini–Hochberg), indexed target·C + source.</summary>
    public ReadOnlySpan<double> AdjustedPValues => QArray;

    /// <summary>Granger magnitudes ln(RSS_r/RSS_f), indexed target·C + source.</summary>
    public ReadOnlySpan<double> Magnitudes => MagnitudeArray;

    /// <summary>Significance (adjusted p ≤ alpha), indexed target·C + source.</summary>
    public ReadOnlySpan<bool> Significant => SignificantArray;

    internal double[] CoefficientArray { get; }

    internal double[] TArray { get; }

    internal double[] RssArray { get; }

    internal double[] FArray { get; }

    internal double[] PArray { get; }

    internal double[] QArray { get; }

    internal double[] MagnitudeArray { get; }

    internal bool[] SignificantArray { get; }

    internal bool[] TargetArray { get; }

    /// <summary>Whether the pairs into <paramref name="target"/> were tested in this solve.</summary>
    public bool IsTargetTested(int target) => TargetArray[CheckChannel(target)];

    /// <summary>Intercept of the target's equation, in the original (uncentred) units.</summary>
    public double Intercept(int target) => CoefficientArray[CheckChannel(target)];

    /// <summary>Coefficient of <paramref name="source"/> at <paramref name="lag"/> (1..p) in the target's equation.</summary>
    public double Coefficient(int target, int source, int lag) => CoefficientArray[Row(source, lag) * Channels + CheckChannel(target)];

    /// <summary>t statistic of <see cref="Coefficient"/>.</summary>
    public double CoefficientT(int target, int source, int lag) => TArray[Row(source, lag) * Channels + CheckChannel(target)];

    /// <summary>F statistic of source → target.</summary>
    public double F(int target, int source) => FArray[Pair(target, source)];

    /// <summary>p-value of source → target.</summary>
    public double PValue(int target, int source) => PArray[Pair(target, source)];

    /// <summary>Adjusted p-value of source → target.</summary>
    public double AdjustedPValue(int target, int source) => QArray[Pair(target, source)];

    /// <summary>Whether source → target is significant.</summary>
    public bool IsSignificant(int target, int source) => SignificantArray[Pair(target, source)];

    /// <summary>Granger magnitude ln(RSS_r/RSS_f) of source → target.</summary>
    public double Magnitude(int target, int source) => MagnitudeArray[Pair(target, source)];

    private int Row(int source, int lag)
    {
        CheckChannel(source);
        if (lag < 1 || lag > Lags)
        {
            throw new ArgumentOutOfRangeException(nameof(lag), lag, $"Lag must lie in 1..{Lags}.");
        }
        return 1 + (lag - 1) * Channels + source;
    }

    private int Pair(int target, int source) => CheckChannel(target) * Channels + CheckChannel(source);

    private int CheckChannel(int channel)
    {
        if ((uint)channel >= (uint)Channels)
        {
            throw new ArgumentOutOfRangeException(nameof(channel), channel, $"Channel must lie in 0..{Channels - 1}.");
        }
        return channel;
    }
}
