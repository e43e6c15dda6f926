using System.Collections.Concurrent;
using CausalStream.Core.Pipeline;
using CausalStream.Core.Simulation;
using CausalStream.Core.Stimulation;
using CausalStream.Core.Streams;
using CausalStream.Engine.Effects;

namespace CausalStream.Engine.Tests.Effects;

/// <summary>The live effect stage on a recorded confounded scenario: rows, published estimates, withheld rows, allocation.</summary>
public sealed class EffectStageTests
{
    private sealed class Collector : IResultPublisher
    {
        public ConcurrentQueue<PipelineResult> Results { get; } = new();

        public ValueTask PublishAsync(PipelineResult result, CancellationToken cancellationToken)
        {
            Results.Enqueue(result);
            return ValueTask.CompletedTask;
        }
    }

    internal static StimulationDecision Decision(double time, bool fired, double probability, string rule = "rule")
        => new(new StimulationRequest(rule, 0, 3, 0.004, probability, time, 0, "test"), fired ? StimulationOutcome.Fired : StimulationOutcome.RandomizedOut, string.Empty, 0.5, 0, DateTime.UtcNow);

    private static StreamInfo Stream(int channels, double rate) => new("sim", "LFP", "test", channels, rate, ChannelFormat.Double64);

    [Fact]
    public async Task PublishesEstimatesThatAgreeWithTheBatchFormulasAndWithholdsRowsPastTheEnd()
    {
        var scenario = new StimulationScenario(ConfoundedScenarioTests.Simulator, new StimulationScenarioOptions { ConfoundingStrength = 1.5, Seed = 8 });
        var run = scenario.Run(600, tailSamples: 5);
        var stream = Stream(run.Channels, run.SampleRate);
        var options = new EffectStageOptions { Events = ConfoundedScenarioTests.Events, Estimators = ["diff", "ipw_logged", "ipw", "aipw", "dml"], MinEvents = 30, TrueEffect = 1.25 };
        var stage = new EffectStage(stream, options);
        var publisher = new Collector();
        int next = 0;
        const int chunk = 10;
        for (int first = 0; first < run.SampleCount; first += chunk)
        {
            int count = Math.Min(chunk, run.SampleCount - first);
            using var c = SampleChunk.Rent(stream, count);
            run.Samples.AsSpan(first * run.Channels, count * run.Channels).CopyTo(c.Values);
            run.Timestamps.AsSpan(first, count).CopyTo(c.Timestamps);
            await stage.OnChunkAsync(c, publisher, CancellationToken.None);
            while (next < run.Events.Count && run.Events[next].SampleIndex < first + count)
            {
                var e = run.Events[next++];
                stage.Record(Decision(e.Time, e.Treated, e.Propensity));
            }
        }

        stage.Record(new StimulationDecision(new StimulationRequest("rule", 0, 3, 0.004, 0.5, 1, 0, "x"), StimulationOutcome.Suppressed, "refractory", double.NaN, 0, DateTime.UtcNow));
        await stage.CompleteAsync(publisher, CancellationToken.None);

        var rows = stage.Rows;
        Assert.Equal(600, rows.Count); // the suppressed decision is not an event
        var withheld = rows.Where(r => r.IsWithheld).ToList();
        Assert.Single(withheld); // the last event's latency range runs 10 samples past it, the data only 5
        Assert.Contains("outcome window runs past the end of the data", withheld[0].WithheldReason);

        var estimates = publisher.Results.OfType<EffectEstimate>().ToList();
        EffectEstimate Last(string name) => estimates.Last(e => e.Estimator == name);
        var data = EffectData.FromTable(stage.Builder.ToEffectTable(rows, 5), "d", "y", stage.Builder.CovariateNames, "propensity", "fold");
        Assert.Equal(599, data.N);

        var diff = Last("diff");
        var batchDiff = DifferenceInMeansEstimator.Estimate(data);
        Assert.Equal(batchDiff.Estimate!.Value, diff.Estimate!.Value, 1e-10);
        Assert.Equal(batchDiff.StandardError!.Value, diff.StandardError!.Value, 1e-10);
        Assert.Equal(599, diff.N);

        var ipw = Last("ipw_logged");
        var batchIpw = IpwEstimator.Estimate(data, new EffectEstimatorOptions { ClipLow = 0 });
        Assert.Equal(batchIpw.Estimate!.Value, ipw.Estimate!.Value, 1e-10);
        Assert.True(ipw.Diagnostics["cs_low"] < ipw.Estimate && ipw.Estimate < ipw.Diagnostics["cs_high"]);
        Assert.True(ipw.Diagnostics["cs_high"] - ipw.Diagnostics["cs_low"] > ipw.CiHigh - ipw.CiLow);

        var aipw = Last("aipw");
        var batchAipw = AipwEstimator.EstimateCrossFitted(data);
        Assert.Equal(batchAipw.Estimate!.Value, aipw.Estimate!.Value, 1e-10);
        Assert.Equal(batchAipw.StandardError!.Value, aipw.StandardError!.Value, 1e-10);
        Assert.Equal(DmlPlrEstimator.Estimate(data).Estimate!.Value, Last("dml").Estimate!.Value, 1e-10);

        // The plug-in sequence of the batch estimators uses the running sequence's boundary with sd = se·√n.
        var sequence = new ConfidenceSequence(0.05, 200);
        for (int i = 0; i < 320; i++)
        {
            sequence.Add(i % 2 == 0 ? 1 : -1);
        }

        Assert.Equal(sequence.HalfWidth, ConfidenceSequence.HalfWidthFor(Math.Sqrt(320.0 / 319), 320, 0.05, 200), 12);
        foreach (var e in new[] { diff, aipw, Last("dml") })
        {
            double half = ConfidenceSequence.HalfWidthFor(e.StandardError!.Value * Math.Sqrt(e.N), e.N, 0.05, 200);
            Assert.Equal(e.Estimate!.Value - half, e.Diagnostics["cs_low"], 10);
            Assert.True(e.Diagnostics["cs_high"] - e.Diagnostics["cs_low"] > e.CiHigh - e.CiLow);
        }

        foreach (var e in new[] { diff, ipw, aipw, Last("dml"), Last("ipw") })
        {
            Assert.Equal("stimulation", e.Treatment);
            Assert.Equal("ch1 mean 2-22 ms", e.Outcome);
            Assert.Equal(1, e.Diagnostics["events_withheld"]);
            Assert.Equal(1.25, e.Diagnostics["true_effect"]);
            Assert.Equal(run.Events[^1].Time, e.SourceTime!.Value, 12);
        }

        // Before MinEvents usable rows the batch estimators are withheld with a reason, never NaN.
        // The batch estimators are recomputed only when the rows grew by 2 % (and at the end), the incremental ones every round.
        var batchRounds = estimates.Where(e => e.Estimator == "aipw" && !e.IsWithheld).Select(e => e.N).ToList();
        Assert.True(batchRounds.Count < 150, $"{batchRounds.Count} AIPW rounds for 599 rows");
        for (int i = 1; i < batchRounds.Count - 1; i++)
        {
            Assert.True(batchRounds[i] >= batchRounds[i - 1] + Math.Max(1, (int)(batchRounds[i - 1] * 0.02)), $"{batchRounds[i - 1]} -> {batchRounds[i]}");
        }

        Assert.All(estimates.Where(e => e.Estimator == "aipw" && e.N < 30), early =>
        {
            Assert.StartsWith("waiting for 30 usable events", early.WithheldReason);
            Assert.Null(early.Estimate);
        });
        Assert.All(estimates, e => Assert.True(e.IsWithheld || double.IsFinite(e.Estimate!.Value)));
    }

