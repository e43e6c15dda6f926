using System.Diagnostics;
using CausalStream.Core.Simulation;
using CausalStream.Core.Stimulation;
using CausalStream.Core.Streams;

namespace CausalStream.Core.Tests.Simulation;

public class VarSimulatorTests
{
    private static StimulationCommand Pulse(int channel, double amplitude = 2.5, double duration = 0.002)
        => new(channel, amplitude, duration, 0, "test");

    private static async Task<CollectingOutput> RunAsync(VarSimulator simulator, Action<int>? afterChunk = null)
    {
        var output = new CollectingOutput { AfterChunk = afterChunk };
        await simulator.RunAsync(output, CancellationToken.None);
        return output;
    }

    [Fact]
    public void DeclaresDataAndMarkerStreams()
    {
        var simulator = new VarSimulator(new SimulatorOptions { StreamName = "brain", Channels = 4, SampleRate = 1000 });

        Assert.Equal("brain", simulator.Name);
        Assert.Equal(2, simulator.Streams.Count);
        var data = simulator.Streams[0];
        Assert.Equal("brain", data.Name);
        Assert.Equal("LFP", data.Type);
        Assert.Equal(4, data.ChannelCount);
        Assert.Equal(1000, data.NominalRate);
        Assert.Equal(ChannelFormat.Double64, data.Format);
        Assert.Equal(["ch1", "ch2", "ch3", "ch4"], data.ChannelLabels);
        var markers = simulator.Streams[1];
        Assert.Equal("brain-markers", markers.Name);
        Assert.Equal("Markers", markers.Type);
        Assert.True(markers.IsIrregular);
        Assert.Equal(1, markers.ChannelCount);
        Assert.Equal(ChannelFormat.String, markers.Format);
    }

    [Fact]
    public async Task UnpacedRunEmitsMaxSamplesWithTimestampsOnTheSampleGrid()
    {
        var options = new SimulatorOptions { Paced = false, MaxSamples = 1005, ChunkSize = 10, StartTime = 100, Seed = 3 };
        var simulator = new VarSimulator(options);
        long before = MonotonicClock.Now;

        var output = await RunAsync(simulator);

        Assert.Equal(1005, output.SampleCount);
        Assert.Equal(101, output.ChunkSizes.Count);
        Assert.Equal(5, output.ChunkSizes[^1]);
        Assert.All(output.ChunkSizes.Take(100), size => Assert.Equal(10, size));
        Assert.All(output.ChunkStreams, name => Assert.Equal("sim", name));
        for (int n = 0; n < 1005; n++)
        {
            Assert.Equal(100 + (n / 500.0), output.Timestamps[n]);
        }

        Assert.All(output.ArrivalTicks, ticks => Assert.True(ticks >= before));
        for (int i = 1; i < output.ArrivalTicks.Count; i++)
        {
            Assert.True(output.ArrivalTicks[i] >= output.ArrivalTicks[i - 1]);
        }

        Assert.Equal(1005, simulator.SamplesEmitted);
        Assert.Empty(output.Markers);
        Assert.Empty(output.Errors);
    }

    [Fact]
    public async Task ChunkSizeDoesNotChangeTheSamplesAndMatchesTheSynchronousGenerator()
    {
        var options = new SimulatorOptions { Paced = false, MaxSamples = 777, Seed = 12, Rhythms = [new RhythmDrive(1, 8, 1)] };
        var a = await RunAsync(new VarSimulator(options with { ChunkSize = 1 }));
        var b = await RunAsync(new VarSimulator(options with { ChunkSize = 10 }));
        var c = await RunAsync(new VarSimulator(options with { ChunkSize = 64 }));
        var d = await RunAsync(new VarSimulator(options with { Seed = 13 }));
        var reference = new double[777 * 8];
        new VarGenerator(options).Generate(reference, 777);

        Assert.Equal(reference, a.Values);
        Assert.Equal(reference, b.Values);
        Assert.Equal(reference, c.Values);
        Assert.NotEqual(reference, d.Values);
        Assert.Equal(a.Timestamps, c.Timestamps);
    }

