namespace CausalStream.Engine.Effects;

/// <summary>
/// Repeated simulated experiments with a known average treatment effect, to check that the 95% intervals of AIPW
/// and DML cover it at their nominal rate, and that the anytime-valid confidence sequence, watched after every
/// event, rarely ever excludes a true zero effect. Deterministic for a given seed.
/// </summary>
/// <remarks>
/// Each run draws n events: x ~ N(0, I₃), d ~ Bernoulli(e(x)) with the logged e(x), y = τ(x)·d + x·β + ε, ε ~ N(0, 1),
/// β = (1, 0.5, −0.5). Designs: linear confounding (logit e = 0.8x₁ − 0.5x₂ + 0.3x₃, τ = 1); randomised (e = 0.5,
/// τ = 0.5); poor overlap (logit e = 2.5x₁, τ = 1); heterogeneous effect (logit e = 0.8x₁ − 0.5x₂, τ = 1 + 0.5x₁,
/// ATE 1; the logit is odd in x, so DML's overlap-weighted effect equals the ATE too); the two null designs (τ = 0,
/// confounded as linear confounding, or randomised). AIPW fits the propensity (logistic) and the outcome per arm
/// (OLS); DML uses OLS nuisances on 5 folds from a seeded shuffle.
/// </remarks>
public static class CoverageStudy
{
    /// <summary>Runs <paramref name="runs"/> experiments of <paramref name="events"/> events each.</summary>
    public static CoverageResult Run(CoverageScenario scenario, int runs, int events, int seed, int monitorFrom = 10)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(runs);
        ArgumentOutOfRangeException.ThrowIfLessThan(events, 20);
        double ate = TrueEffect(scenario);
        int aipwCovered = 0, crossCovered = 0, dmlCovered = 0, ipwCovered = 0, withheld = 0;
        int sequenceExcluded = 0, fixedExcluded = 0;
        double sumAipw = 0, sumDml = 0;
        var random = new Random(seed);
        var y = new double[events];
        var d = new double[events];
        var e = new double[events];
        var x = new double[3][];
        for (int j = 0; j < 3; j++)
        {
            x[j] = new double[events];
        }

        for (int run = 0; run < runs; run++)
        {
            for (int i = 0; i < events; i++)
            {
                double x1 = Normal(random), x2 = Normal(random), x3 = Normal(random);
                double p = Propensity(scenario, x1, x2, x3);
                bool treated = random.NextDouble() < p;
                double tau = scenario switch
                {
                    CoverageScenario.Randomized => 0.5,
                    CoverageScenario.HeterogeneousEffect => 1 + (0.5 * x1),
                    CoverageScenario.NullConfounded or CoverageScenario.NullRandomized => 0,
                    _ => 1,
                };
                x[0][i] = x1;
                x[1][i] = x2;
                x[2][i] = x3;
                d[i] = treated ? 1 : 0;
                e[i] = p;
                y[i] = (tau * d[i]) + x1 + (0.5 * x2) - (0.5 * x3) + Normal(random);
            }

            var table = new EffectTable($"run {run}", ["y", "d", "e", "x1", "x2", "x3"], [y, d, e, x[0], x[1], x[2]]);
            var data = EffectData.FromTable(table, "d", "y", ["x1", "x2", "x3"], "e", folds: 5, foldSeed: seed + run);
            var fitted = new EffectEstimatorOptions { UseLoggedPropensity = false };
            var aipw = AipwEstimator.Estimate(data, fitted);
            var cross = AipwEstimator.EstimateCrossFitted(data, fitted);
            var dml = DmlPlrEstimator.Estimate(data, fitted);
            var ipw = IpwEstimator.Estimate(data, new EffectEstimatorOptions { ClipLow = 0 });
            withheld += (aipw.IsWithheld ? 1 : 0) + (cross.IsWithheld ? 1 : 0) + (dml.IsWithheld ? 1 : 0);
            aipwCovered += Covers(aipw, ate) ? 1 : 0;
            crossCovered += Covers(cross, ate) ? 1 : 0;
            dmlCovered += Covers(dml, ate) ? 1 : 0;
            ipwCovered += Covers(ipw, ate) ? 1 : 0;
            sumAipw += aipw.Estimate ?? double.NaN;
            sumDml += dml.Estimate ?? double.NaN;

            // Continuous monitoring: after every event from monitorFrom on, does the interval exclude the true effect?
            var incremental = new IncrementalEffectEstimator("d", "y");
            bool sequenceEver = false, fixedEver = false;
            for (int i = 0; i < events; i++)
            {
                incremental.Add(y[i], d[i] == 1, e[i]);
                if (i + 1 < monitorFrom)
                {
                    continue;
                }

                var s = incremental.Sequence;
                sequenceEver |= s.Lower > ate || s.Upper < ate;
                var fixedInterval = incremental.Ipw();
                fixedEver |= !fixedInterval.IsWithheld && (fixedInterval.CiLow > ate || fixedInterval.CiHigh < ate);
            }

            sequenceExcluded += sequenceEver ? 1 : 0;
            fixedExcluded += fixedEver ? 1 : 0;
        }

        return new CoverageResult(scenario, runs, events, ate,
            (double)aipwCovered / runs, (double)crossCovered / runs, (double)dmlCovered / runs, (double)ipwCovered / runs,
            (sumAipw / runs) - ate, (sumDml / runs) - ate,
            (double)sequenceExcluded / runs, (double)fixedExcluded / runs, withheld);
    }

    /// <summary>The average treatment effect of a design.</summary>
    public static double TrueEffect(CoverageScenario scenario) => scenario switch
    {
        CoverageScenario.Randomized => 0.5,
        CoverageScenario.NullConfounded or CoverageScenario.NullRandomized => 0,
        _ => 1,
    };

    private static double Propensity(CoverageScenario scenario, double x1, double x2, double x3)
    {
        double logit = scenario switch
        {
            CoverageScenario.Randomized or CoverageScenario.NullRandomized => 0,
            CoverageScenario.PoorOverlap => 2.5 * x1,
            CoverageScenario.HeterogeneousEffect => (0.8 * x1) - (0.5 * x2),
            _ => (0.8 * x1) - (0.5 * x2) + (0.3 * x3),
        };
        return 1 / (1 + Math.Exp(-logit));
    }

    private static bool Covers(Core.Streams.EffectEstimate estimate, double truth)
        => !estimate.IsWithheld && estimate.CiLow <= truth && truth <= estimate.CiHigh;

    private static double Normal(Random random)
    {
        double u1 = 1 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
