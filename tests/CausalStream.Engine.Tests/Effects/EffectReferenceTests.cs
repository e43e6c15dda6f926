using System.Text.Json;
using CausalStream.Core.Streams;
using CausalStream.Engine.Effects;
using CausalStream.Engine.Tests.TestData;

namespace CausalStream.Engine.Tests.Effects;

/// <summary>Every estimator against the stored scikit-learn / statsmodels / DoubleML numbers on the same CSV rows and folds.</summary>
public sealed class EffectReferenceTests
{
    private const double Tolerance = 1e-9;

    public static TheoryData<string> Datasets => new() { "confounded_linear_n3000", "randomized_n2000" };

    internal static (EffectTable Table, EffectData Data, JsonElement Reference) Load(string dataset, string? propensity = null, bool folds = true)
    {
        var table = EffectTableReader.Read(FixtureData.FixturePath($"effects/{dataset}/data.csv"));
        var covariates = table.ColumnNames.Where(c => c.StartsWith('x')).ToArray();
        var data = EffectData.FromTable(table, "d", "y", covariates, propensity, folds ? "fold" : null);
        return (table, data, FixtureData.LoadJson($"effects/{dataset}/estimates.json"));
    }

    private static void AssertClose(double expected, double? actual, double tolerance = Tolerance)
    {
        Assert.NotNull(actual);
        Assert.True(Math.Abs(expected - actual!.Value) <= tolerance * Math.Max(1, Math.Abs(expected)), $"expected {expected:R}, got {actual:R}");
    }