    [Fact]
    public async Task StimulationPropagatesAsTheExactImpulseResponseAndEmitsAMarker()
    {
        var network = SimulationTestHelpers.SmallNetwork();
        var options = SimulationTestHelpers.SmallOptions(seed: 31) with
        {
            MeasurementNoiseSd = 0.1,
            MaxSamples = 400,
            ChunkSize = 10,
            StartTime = 5,
        };
        var stimulated = new VarSimulator(options, network);
        var control = new VarSimulator(options, network);

        // Delivered after chunk 4 (samples 0..49) is written, so the pulse starts at sample 50.
        var withPulse = await RunAsync(stimulated, chunk =>
        {
            if (chunk == 4)
            {
                Assert.True(stimulated.TryDeliver(Pulse(0, 2.5, 0.004)));
                Assert.Equal(1, stimulated.PendingPulses);
            }
        });
        var without = await RunAsync(control);

        var expected = SimulationTestHelpers.PulseResponse(network, 0, 2.5, 2, 350);
        for (int n = 0; n < 400; n++)
        {
            for (int ch = 0; ch < 3; ch++)
            {
                double difference = withPulse.Values[n * 3 + ch] - without.Values[n * 3 + ch];
                double response = n < 50 ? 0 : expected[n - 50, ch];
                Assert.Equal(response, difference, 1e-9);
            }
        }

        // Channel 1 is the target of channel 0's edge: it responds one sample after the pulse starts.
        Assert.Equal(0, withPulse.Values[50 * 3 + 1] - without.Values[50 * 3 + 1], 1e-12);
        Assert.Equal(2.5 * 0.4, withPulse.Values[51 * 3 + 1] - without.Values[51 * 3 + 1], 1e-9);

        var marker = Assert.Single(withPulse.Markers);
        Assert.Equal("sim-markers", marker.Stream);
        Assert.Equal(5 + (50 / 500.0), marker.Timestamp);
        Assert.Equal(withPulse.Timestamps[50], marker.Timestamp);
        Assert.Equal(0, marker.Code);
        Assert.Equal("stim ch=0 amp=2.5 dur=0.004", marker.Payload);
        Assert.Equal(0, stimulated.PendingPulses);
        Assert.Empty(without.Markers);
    }

    [Fact]
    public async Task PulseDeliveredBeforeTheRunStartsAtTheFirstSample()
    {
        var simulator = new VarSimulator(new SimulatorOptions { Paced = false, MaxSamples = 20, Channels = 4 });
        Assert.True(simulator.TryDeliver(Pulse(3, -1.5, 0)));

        var output = await RunAsync(simulator);

        var marker = Assert.Single(output.Markers);
        Assert.Equal(0, marker.Timestamp);
        Assert.Equal(3, marker.Code);
        Assert.Equal("stim ch=3 amp=-1.5 dur=0.002", marker.Payload);
    }

    [Fact]
    public void TryDeliverRejectsOutOfRangeChannelsInvalidValuesAndAFullQueue()
    {
        var simulator = new VarSimulator(new SimulatorOptions { Channels = 4, StimulationQueueCapacity = 2 });

        Assert.False(simulator.TryDeliver(Pulse(-1)));
        Assert.False(simulator.TryDeliver(Pulse(4)));
        Assert.False(simulator.TryDeliver(Pulse(0, double.NaN)));
        Assert.False(simulator.TryDeliver(Pulse(0, 1, -0.01)));
        Assert.False(simulator.TryDeliver(Pulse(0, 1, double.PositiveInfinity)));
        Assert.Equal(0, simulator.PendingPulses);
        Assert.True(simulator.TryDeliver(Pulse(0)));
        Assert.True(simulator.TryDeliver(Pulse(3)));
        Assert.False(simulator.TryDeliver(Pulse(1)));
        Assert.Equal(2, simulator.PendingPulses);
    }

