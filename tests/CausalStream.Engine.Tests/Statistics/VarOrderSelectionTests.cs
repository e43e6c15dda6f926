using CausalStream.Engine.Statistics;
using CausalStream.Engine.Tests.TestData;

namespace CausalStream.Engine.Tests.Statistics;

/// <summary>Compares order selection with statsmodels' VAR.select_order (tools/reference/granger_reference.py).</summary>
public sealed class VarOrderSelectionTests
{
    [Theory]
    [InlineData("var5_p3")]
    [InlineData("var3_p2_scaled")]
    public void CriteriaAndOrdersMatchStatsmodels(string name)
    {
        var data = FixtureData.LoadCsv(name + ".csv");
        var reference = FixtureData.LoadJson(name + ".reference.json").GetProperty("select_order");
        int pmax = reference.GetProperty("pmax").GetInt32();
        var result = VarOrderSelection.Select(data.Values, data.Channels, pmax);

        Assert.Equal(pmax, result.MaxLag);
        Assert.Equal(data.Samples - pmax, result.Observations);
        Assert.False(result.RidgeApplied);
        var ics = reference.GetProperty("ics");
        Compare(ics.GetProperty("aic"), result.Aic, name + " aic");
        Compare(ics.GetProperty("bic"), result.Bic, name + " bic");
        Compare(ics.GetProperty("hqic"), result.Hqic, name + " hqic");
        Compare(ics.GetProperty("fpe"), result.Fpe, name + " fpe");
        var selected = reference.GetProperty("selected");
        Assert.Equal(selected.GetProperty("aic").GetInt32(), result.AicOrder);
        Assert.Equal(selected.GetProperty("bic").GetInt32(), result.BicOrder);
        Assert.Equal(selected.GetProperty("hqic").GetInt32(), result.HqicOrder);
        Assert.Equal(selected.GetProperty("fpe").GetInt32(), result.FpeOrder);
    }

    [Fact]
    public void TrueOrderIsSelectedByBic()
    {
        var data = FixtureData.LoadCsv("var5_p3.csv");
        Assert.Equal(3, VarOrderSelection.Select(data.Values, data.Channels, 6).BicOrder);
    }

    private static void Compare(System.Text.Json.JsonElement expected, IReadOnlyList<double> actual, string context)
    {
        Assert.Equal(expected.GetArrayLength(), actual.Count);
        for (int q = 0; q < actual.Count; q++)
        {
            double e = expected[q].GetDouble();
            // Log-determinant criteria can be near zero, so the tolerance is relative with an absolute floor of 1e-9.
            Assert.True(Math.Abs(actual[q] - e) <= 1e-8 * Math.Abs(e) + 1e-9, $"{context}[{q}] = {actual[q]:R}, statsmodels {e:R}");
        }
    }
}
