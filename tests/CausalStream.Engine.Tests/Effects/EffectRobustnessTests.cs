using CausalStream.Core.Formats;
using CausalStream.Engine.Effects;

namespace CausalStream.Engine.Tests.Effects;

/// <summary>Incremental updates, withheld estimates on bad input, confidence sequences and the table reader.</summary>
public sealed class EffectRobustnessTests
{
    [Theory]
    [InlineData("confounded_linear_n3000")]
    [InlineData("randomized_n2000")]
    public void RowByRowUpdatesEqualTheBatchEstimates(string dataset)
    {
        var (_, data, _) = EffectReferenceTests.Load(dataset, propensity: "e_true");
        var incremental = new IncrementalEffectEstimator("d", "y");
        for (int i = 0; i < data.N; i++)
        {
            incremental.Add(data.Y[i], data.D[i] == 1, data.Propensity![i]);
        }

        var batchDiff = DifferenceInMeansEstimator.Estimate(data);
        var diff = incremental.DifferenceInMeans();
        Assert.Equal(batchDiff.Estimate!.Value, diff.Estimate!.Value, 1e-10);
        Assert.Equal(batchDiff.StandardError!.Value, diff.StandardError!.Value, 1e-10);

        var batchIpw = IpwEstimator.Estimate(data, new EffectEstimatorOptions { ClipLow = 0 });
        var ipw = incremental.Ipw();
        Assert.Equal(batchIpw.Estimate!.Value, ipw.Estimate!.Value, 1e-10);
        Assert.Equal(batchIpw.StandardError!.Value, ipw.StandardError!.Value, 1e-10);
        Assert.Equal(batchIpw.Diagnostics["ess_treated"], ipw.Diagnostics["ess_treated"], 1e-6);
    }

    [Fact]
    public void ConfidenceSequenceCoversTheTruthAndIsWiderThanTheFixedInterval()
    {
        var (_, data, _) = EffectReferenceTests.Load("randomized_n2000", propensity: "e_true");
        var incremental = new IncrementalEffectEstimator("d", "y");
        double previousWidth = double.PositiveInfinity;
        for (int i = 0; i < data.N; i++)
        {
            incremental.Add(data.Y[i], data.D[i] == 1, data.Propensity![i]);
            if (i > 100 && i % 100 == 0)
            {
                var s = incremental.Sequence;
                Assert.True(s.Lower <= -0.5 && -0.5 <= s.Upper, $"at {i}: [{s.Lower}, {s.Upper}]");
                Assert.True(s.HalfWidth < previousWidth * 1.05);
                previousWidth = s.HalfWidth;
            }
        }

        var ipw = incremental.Ipw();
        double fixedHalf = 1.959963984540054 * Math.Sqrt(EffectResultsVariance(data) / data.N);
        Assert.True(incremental.Sequence.HalfWidth > fixedHalf);
        Assert.True(ipw.Diagnostics["cs_low"] < ipw.Diagnostics["cs_high"]);
    }

    private static double EffectResultsVariance(EffectData data)
    {
        var psi = Enumerable.Range(0, data.N).Select(i => data.D[i] == 1 ? data.Y[i] / data.Propensity![i] : -data.Y[i] / (1 - data.Propensity![i])).ToArray();
        double m = psi.Average();
        return psi.Sum(v => (v - m) * (v - m)) / (psi.Length - 1);
    }

    [Fact]
    public void NoTreatedUnitsWithholdsEveryEstimate()
    {
        var table = Table("d,y,x1\n0,1.0,0.5\n0,2.0,0.1\n0,1.5,0.3\n0,0.5,0.9\n");
        var data = EffectData.FromTable(table, "d", "y", ["x1"], folds: 2);
        foreach (var estimate in EffectSuite.Run(data, "all"))
        {
            Assert.True(estimate.IsWithheld);
            Assert.Null(estimate.Estimate);
            Assert.Contains("no treated", estimate.WithheldReason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void PerfectSeparationWithholdsThePropensityEstimators()
    {
        var rows = string.Join("\n", Enumerable.Range(0, 40).Select(i => $"{(i < 20 ? 0 : 1)},{i * 0.1},{i - 19.5}"));
        var data = EffectData.FromTable(Table("d,y,x1\n" + rows + "\n"), "d", "y", ["x1"], folds: 2);
        var results = EffectSuite.Run(data, "all");
        Assert.False(results.Single(r => r.Estimator == "diff").IsWithheld);
        foreach (var name in new[] { "ipw", "match", "aipw" })
        {
            var estimate = results.First(r => r.Estimator == name);
            Assert.True(estimate.IsWithheld, name);
            Assert.Contains("separate", estimate.WithheldReason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void MissingCovariateColumnWithholdsWithItsName()
    {
        var table = Table("d,y,x1\n0,1.0,0.5\n1,2.0,0.1\n0,1.5,0.3\n1,0.5,0.9\n");
        var data = EffectData.FromTable(table, "d", "y", ["x1", "x9"]);
        var estimate = Assert.Single(EffectSuite.Run(data, "ipw"));
        Assert.True(estimate.IsWithheld);
        Assert.Contains("covariate 'x9'", estimate.WithheldReason, StringComparison.Ordinal);
    }

    [Fact]
    public void RowsWithMissingValuesAreDroppedAndCounted()
    {
        var table = Table("d,y,x1\n0,1.0,0.5\n1,2.0,\n0,1.5,0.3\n1,0.5,0.9\n1,0.7,0.2\n0,NA,0.2\n0,1.1,0.8\n");
        var data = EffectData.FromTable(table, "d", "y", ["x1"]);
        Assert.Equal(5, data.N);
        var estimate = DifferenceInMeansEstimator.Estimate(data);
        Assert.Equal(2, estimate.Diagnostics["rows_dropped_missing"]);
    }

    [Fact]
    public void UnreadableFieldNamesFileLineAndColumn()
    {
        var ex = Assert.Throws<DataFormatException>(() => Table("d,y,x1\n0,1.0,0.5\n1,abc,0.1\n"));
        Assert.Contains("line 3, column 2 (y)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("test.csv", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SeededFoldsReproduceAndBalance()
    {
        var a = EffectData.AssignFolds(103, 5, 7);
        Assert.Equal(a, EffectData.AssignFolds(103, 5, 7));
        Assert.All(Enumerable.Range(0, 5), f => Assert.InRange(a.Count(v => v == f), 20, 21));
    }

    private static EffectTable Table(string text) => EffectTableReader.Read(new StringReader(text), "test.csv");
}