    [Fact]
    public async Task NoTreatedEventsGiveWithheldEstimatesNotExceptions()
    {
        var stream = Stream(2, 100);
        var stage = new EffectStage(stream, new EffectStageOptions { Events = new EventTableOptions { PreWindowSeconds = 0.05, OutcomeStartSeconds = 0.01, OutcomeEndSeconds = 0.03 }, MinEvents = 3 });
        var publisher = new Collector();
        var random = new Random(1);
        for (int k = 0; k < 100; k++)
        {
            using var c = SampleChunk.Rent(stream, 10);
            for (int i = 0; i < 20; i++)
            {
                c.Values[i] = random.NextDouble();
            }

            for (int i = 0; i < 10; i++)
            {
                c.Timestamps[i] = ((k * 10) + i) / 100.0;
            }

            await stage.OnChunkAsync(c, publisher, CancellationToken.None);
            if (k % 5 == 2)
            {
                stage.Record(Decision(c.Timestamps[9], fired: false, 0.5));
            }
        }

        await stage.CompleteAsync(publisher, CancellationToken.None);
        var estimates = publisher.Results.OfType<EffectEstimate>().ToList();
        Assert.NotEmpty(estimates);
        Assert.All(estimates, e => Assert.True(e.IsWithheld, $"{e.Estimator} gave {e.Estimate}"));
        Assert.Contains(estimates, e => e.Estimator == "aipw" && e.WithheldReason == "no treated units");
    }