    [Fact]
    public async Task TryDeliverIsSafeFromManyThreads()
    {
        var simulator = new VarSimulator(new SimulatorOptions { Paced = false, MaxSamples = 50, StimulationQueueCapacity = 100 });
        int accepted = 0;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(() =>
        {
            for (int i = 0; i < 50; i++)
            {
                if (simulator.TryDeliver(Pulse((worker + i) % 8, 0.1)))
                {
                    Interlocked.Increment(ref accepted);
                }
            }
        })));

        Assert.Equal(100, accepted);
        var output = await RunAsync(simulator);
        Assert.Equal(100, output.Markers.Count);
    }

    [Fact]
    public async Task PacedRunTakesAboutRealTime()
    {
        var simulator = new VarSimulator(new SimulatorOptions { Paced = true, MaxSamples = 250, ChunkSize = 10 });
        var clock = Stopwatch.StartNew();

        var output = await RunAsync(simulator);

        // 250 samples at 500 Hz end at 0.5 s; the last chunk is not emitted before then.
        Assert.Equal(250, output.SampleCount);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.49, 5.0);
    }

    [Fact]
    public async Task PacedRunStopsQuietlyWhenCancelledWithAboutTheElapsedSamples()
    {
        var simulator = new VarSimulator(new SimulatorOptions { Paced = true, ChunkSize = 10 });
        var output = new CollectingOutput();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(0.5));
        var clock = Stopwatch.StartNew();

        await simulator.RunAsync(output, cancel.Token);
        double elapsed = clock.Elapsed.TotalSeconds;

        // Chunks are never emitted ahead of the clock; a loaded machine (parallel test assemblies starving the
        // thread pool's timers) may lag far behind it, so the lower bound only asks for some whole chunk.
        Assert.InRange(output.SampleCount, 10, (int)(elapsed * 500) + 10);
        Assert.Equal(0, output.SampleCount % 10);
    }

    [Fact]
    public async Task SecondRunIsRejected()
    {
        var simulator = new VarSimulator(new SimulatorOptions { Paced = false, MaxSamples = 10 });
        await RunAsync(simulator);

        await Assert.ThrowsAsync<InvalidOperationException>(() => simulator.RunAsync(new CollectingOutput(), CancellationToken.None));
    }

    [Theory]
    [InlineData("Channels")]
    [InlineData("SampleRate")]
    [InlineData("MaxLag")]
    [InlineData("ChunkSize")]
    [InlineData("SelfFrequencyMaxHz")]
    [InlineData("CrossEdges")]
    [InlineData("Rhythms[0]")]
    [InlineData("EdgeSchedule[0]")]
    [InlineData("StreamName")]
    public void InvalidOptionsAreRejectedNamingTheField(string field)
    {
        var valid = new SimulatorOptions();
        var invalid = field switch
        {
            "Channels" => valid with { Channels = 0 },
            "SampleRate" => valid with { SampleRate = double.NaN },
            "MaxLag" => valid with { MaxLag = 0 },
            "ChunkSize" => valid with { ChunkSize = 0 },
            "SelfFrequencyMaxHz" => valid with { SampleRate = 60 },
            "CrossEdges" => valid with { CrossEdges = 57 },
            "Rhythms[0]" => valid with { Rhythms = [new RhythmDrive(8, 10, 1)] },
            "EdgeSchedule[0]" => valid with { EdgeSchedule = [new ScheduledEdge(0, 1, 4, 0.1, 0)] },
            "StreamName" => valid with { StreamName = " " },
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };

        valid.Validate();
        var error = Assert.Throws<ArgumentException>(() => new VarSimulator(invalid));
        Assert.Contains("SimulatorOptions." + field, error.Message);
    }
}
