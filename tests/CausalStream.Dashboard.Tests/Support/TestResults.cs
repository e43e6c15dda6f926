using CausalStream.Core.Stimulation;
using CausalStream.Core.Streams;

namespace CausalStream.Dashboard.Tests.Support;

/// <summary>Small hand-made results (graphs, health reports, decisions) for the dashboard tests.</summary>
internal static class TestResults
{
    public static CausalGraph Graph(long sequence, int channels = 4, double weightScale = 1, int padLags = 3)
    {
        var names = new string[channels];
        for (int i = 0; i < channels; i++)
        {
            names[i] = $"ch{i + 1}";
        }

        var edges = new List<CausalEdge>();
        for (int s = 0; s < channels; s++)
        {
            for (int t = 0; t < channels; t++)
            {
                if (s == t)
                {
                    continue;
                }

                double weight = weightScale * (0.001 + (0.01 * (((s * 7) + (t * 3) + sequence) % 11)));
                bool significant = (s + 1) % channels == t;
                var lags = new double[padLags];
                var lagT = new double[padLags];
                for (int k = 0; k < padLags; k++)
                {
                    lags[k] = 0.1 * (k + 1);
                    lagT[k] = significant ? 5 - k : 0.5;
                }

                edges.Add(new CausalEdge(s, t, significant ? weight + 0.2 : weight, 10, padLags, 1000, significant ? 1e-9 : 0.4, significant ? 1e-8 : 0.6, significant, lags, lagT));
            }
        }

        return new CausalGraph("sim", (sequence - 1) * 0.25, ((sequence - 1) * 0.25) + 2, 1000, 997, 0, names, "granger", padLags, "fdr_bh", 0.01, false, sequence, edges)
        {
            NewestArrivalTicks = MonotonicClock.Now,
        };
    }

    public static PipelineStatus Status(double elapsed) => new(
        elapsed,
        false,
        [new StreamStatus("sim", 500, 499.5, (long)(elapsed * 500), 0, 0, 0, 0, 0, 0, 0)],
        [new StageStatus("ingest", 100, 0, 1, 100, 0.0001, 0.0005, 0.001, 0.002), new StageStatus("sink:dashboard", 50, 0, 0, 50, 0.0002, 0.0009, 0.002, 0.003)]);

    public static StimulationDecision Decision(StimulationOutcome outcome, string interlock = "")
    {
        long now = MonotonicClock.Now;
        var request = new StimulationRequest("ch1-theta-high", 0, 3, 0.004, 0.5, 12.5, now - MonotonicClock.FromSeconds(0.0002), "BandPower ch0 = 9379.49 > 4000");
        return new StimulationDecision(request, outcome, interlock, 0.21, now, DateTime.UtcNow) { NewestArrivalTicks = request.ArrivalTicks };
    }
}
