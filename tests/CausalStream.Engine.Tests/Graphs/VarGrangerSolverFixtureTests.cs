using System.Text.Json;
using CausalStream.Engine.Graphs;
using CausalStream.Engine.Tests.TestData;

namespace CausalStream.Engine.Tests.Graphs;

/// <summary>Compares the Granger solver with statsmodels' VAR fit and test_causality (tools/reference/granger_reference.py).</summary>
public sealed class VarGrangerSolverFixtureTests
{
    public static TheoryData<string> Cases => new() { "var5_p3", "var3_p2_scaled" };

    [Theory]
    [MemberData(nameof(Cases))]
    public void CoefficientsAndTValuesMatchStatsmodels(string name)
    {
        var data = FixtureData.LoadCsv(name + ".csv");
        var reference = FixtureData.LoadJson(name + ".reference.json");
        int lags = reference.GetProperty("lags").GetInt32();
        var result = VarGrangerSolver.Fit(data.Values, data.Channels, lags);

        Assert.Equal(GrangerFlags.None, result.Flags);
        Assert.Equal(reference.GetProperty("nobs").GetInt32(), result.RowsUsed);
        var parameters = reference.GetProperty("params");
        var exact = reference.GetProperty("params_exact");
        var tvalues = reference.GetProperty("tvalues");
        int c = data.Channels;
        for (int r = 0; r < 1 + c * lags; r++)
        {
            for (int i = 0; i < c; i++)
            {
                double actual = result.Coefficients[r * c + i];
                string context = $"{name} params[{r},{i}]";

                // Against the 40-digit OLS solution: 1e-8 relative.
                AssertRelative(exact[r][i].GetDouble(), actual, 1e-8, context + " (exact)");

                // Against statsmodels: 1e-8 relative, except that its lstsq on raw, badly scaled regressors
                // (var3_p2_scaled: 2e-5..300 scales, offsets up to 5000) is itself only good to ~1e-7 there.
                double statsmodelsTolerance = name == "var3_p2_scaled" ? 2e-7 : 1e-8;
                AssertRelative(parameters[r][i].GetDouble(), actual, statsmodelsTolerance, context + " (statsmodels)");
                AssertRelative(tvalues[r][i].GetDouble(), result.TStatistics[r * c + i], 1e-6, $"{name} tvalues[{r},{i}]");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void CausalityTestsMatchStatsmodels(string name)
    {
        var data = FixtureData.LoadCsv(name + ".csv");
        var reference = FixtureData.LoadJson(name + ".reference.json");
        int lags = reference.GetProperty("lags").GetInt32();
        var result = VarGrangerSolver.Fit(data.Values, data.Channels, lags);
        var single = VarGrangerSolver.Fit(data.Values, data.Channels, lags, new GrangerOptions { Denominator = FTestDenominator.SingleEquation });

        int tested = 0;
        foreach (var pair in reference.GetProperty("causality").EnumerateArray())
        {
            int target = pair.GetProperty("target").GetInt32();
            int source = pair.GetProperty("source").GetInt32();
            string context = $"{name} {source}->{target}";
            AssertRelative(pair.GetProperty("F").GetDouble(), result.F(target, source), 1e-6, context + " F");
            Assert.Equal(pair.GetProperty("df1").GetInt32(), result.Df1);
            AssertRelative(pair.GetProperty("df2").GetInt32(), result.Df2, 1e-12, context + " df2");
            AssertRelative(pair.GetProperty("pvalue").GetDouble(), result.PValue(target, source), 1e-6, context + " p");

            AssertRelative(pair.GetProperty("F").GetDouble(), single.F(target, source), 1e-6, context + " single-equation F");
            AssertRelative(pair.GetProperty("df2_single_equation").GetInt32(), single.Df2, 1e-12, context + " single-equation df2");
            AssertRelative(pair.GetProperty("pvalue_single_equation").GetDouble(), single.PValue(target, source), 1e-6, context + " single-equation p");
            tested++;
        }
        Assert.Equal(data.Channels * (data.Channels - 1), tested);
    }

    [Fact]
    public void KnownGraphIsRecoveredWithBenjaminiHochberg()
    {
        var data = FixtureData.LoadCsv("var5_p3.csv");
        var graph = FixtureData.LoadJson("var5_p3.graph.json");
        var result = VarGrangerSolver.Fit(data.Values, data.Channels, 3);
        var truth = new HashSet<(int Source, int Target)>();
        foreach (var edge in graph.GetProperty("edges").EnumerateArray())
        {
            truth.Add((Array.IndexOf(data.Names, edge.GetProperty("source").GetString()), Array.IndexOf(data.Names, edge.GetProperty("target").GetString())));
        }
        for (int target = 0; target < data.Channels; target++)
        {
            for (int source = 0; source < data.Channels; source++)
            {
                bool expected = truth.Contains((source, target));
                Assert.True(expected == result.IsSignificant(target, source), $"{source}->{target}: significant={result.IsSignificant(target, source)}, q={result.AdjustedPValue(target, source)}");
                if (expected)
                {
                    Assert.True(result.Magnitude(target, source) > 0.01);
                }
            }
        }
    }

    [Fact]
    public void MagnitudeEqualsLogRatioOfRefittedRestrictedModel()
    {
        var data = FixtureData.LoadCsv("var3_p2_scaled.csv");
        const int lags = 2;
        int c = data.Channels;
        var result = VarGrangerSolver.Fit(data.Values, c, lags);
        var rows = NaiveOls.CompleteRows(data.Values, c, lags, 0, data.Samples - 1);
        var (z, y) = NaiveOls.Design(data.Values, c, lags, rows);
        for (int target = 0; target < c; target++)
        {
            double rssFull = NaiveOls.Rss(z, y.Column(target));
            AssertRelative(rssFull, result.ResidualSumOfSquares[target], 1e-8, $"RSS {target}");
            for (int source = 0; source < c; source++)
            {
                if (source == target)
                {
                    continue;
                }
                var drop = new List<int>();
                for (int k = 0; k < lags; k++)
                {
                    drop.Add(1 + k * c + source);
                }
                double rssRestricted = NaiveOls.Rss(NaiveOls.DropColumns(z, drop), y.Column(target));
                double expected = Math.Log(rssRestricted / rssFull);
                Assert.True(Math.Abs(expected - result.Magnitude(target, source)) <= 1e-8 * Math.Max(expected, 1e-3), $"{source}->{target}: magnitude {result.Magnitude(target, source):R}, refit {expected:R}");
            }
        }
    }

    internal static void AssertRelative(double expected, double actual, double tolerance, string context)
    {
        double diff = Math.Abs(actual - expected);
        Assert.True(diff <= tolerance * Math.Abs(expected) || (expected == 0.0 && diff == 0.0), $"{context}: {actual:R}, expected {expected:R} (relative error {diff / Math.Abs(expected):E2})");
    }
}
