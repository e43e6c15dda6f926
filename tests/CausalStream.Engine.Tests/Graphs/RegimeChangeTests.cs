using CausalStream.Engine.Graphs;
using CausalStream.Engine.Statistics;

namespace CausalStream.Engine.Tests.Graphs;

/// <summary>A sliding-window Granger stage must follow an edge that switches on at t0 and off at t1.</summary>
public sealed class RegimeChangeTests
{
    [Fact]
    public void EdgeSwitchingOnAndOffIsTrackedWithinOneWindowPlusOneHop()
    {
        const int c = 3, lags = 2, window = 400, hop = 50, total = 4500, t0 = 1500, t1 = 2800;
        var rng = new Random(2024);
        var x = new double[total * c];
        for (int t = lags; t < total; t++)
        {
            bool on = t >= t0 && t < t1;
            double x0 = 0.5 * x[(t - 1) * c] + VarGrangerSolverRobustnessTests.Gaussian(rng);
            double x1 = 0.4 * x[(t - 1) * c + 1] + (on ? 0.45 * x[(t - 1) * c] : 0.0) + VarGrangerSolverRobustnessTests.Gaussian(rng);
            double x2 = 0.3 * x[(t - 1) * c + 2] - 0.2 * x[(t - 2) * c + 2] + VarGrangerSolverRobustnessTests.Gaussian(rng);
            x[t * c] = x0;
            x[t * c + 1] = x1;
            x[t * c + 2] = x2;
        }

        var stats = new LaggedCovariance(c, lags, window);
        var solver = new VarGrangerSolver(c, lags);
        var result = new GrangerResult(c, lags);
        int? firstOn = null;
        int? firstOff = null;
        int offHops = 0, offFalsePositives = 0;
        for (int t = 0; t < total; t++)
        {
            stats.Push(x.AsSpan(t * c, c));
            int pushed = t + 1;
            if (pushed % hop != 0 || pushed < window + lags)
            {
                continue;
            }
            solver.Solve(stats, GrangerOptions.Default, result);
            bool edge = result.IsSignificant(1, 0);
            if (pushed > t0 && pushed <= t1 && edge && firstOn is null)
            {
                firstOn = pushed;
            }
            if (pushed >= t0 + window && pushed <= t1)
            {
                Assert.True(edge, $"window ending at {pushed} lies inside the on regime but 0->1 is not significant");
            }
            if (pushed > t1 && !edge && firstOff is null)
            {
                firstOff = pushed;
            }
            if (pushed >= t1 + window)
            {
                offHops++;
                offFalsePositives += edge ? 1 : 0;
            }
        }

        Assert.NotNull(firstOn);
        Assert.True(firstOn - t0 <= window + hop, $"switch-on at {t0} detected at {firstOn}");
        Assert.NotNull(firstOff);
        Assert.True(firstOff - t1 <= window + hop, $"switch-off at {t1} noticed at {firstOff}");
        Assert.True(offHops > 10 && offFalsePositives <= offHops / 5, $"{offFalsePositives} of {offHops} off-regime windows still show the edge");
    }
}
