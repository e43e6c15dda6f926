using CausalStream.Engine.Graphs;
using CausalStream.Engine.Statistics;
using CausalStream.Engine.Tests.TestData;

namespace CausalStream.Engine.Tests.Graphs;

/// <summary>NaN rows, flat and duplicated channels, short windows, forgetting and allocation behaviour of the Granger solver.</summary>
public sealed class VarGrangerSolverRobustnessTests
{
    [Fact]
    public void NaNRowsAreLeftOutAndCoefficientsEqualOlsOnTheCompleteRows()
    {
        var data = FixtureData.LoadCsv("var5_p3.csv");
        int c = data.Channels;
        const int lags = 3;
        var values = (double[])data.Values.Clone();
        values[100 * c + 2] = double.NaN;            // rows 100..103
        values[101 * c + 4] = double.NaN;            // rows 101..104
        values[2000 * c + 0] = double.PositiveInfinity; // rows 2000..2003
        values[(data.Samples - 1) * c + 1] = double.NaN; // last row only

        var result = VarGrangerSolver.Fit(values, c, lags);
        var rows = NaiveOls.CompleteRows(values, c, lags, 0, data.Samples - 1);
        int allRows = data.Samples - lags;
        Assert.Equal(allRows - 5 - 4 - 1, rows.Count);
        Assert.Equal(rows.Count, result.RowsUsed);
        Assert.Equal(allRows - rows.Count, result.RowsSkippedNaN);
        Assert.Equal(rows.Count, result.Observations);
        Assert.Equal(c * (rows.Count - (1 + c * lags)), result.Df2);

        var (z, y) = NaiveOls.Design(values, c, lags, rows);
        var beta = z.QR().Solve(y);
        for (int r = 0; r < z.ColumnCount; r++)
        {
            for (int i = 0; i < c; i++)
            {
                VarGrangerSolverFixtureTests.AssertRelative(beta[r, i], result.Coefficients[r * c + i], 1e-8, $"params[{r},{i}]");
            }
        }
        Assert.Equal(GrangerFlags.None, result.Flags);
    }

    [Fact]
    public void ConstantChannelGivesFiniteOutputsAndTheRidgeFlag()
    {
        var data = FixtureData.LoadCsv("flat4.csv");
        int flat = Array.IndexOf(data.Names, "flat");
        var result = VarGrangerSolver.Fit(data.Values, data.Channels, 2);

        Assert.True(result.Flags.HasFlag(GrangerFlags.RidgeApplied));
        Assert.True(result.Flags.HasFlag(GrangerFlags.DegenerateTarget));
        Assert.True(result.Ridge > 0.0);
        AssertAllFinite(result);
        for (int other = 0; other < data.Channels; other++)
        {
            if (other == flat)
            {
                continue;
            }
            Assert.False(result.IsSignificant(flat, other));
            Assert.False(result.IsSignificant(other, flat));
            Assert.Equal(1.0, result.PValue(flat, other));
        }
        Assert.Equal(2.5, result.Intercept(flat), 1e-9);

        // The real edge a -> b survives next to the flat channel.
        Assert.True(result.IsSignificant(Array.IndexOf(data.Names, "b"), Array.IndexOf(data.Names, "a")));
    }

    [Fact]
    public void ChannelThatFlatlinesAwayFromTheCentreAndDuplicateChannelsStayFinite()
    {
        const int c = 4, lags = 2, window = 300;
        var stats = new LaggedCovariance(c, lags, window);
        var solver = new VarGrangerSolver(c, lags);
        var rng = new Random(11);
        var sample = new double[c];
        for (int s = 0; s < 1000; s++)
        {
            sample[0] = Gaussian(rng);
            sample[1] = 0.5 * sample[0] + Gaussian(rng);
            sample[2] = s < 500 ? Gaussian(rng) : 7.25; // flat at a level unlike its first sample
            sample[3] = sample[1];                      // exact duplicate
            stats.Push(sample);
        }
        var result = solver.Solve(stats);
        Assert.True(result.Flags.HasFlag(GrangerFlags.RidgeApplied));
        AssertAllFinite(result);
        Assert.False(result.IsSignificant(2, 0));
    }

