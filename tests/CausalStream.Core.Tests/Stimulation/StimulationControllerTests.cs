using System.Text.Json;
using CausalStream.Core.Stimulation;
using CausalStream.Core.Streams;

namespace CausalStream.Core.Tests.Stimulation;

public sealed class StimulationControllerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("causalstream-stim-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task AdversarialRequestsNeverExceedRateLimitsOrRefractory()
    {
        var safety = new StimulationSafety { Armed = true, MaxPulsesPerSecond = 4, MaxPulsesPerMinute = 6, RefractorySeconds = 0.05, MaxDosePerMinute = 100, StaleDataSeconds = 10 };
        var receiver = new CollectingReceiver();
        var controller = new StimulationController(safety, [receiver]);
        var decisions = new List<StimulationDecision>();
        var until = MonotonicClock.Now + MonotonicClock.FromSeconds(2.5);
        while (MonotonicClock.Now < until)
        {
            controller.NoteData(MonotonicClock.Now);
            decisions.Add(controller.Request(Request()));
            await Task.Delay(1);
        }

        var fired = decisions.Where(d => d.Outcome == StimulationOutcome.Fired).Select(d => d.DecidedTicks).ToList();
        Assert.Equal(6, fired.Count); // 4 in the first second, 2 more, then the per-minute limit
        Assert.Equal(6, receiver.Commands.Count);
        for (int i = 0; i < fired.Count; i++)
        {
            int inOneSecond = fired.Count(t => t >= fired[i] && t - fired[i] < MonotonicClock.Frequency);
            Assert.True(inOneSecond <= 4, $"{inOneSecond} pulses within one second");
            if (i > 0)
            {
                Assert.True(MonotonicClock.ToSeconds(fired[i] - fired[i - 1]) >= 0.05, "refractory period violated");
            }
        }

        Assert.Contains(decisions, d => d.Interlock == "rate_per_second");
        Assert.Contains(decisions, d => d.Interlock == "rate_per_minute");
        Assert.Contains(decisions, d => d.Interlock == "refractory");
        Assert.Equal(decisions.Count, controller.Fired + controller.Suppressed);
    }

    [Fact]
    public void DisarmedAndDryRunDeliverNothing()
    {
        var receiver = new CollectingReceiver();
        var disarmed = new StimulationController(new StimulationSafety { Armed = false }, [receiver]);
        disarmed.NoteData(MonotonicClock.Now);
        var decision = disarmed.Request(Request());
        Assert.Equal(StimulationOutcome.Suppressed, decision.Outcome);
        Assert.Equal("disarmed", decision.Interlock);

        var dry = new StimulationController(new StimulationSafety { Armed = true, DryRun = true }, [receiver]);
        dry.NoteData(MonotonicClock.Now);
        Assert.Equal(StimulationOutcome.DryRun, dry.Request(Request()).Outcome);
        Assert.Empty(receiver.Commands);
        Assert.Equal(1, dry.DryRunDecisions);
    }

    [Theory]
    [InlineData(6.0, 0.001, "amplitude")]
    [InlineData(double.NaN, 0.001, "amplitude")]
    [InlineData(1.0, 0.5, "duration")]
    [InlineData(1.0, 0.0, "duration")]
    public void AmplitudeAndDurationBoundsHold(double amplitude, double duration, string interlock)
    {
        var receiver = new CollectingReceiver();
        var controller = new StimulationController(new StimulationSafety { Armed = true, MaxAmplitude = 5, MaxDurationSeconds = 0.01 }, [receiver]);
        controller.NoteData(MonotonicClock.Now);
        var decision = controller.Request(Request() with { Amplitude = amplitude, DurationSeconds = duration });
        Assert.Equal(interlock, decision.Interlock);
        Assert.Empty(receiver.Commands);
    }

    [Fact]
    public void DoseLimitCountsAmplitudeTimesDuration()
    {
        var controller = new StimulationController(new StimulationSafety { Armed = true, RefractorySeconds = 0, MaxPulsesPerSecond = 100, MaxDosePerMinute = 0.01, MaxAmplitude = 5, MaxDurationSeconds = 0.01 }, []);
        controller.NoteData(MonotonicClock.Now);
        var outcomes = Enumerable.Range(0, 5).Select(_ => controller.Request(Request() with { Amplitude = 2, DurationSeconds = 0.002 })).ToList();
        Assert.Equal(2, outcomes.Count(o => o.Outcome == StimulationOutcome.Fired)); // 0.004 each: two fit under 0.01, a third would make 0.012
        Assert.All(outcomes.Skip(2), o => Assert.Equal("dose_per_minute", o.Interlock));
    }

    [Fact]
    public async Task WatchdogDisarmsWhenDataStops()
    {
        await using var audit = new JsonLinesStimulationAudit(Path.Combine(_folder, "audit.jsonl"));
        var controller = new StimulationController(new StimulationSafety { Armed = true, StaleDataSeconds = 0.2 }, [], audit);
        controller.NoteData(MonotonicClock.Now);
        Assert.Equal(StimulationOutcome.Fired, controller.Request(Request()).Outcome);
        long stopped = MonotonicClock.Now;
        await using (new StimulationWatchdog(controller, TimeSpan.FromMilliseconds(10)))
        {
            while (controller.IsArmed)
            {
                Assert.True(MonotonicClock.ToSeconds(MonotonicClock.Now - stopped) < 5, "watchdog never disarmed");
                await Task.Delay(5);
            }
        }

        // Never early. How late the timer disarms depends on scheduling; no pulse can go out in between anyway,
        // because every request checks the data age itself (see StaleDataWithoutWatchdogStillBlocks).
        double disarmedAfter = MonotonicClock.ToSeconds(MonotonicClock.Now - stopped);
        Assert.InRange(disarmedAfter, 0.2, 5);
        Assert.Equal("disarmed", controller.Request(Request()).Interlock);
        await audit.DisposeAsync();
        var lines = File.ReadAllLines(audit.FilePath).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(3, lines.Count);
        Assert.Equal("fired", lines[0].GetProperty("outcome").GetString());
        Assert.Equal("state", lines[1].GetProperty("type").GetString());
        Assert.False(lines[1].GetProperty("armed").GetBoolean());
        Assert.StartsWith("watchdog: no fresh samples", lines[1].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("disarmed", lines[2].GetProperty("interlock").GetString());
    }

    [Fact]
    public void StaleDataWithoutWatchdogStillBlocks()
    {
        var receiver = new CollectingReceiver();
        var controller = new StimulationController(new StimulationSafety { Armed = true, StaleDataSeconds = 0.05 }, [receiver]);
        Assert.Equal("stale_data", controller.Request(Request()).Interlock); // no data ever seen
        controller.NoteData(MonotonicClock.Now - MonotonicClock.FromSeconds(1));
        Assert.Equal("stale_data", controller.Request(Request()).Interlock);
        controller.NoteData(MonotonicClock.Now);
        Assert.Equal(StimulationOutcome.Fired, controller.Request(Request()).Outcome);
        Assert.Single(receiver.Commands);
    }

    [Fact]
    public async Task RandomisationFiresWithTheLoggedProbabilityAndEveryDecisionIsAudited()
    {
        string path = Path.Combine(_folder, "random.jsonl");
        var audit = new JsonLinesStimulationAudit(path);
        var safety = new StimulationSafety { Armed = true, RefractorySeconds = 0, MaxPulsesPerSecond = 100_000, MaxPulsesPerMinute = 100_000, MaxDosePerMinute = 1e9 };
        var controller = new StimulationController(safety, [], audit, seed: 42);
        controller.NoteData(MonotonicClock.Now + MonotonicClock.FromSeconds(60));
        const int n = 4000;
        for (int i = 0; i < n; i++)
        {
            controller.Request(Request() with { Probability = 0.3 });
        }

        await audit.DisposeAsync();
        double share = controller.Fired / (double)n;
        Assert.InRange(share, 0.3 - (4 * Math.Sqrt(0.21 / n)), 0.3 + (4 * Math.Sqrt(0.21 / n)));
        Assert.Equal(n, controller.Fired + controller.RandomizedOut);
        var lines = File.ReadAllLines(path);
        Assert.Equal(n, lines.Length);
        var first = JsonDocument.Parse(lines[0]).RootElement;
        Assert.Equal(0.3, first.GetProperty("probability").GetDouble());
        Assert.True(first.GetProperty("draw").GetDouble() is >= 0 and < 1);
        Assert.Equal(controller.RandomizedOut, lines.Count(l => l.Contains("\"randomized_out\"", StringComparison.Ordinal)));
    }

    [Fact]
    public void ImpossibleSafetySettingsNameTheField()
    {
        var error = Assert.Throws<ArgumentException>(() => new StimulationController(new StimulationSafety { StaleDataSeconds = 0 }, []));
        Assert.Equal("StaleDataSeconds", error.ParamName);
    }

    internal static StimulationRequest Request() => new("test", 0, 1, 0.001, 1, 0, MonotonicClock.Now, "test");

    internal sealed class CollectingReceiver : IStimulationReceiver
    {
        public List<StimulationCommand> Commands { get; } = [];

        public bool TryDeliver(StimulationCommand command)
        {
            lock (Commands)
            {
                Commands.Add(command);
            }

            return true;
        }
    }
}