    private static void AssertEstimate(JsonElement expected, EffectEstimate actual)
    {
        Assert.Null(actual.WithheldReason);
        AssertClose(expected.GetProperty("estimate").GetDouble(), actual.Estimate);
        AssertClose(expected.GetProperty("se").GetDouble(), actual.StandardError);
        var ci = expected.GetProperty("ci95");
        AssertClose(ci[0].GetDouble(), actual.CiLow);
        AssertClose(ci[1].GetDouble(), actual.CiHigh);
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void PropensityModelMatchesSklearnNewtonFit(string dataset)
    {
        var (_, data, reference) = Load(dataset);
        var model = LogisticModel.Fit(data.X, data.D);
        Assert.True(model.Converged);
        Assert.False(model.Separated);
        var expected = reference.GetProperty("propensity_model");
        AssertClose(expected.GetProperty("intercept").GetDouble(), model.Intercept, 1e-9);
        var coef = expected.GetProperty("coef").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        for (int j = 0; j < coef.Length; j++)
        {
            AssertClose(coef[j], model.Coefficients[j], 1e-9);
        }
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void DifferenceInMeansMatchesStatsmodels(string dataset)
    {
        var (_, data, reference) = Load(dataset);
        var estimate = DifferenceInMeansEstimator.Estimate(data);
        AssertEstimate(reference.GetProperty("naive_difference_in_means"), estimate);
        Assert.Equal(reference.GetProperty("n_treated").GetInt32(), estimate.NTreated);
        Assert.Equal(reference.GetProperty("n").GetInt32(), estimate.N);
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void IpwHajekAndHorvitzThompsonMatch(string dataset)
    {
        var (_, data, reference) = Load(dataset);
        foreach (var (block, clip) in new[] { ("clipped_0.01_0.99", 0.01), ("unclipped", 0.0) })
        {
            var expected = reference.GetProperty("ipw").GetProperty(block);
            var estimate = IpwEstimator.Estimate(data, new EffectEstimatorOptions { ClipLow = clip });
            AssertEstimate(expected.GetProperty("hajek"), estimate);
            AssertClose(expected.GetProperty("hajek").GetProperty("mu1").GetDouble(), estimate.Diagnostics["mu1"]);
            AssertClose(expected.GetProperty("hajek").GetProperty("mu0").GetDouble(), estimate.Diagnostics["mu0"]);
            AssertClose(expected.GetProperty("horvitz_thompson").GetProperty("estimate").GetDouble(), estimate.Diagnostics["ht_estimate"]);
            AssertClose(expected.GetProperty("horvitz_thompson").GetProperty("se").GetDouble(), estimate.Diagnostics["ht_se"]);
            Assert.Equal(expected.GetProperty("n_clipped").GetInt32(), (int)estimate.Diagnostics["n_clipped"]);
            AssertClose(reference.GetProperty("propensity_model").GetProperty("e_hat_min").GetDouble(), estimate.Diagnostics["propensity_min"], 1e-9);
            AssertClose(reference.GetProperty("propensity_model").GetProperty("e_hat_max").GetDouble(), estimate.Diagnostics["propensity_max"], 1e-9);
        }
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void IpwWithLoggedPropensityMatches(string dataset)
    {
        var (_, data, reference) = Load(dataset, propensity: "e_true");
        var expected = reference.GetProperty("ipw_true_propensity").GetProperty("unclipped");
        var estimate = IpwEstimator.Estimate(data, new EffectEstimatorOptions { ClipLow = 0 });
        Assert.Equal(1, estimate.Diagnostics["propensity_logged"]);
        AssertEstimate(expected.GetProperty("hajek"), estimate);
        AssertClose(expected.GetProperty("horvitz_thompson").GetProperty("estimate").GetDouble(), estimate.Diagnostics["ht_estimate"]);
        AssertClose(expected.GetProperty("horvitz_thompson").GetProperty("se").GetDouble(), estimate.Diagnostics["ht_se"]);
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void AipwMatches(string dataset)
    {
        var (_, data, reference) = Load(dataset);
        AssertEstimate(reference.GetProperty("aipw").GetProperty("clipped_0.01_0.99"), AipwEstimator.Estimate(data));
        AssertEstimate(reference.GetProperty("aipw").GetProperty("unclipped"), AipwEstimator.Estimate(data, new EffectEstimatorOptions { ClipLow = 0 }));
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void CrossFittedAipwMatchesDoubleMLIrm(string dataset)
    {
        var (_, data, reference) = Load(dataset);
        var block = reference.GetProperty("aipw_crossfit_irm");
        var estimate = AipwEstimator.EstimateCrossFitted(data);
        AssertEstimate(block.GetProperty("doubleml_0_7_1"), estimate);
        AssertEstimate(block.GetProperty("own_crossfit"), estimate);
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void DmlPlrMatchesDoubleMLWithOlsAndRidge(string dataset)
    {
        var (_, data, reference) = Load(dataset);
        foreach (var (learner, alpha) in new[] { ("OLS", 0.0), ("Ridge_alpha1", 1.0) })
        {
            var block = reference.GetProperty("dml_plr").GetProperty(learner);
            var estimate = DmlPlrEstimator.Estimate(data, new EffectEstimatorOptions { RidgeAlpha = alpha });
            AssertEstimate(block.GetProperty("doubleml_0_7_1"), estimate);
            AssertClose(block.GetProperty("nuisance_mse").GetProperty("l_hat").GetDouble(), estimate.Diagnostics["nuisance_mse_l"]);
            AssertClose(block.GetProperty("nuisance_mse").GetProperty("m_hat").GetDouble(), estimate.Diagnostics["nuisance_mse_m"]);
        }
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void MatchingReproducesEveryPairAndTheAtt(string dataset)
    {
        var (_, data, reference) = Load(dataset);
        var block = reference.GetProperty("psm_att");
        foreach (var (name, replacement) in new[] { ("with_replacement", true), ("without_replacement_greedy", false) })
        {
            var expected = block.GetProperty(name);
            var estimate = PropensityMatchingEstimator.Estimate(data, new EffectEstimatorOptions { MatchWithReplacement = replacement }, out var matches);
            Assert.Equal("ATT", estimate.Estimand);
            AssertClose(block.GetProperty("caliper").GetDouble(), estimate.Diagnostics["caliper"], 1e-9);
            Assert.Equal(expected.GetProperty("matched_control_row").EnumerateArray().Select(e => e.GetInt32()), matches);
            Assert.Equal(expected.GetProperty("n_matched_treated").GetInt32(), estimate.NTreated);
            AssertEstimate(expected, estimate);
            if (replacement)
            {
                Assert.Equal(expected.GetProperty("n_distinct_controls_used").GetInt32(), (int)estimate.Diagnostics["n_distinct_controls_used"]);
            }

            foreach (string x in data.Covariates)
            {
                Assert.True(Math.Abs(estimate.Diagnostics[$"smd_after_{x}"]) < 0.25, $"{name} {x}: SMD after {estimate.Diagnostics[$"smd_after_{x}"]}");
            }
        }
    }

    [Fact]
    public void MatchingImprovesBalanceOfTheConfounders()
    {
        var (_, data, _) = Load("confounded_linear_n3000");
        var estimate = PropensityMatchingEstimator.Estimate(data);
        foreach (string x in new[] { "x1", "x2", "x4" })
        {
            Assert.True(Math.Abs(estimate.Diagnostics[$"smd_after_{x}"]) < Math.Abs(estimate.Diagnostics[$"smd_before_{x}"]) / 3);
        }
    }
}