    [Fact]
    public void TooFewRowsGiveAFlagNotAnException()
    {
        const int c = 5, lags = 3;
        var stats = new LaggedCovariance(c, lags, 200);
        var rng = new Random(5);
        var sample = new double[c];
        for (int s = 0; s < 12; s++)
        {
            for (int j = 0; j < c; j++)
            {
                sample[j] = Gaussian(rng);
            }
            stats.Push(sample);
        }
        var result = new VarGrangerSolver(c, lags).Solve(stats);
        Assert.Equal(GrangerFlags.InsufficientRows, result.Flags);
        Assert.Equal(9, result.RowsUsed);
        AssertAllFinite(result);
        Assert.All(result.PValues.ToArray(), p => Assert.Equal(1.0, p));
    }

    [Fact]
    public void MismatchedShapesThrowWithContext()
    {
        var stats = new LaggedCovariance(3, 2, 50);
        var ex = Assert.Throws<ArgumentException>(() => new VarGrangerSolver(3, 4).Solve(stats));
        Assert.Contains("maximum lag 2", ex.Message);
        var ex2 = Assert.Throws<ArgumentException>(() => new VarGrangerSolver(3, 2).Solve(stats, GrangerOptions.Default, new GrangerResult(4, 2)));
        Assert.Contains("4 channels", ex2.Message);
    }

    [Fact]
    public void ForgettingFactorTracksTheKnownGraph()
    {
        var data = FixtureData.LoadCsv("var5_p3.csv");
        int c = data.Channels;
        var stats = LaggedCovariance.WithForgetting(c, 3, 0.999);
        for (int s = 0; s < data.Samples; s++)
        {
            stats.Push(data.Values.AsSpan(s * c, c));
        }
        var result = new VarGrangerSolver(c, 3).Solve(stats);
        Assert.Equal(GrangerFlags.None, result.Flags);
        Assert.True(result.Observations < 1000.0 && result.Observations > 900.0);
        foreach (var (source, target) in new[] { (0, 1), (1, 2), (0, 3), (3, 4), (4, 2) })
        {
            Assert.True(result.IsSignificant(target, source), $"{source}->{target}");
        }
    }

    [Fact]
    public void SteadyStateSolveAllocatesNothing()
    {
        var data = FixtureData.LoadCsv("var5_p3.csv");
        int c = data.Channels;
        var stats = new LaggedCovariance(c, 3, 1000);
        var solver = new VarGrangerSolver(c, 3);
        var result = new GrangerResult(c, 3);
        var options = GrangerOptions.Default;
        for (int s = 0; s < 1500; s++)
        {
            stats.Push(data.Values.AsSpan(s * c, c));
        }
        solver.Solve(stats, options, result);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int s = 1500; s < 2000; s++)
        {
            stats.Push(data.Values.AsSpan(s * c, c));
            if (s % 100 == 0)
            {
                solver.Solve(stats, options, result);
            }
        }
        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(0L, after - before);
    }

    internal static double Gaussian(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble();
        double u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static void AssertAllFinite(GrangerResult result)
    {
        Assert.All(result.Coefficients.ToArray(), v => Assert.True(double.IsFinite(v)));
        Assert.All(result.TStatistics.ToArray(), v => Assert.True(double.IsFinite(v)));
        Assert.All(result.ResidualSumOfSquares.ToArray(), v => Assert.True(double.IsFinite(v)));
        Assert.All(result.FStatistics.ToArray(), v => Assert.True(double.IsFinite(v)));
        Assert.All(result.PValues.ToArray(), v => Assert.True(double.IsFinite(v)));
        Assert.All(result.AdjustedPValues.ToArray(), v => Assert.True(double.IsFinite(v)));
        Assert.All(result.Magnitudes.ToArray(), v => Assert.True(double.IsFinite(v)));
        Assert.True(double.IsFinite(result.Df2));
    }
}