    [Fact]
    public async Task TheIngestPathAllocatesNothingPerChunk()
    {
        var stream = Stream(8, 500);
        var stage = new EffectStage(stream, new EffectStageOptions());
        var publisher = new Collector();
        using var c = SampleChunk.Rent(stream, 10);
        for (int i = 0; i < 80; i++)
        {
            c.Values[i] = i;
        }

        long n = 0;
        async Task Feed(int chunks)
        {
            for (int k = 0; k < chunks; k++)
            {
                for (int i = 0; i < 10; i++)
                {
                    c.Timestamps[i] = n++ / 500.0;
                }

                await stage.OnChunkAsync(c, publisher, CancellationToken.None);
            }
        }

        await Feed(10); // starts the worker
        long before = GC.GetAllocatedBytesForCurrentThread();
        await Feed(2000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        await stage.CompleteAsync(publisher, CancellationToken.None);
        Assert.True(allocated == 0, $"{allocated} bytes allocated over 20000 samples");
    }

    [Fact]
    public async Task PublishesTheVarPredictedEffectBesideTheMeasuredOne()
    {
        var scenario = new StimulationScenario(ConfoundedScenarioTests.Simulator, new StimulationScenarioOptions { ConfoundingStrength = 0, Seed = 21 });
        var run = scenario.Run(300);
        var stream = Stream(run.Channels, run.SampleRate);
        var prediction = new EffectPredictionOptions { Channel = 0, Amplitude = 3, DurationSeconds = 0.004, Lags = 3, WindowSeconds = 20, EverySeconds = 20, HorizonSeconds = 0.05 };
        var stage = new EffectStage(stream, new EffectStageOptions { Events = ConfoundedScenarioTests.Events, Estimators = ["diff"], Prediction = prediction });
        var publisher = new Collector();
        int next = 0;
        for (int first = 0; first < run.SampleCount; first += 10)
        {
            int count = Math.Min(10, run.SampleCount - first);
            using var c = SampleChunk.Rent(stream, count);
            run.Samples.AsSpan(first * run.Channels, count * run.Channels).CopyTo(c.Values);
            run.Timestamps.AsSpan(first, count).CopyTo(c.Timestamps);
            await stage.OnChunkAsync(c, publisher, CancellationToken.None);
            while (next < run.Events.Count && run.Events[next].SampleIndex < first + count)
            {
                var e = run.Events[next++];
                stage.Record(Decision(e.Time, e.Treated, e.Propensity));
            }
        }

        await stage.CompleteAsync(publisher, CancellationToken.None);
        double truth = scenario.TrueMeanEffect(0, stage.Builder.OutcomeFirstOffset, stage.Builder.OutcomeEndOffset);
        var responses = publisher.Results.OfType<InterventionPrediction>().ToList();
        var predicted = publisher.Results.OfType<EffectEstimate>().Where(e => e.Estimator == "var_prediction").ToList();
        Assert.True(responses.Count >= 7, $"{responses.Count} predictions");
        Assert.Equal(responses.Count, predicted.Count);
        var trueResponse = PulseResponse.Compute(run.Network, 0, 3, 2, 25, delaySamples: 1);
        var last = responses[^1];
        Assert.Equal(25, last.Horizon);
        Assert.Equal(1, last.OnsetSample);
        Assert.Equal(truth, last.OutcomeEffect!.Value, 0.5);
        for (int o = 0; o < trueResponse.Length; o++)
        {
            Assert.True(Math.Abs(last.Response[o] - trueResponse[o]) <= (5 * last.StandardError[o]) + 1e-9, $"point {o}: {last.Response[o]} ± {last.StandardError[o]} vs {trueResponse[o]}");
        }

        int covered = predicted.Count(e => e.CiLow <= truth && truth <= e.CiHigh);
        Assert.True(covered >= predicted.Count - 2, $"{covered}/{predicted.Count} predicted intervals cover the true effect {truth}");
        Assert.All(predicted, e => Assert.Equal(truth, e.Estimate!.Value, 1.0));
    }

    [Fact]
    public async Task EdgeWeightCovariatesComeFromTheLatestGraphAndAreMissingBeforeTheFirst()
    {
        var stream = Stream(2, 100);
        var stage = new EffectStage(stream, new EffectStageOptions
        {
            Events = new EventTableOptions { PreWindowSeconds = 0.05, OutcomeStartSeconds = 0.01, OutcomeEndSeconds = 0.03 },
            EdgeCovariates = ["ch1->ch2"],
            Estimators = ["diff"],
        });
        var feed = new EffectGraphFeed(stage);
        var publisher = new Collector();
        var edge = new CausalEdge(0, 1, 0.37, 5, 2, 100, 0.01, 0.02, true, [0.2, 0.1], [3, 2]);
        var graph = new CausalGraph("sim", 0, 1, 100, 98, 0, ["ch1", "ch2"], "granger", 2, "bh", 0.05, false, 1, [edge]);
        for (int k = 0; k < 20; k++)
        {
            using var c = SampleChunk.Rent(stream, 10);
            for (int i = 0; i < 10; i++)
            {
                c.Values[2 * i] = k + i;
                c.Values[(2 * i) + 1] = -k;
                c.Timestamps[i] = ((k * 10) + i) / 100.0;
            }

            await stage.OnChunkAsync(c, publisher, CancellationToken.None);
            if (k == 5)
            {
                stage.Record(Decision(c.Timestamps[9], fired: true, 0.5)); // before any graph
                await feed.ConsumeAsync(graph, CancellationToken.None);
            }

            if (k == 8)
            {
                stage.Record(Decision(c.Timestamps[9], fired: false, 0.5));
            }
        }

        await stage.CompleteAsync(publisher, CancellationToken.None);
        var rows = stage.Rows;
        Assert.Equal(2, rows.Count);
        Assert.Equal("missing covariates: no causal graph has arrived yet for the edge covariates", rows[0].WithheldReason);
        Assert.Null(rows[1].WithheldReason);
        Assert.Equal("w_ch1_ch2", stage.Builder.CovariateNames[^1]);
        Assert.Equal(0.37, rows[1].Covariates[^1]);
    }

    [Fact]
    public async Task MarkerEventsAreRowsWithoutAPropensity()
    {
        var stream = Stream(1, 100);
        var stage = new EffectStage(stream, new EffectStageOptions
        {
            Events = new EventTableOptions { PreWindowSeconds = 0.05, OutcomeStartSeconds = 0.01, OutcomeEndSeconds = 0.03 },
            MarkerStream = "sim-markers",
            Estimators = ["diff", "ipw_logged"],
        });
        var publisher = new Collector();
        for (int k = 0; k < 50; k++)
        {
            // The marker arrives before the chunk holding its sample, as the simulator writes them.
            double time = k / 10.0;
            if (k >= 1 && k < 49)
            {
                string payload = k % 2 == 0 ? "stim ch=0 amp=3 dur=0.004" : "sham";
                await stage.OnMarkerAsync(new MarkerEvent("sim-markers", time, payload, 0, 0), publisher, CancellationToken.None);
                await stage.OnMarkerAsync(new MarkerEvent("other", time, "stim", 0, 0), publisher, CancellationToken.None);
            }

            using var c = SampleChunk.Rent(stream, 10);
            for (int i = 0; i < 10; i++)
            {
                c.Values[i] = (k % 2 == 0 && i >= 1) ? 5 : 0; // a response of 5 after every "stim" marker
                c.Timestamps[i] = time + (i / 100.0);
            }

            await stage.OnChunkAsync(c, publisher, CancellationToken.None);
        }

        await stage.CompleteAsync(publisher, CancellationToken.None);
        var rows = stage.Rows;
        Assert.Equal(48, rows.Count);
        Assert.All(rows, r => Assert.Null(r.Propensity));
        Assert.Equal(24, rows.Count(r => r.Treatment == 1));
        var diff = publisher.Results.OfType<EffectEstimate>().Last(e => e.Estimator == "diff");
        Assert.Equal(5, diff.Estimate!.Value, 12);
        Assert.StartsWith("fewer than two treated or two control events with a known propensity", publisher.Results.OfType<EffectEstimate>().Last(e => e.Estimator == "ipw_logged").WithheldReason);
    }
}
