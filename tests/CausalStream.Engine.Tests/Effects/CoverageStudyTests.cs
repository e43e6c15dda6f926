using CausalStream.Engine.Effects;
using Xunit.Abstractions;

namespace CausalStream.Engine.Tests.Effects;

/// <summary>
/// A small version of the coverage study (tools/coverage runs 200 per design; docs/validation.md). Bounds for 40 runs:
/// if the true coverage is 95%, P(Binomial(40, 0.95) ≤ 33) ≈ 0.5%, so "at least 34 of 40" (85%) fails by chance
/// less than once in 100; if the confidence sequence's error rate is 5%, P(Binomial(40, 0.05) ≥ 7) ≈ 1.3%, so
/// "at most 6 of 40" (15%). The runs are seeded, so the test is deterministic.
/// </summary>
public sealed class CoverageStudyTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(CoverageScenario.LinearConfounding)]
    [InlineData(CoverageScenario.Randomized)]
    [InlineData(CoverageScenario.HeterogeneousEffect)]
    public void AipwAndDmlIntervalsCoverTheTrueEffect(CoverageScenario scenario)
    {
        var r = CoverageStudy.Run(scenario, runs: 40, events: 300, seed: 7);
        output.WriteLine(r.ToString());
        Assert.Equal(0, r.Withheld);
        Assert.True(r.AipwCoverage >= 34 / 40.0, $"AIPW {r.AipwCoverage:P1}");
        Assert.True(r.AipwCrossFitCoverage >= 34 / 40.0, $"cross-fitted AIPW {r.AipwCrossFitCoverage:P1}");
        Assert.True(r.DmlCoverage >= 34 / 40.0, $"DML {r.DmlCoverage:P1}");
        Assert.True(Math.Abs(r.AipwBias) < 0.1 && Math.Abs(r.DmlBias) < 0.1, $"bias {r.AipwBias}, {r.DmlBias}");
    }

    [Theory]
    [InlineData(CoverageScenario.NullRandomized)]
    [InlineData(CoverageScenario.NullConfounded)]
    public void TheConfidenceSequenceRarelyEverExcludesATrueZeroEffect(CoverageScenario scenario)
    {
        var r = CoverageStudy.Run(scenario, runs: 40, events: 300, seed: 7);
        output.WriteLine(r.ToString());
        Assert.True(r.SequenceEverExcluded <= 6 / 40.0, $"the sequence excluded 0 in {r.SequenceEverExcluded:P1} of runs");
        Assert.True(r.FixedIntervalEverExcluded > r.SequenceEverExcluded, "watching the fixed interval continuously should inflate its error");
    }

    [Fact]
    public void PoorOverlapIsEstimatedWithoutWithholdingOrNaN()
    {
        var r = CoverageStudy.Run(CoverageScenario.PoorOverlap, runs: 20, events: 300, seed: 7);
        output.WriteLine(r.ToString());
        Assert.Equal(0, r.Withheld);
        Assert.True(double.IsFinite(r.AipwBias) && double.IsFinite(r.DmlBias));
    }
}
