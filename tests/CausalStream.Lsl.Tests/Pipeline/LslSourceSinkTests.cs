using CausalStream.Core.Stimulation;
using CausalStream.Core.Streams;
using CausalStream.Lsl.Inlet;
using CausalStream.Lsl.Outlet;
using CausalStream.Lsl.Pipeline;
using CausalStream.Lsl.Time;

namespace CausalStream.Lsl.Tests.Pipeline;

public class LslSourceSinkTests
{
    [Fact]
    public async Task SourceResolvesByQueryAndDeliversChunksWithLabels()
    {
        var token = Loopback.Timeout();
        var stream = new StreamInfo("src-eeg", "EEG", "amp-7", 2, 250, ChannelFormat.Float32, ["C3", "C4"]);
        await using var outlet = new LslOutlet(stream, Loopback.OutletOptions());
        await using var source = await LslSource.ResolveAsync(new LslSourceOptions { Query = "type='EEG' and channel_count=2", SourceId = "amp-7", Config = Loopback.Config }, token);
        Assert.Equal(["C3", "C4"], source.Streams[0].ChannelLabels);
        Assert.Equal(250, source.Streams[0].NominalRate);

        var output = new CollectingOutput();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        var run = source.RunAsync(output, stop.Token);
        await outlet.WaitForConsumersAsync(TimeSpan.FromSeconds(5), token);
        double t0 = LslClock.Now;
        for (int k = 0; k < 100; k++)
        {
            outlet.PushSample([k, -k], t0 + (k * 0.004));
        }

        while (output.Count < 100)
        {
            await Task.Delay(10, token);
        }

        await stop.CancelAsync();
        await run;
        Assert.Equal(-99.0, output.Values[199]);
        Assert.InRange(output.Timestamps[0] - t0, -0.001, 0.001);
        Assert.Same(source.Streams[0], output.Stream);
    }

    [Fact]
    public async Task SourceOfAStringStreamYieldsMarkers()
    {
        var token = Loopback.Timeout();
        await using var outlet = new LslOutlet(Loopback.Stream("src-markers", ChannelFormat.String, 1, 0) with { Type = "Markers" }, Loopback.OutletOptions());
        await using var source = await LslSource.ResolveAsync(new LslSourceOptions { Name = "src-markers", Config = Loopback.Config, TimeCorrection = false }, token);
        var output = new CollectingOutput();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        var run = source.RunAsync(output, stop.Token);
        await outlet.WaitForConsumersAsync(TimeSpan.FromSeconds(5), token);
        outlet.PushStrings(["42"], 10);
        outlet.PushStrings(["stim on"], 11);
        while (output.Count < 2)
        {
            await Task.Delay(10, token);
        }

        await stop.CancelAsync();
        await run;
        Assert.Equal(new MarkerEvent("src-markers", 10, "42", 42, output.Markers[0].ArrivalTicks), output.Markers[0]);
        Assert.Equal("stim on", output.Markers[1].Payload);
        Assert.Null(output.Markers[1].Code);
    }

    [Fact]
    public async Task SourceWhoseOutletRestartsBeforeTheRunFollowsIt()
    {
        var token = Loopback.Timeout(45);
        var info = Loopback.Stream("src-restart", ChannelFormat.Int32, 1, 100, sourceId: "restart-1");
        var first = new LslOutlet(info, Loopback.OutletOptions());
        await using var source = await LslSource.ResolveAsync(new LslSourceOptions { Name = "src-restart", Config = Loopback.Config }, token);
        await first.DisposeAsync();
        await using var second = new LslOutlet(info, Loopback.OutletOptions());
        var output = new CollectingOutput();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        var run = source.RunAsync(output, stop.Token);
        Assert.True(await second.WaitForConsumersAsync(TimeSpan.FromSeconds(40), token), "the source did not reconnect to the restarted outlet within 40 s");
        second.PushSample([17], LslClock.Now);
        while (output.Count < 1)
        {
            await Task.Delay(10, token);
        }

        await stop.CancelAsync();
        await run;
        Assert.Equal(17.0, output.Values[0]);
        Assert.Contains(output.Errors, e => e.Contains("first connection failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NoMatchingStreamListsWhatIsVisible()
    {
        var token = Loopback.Timeout();
        await using var outlet = new LslOutlet(Loopback.Stream("visible-one", ChannelFormat.Int8, 3, 10), Loopback.OutletOptions());
        var ex = await Assert.ThrowsAsync<LslStreamNotFoundException>(() => LslSource.ResolveAsync(new LslSourceOptions { Query = "type='ECoG'", ResolveTimeout = 0.6, Config = Loopback.Config }, token));
        Assert.Contains("no LSL stream matches \"type='ECoG'\"", ex.Message, StringComparison.Ordinal);
        Assert.Contains("visible-one", ex.Message, StringComparison.Ordinal);
        Assert.Contains(ex.Visible, s => s.Uid == outlet.Info.Uid);
    }

    [Fact]
    public async Task SinkPublishesGraphWeightsAndMarkers()
    {
        var token = Loopback.Timeout();
        await using var sink = new LslSink(new LslSinkOptions { Name = "cs-test", Config = Loopback.Config });
        CausalEdge Edge(int s, int t, double w) => new(s, t, w, 1, 1, 1, 0.5, 0.5, false, [], []);
        var graph = new CausalGraph("lfp", 0, 1, 100, 90, 0, ["a", "b", "c"], "granger", 2, "fdr", 0.05, false, 1, [Edge(0, 1, 0.5), Edge(2, 0, 1.25), Edge(1, 2, -0.75)]);
        await sink.ConsumeAsync(graph, token);
        var outlet = sink.GraphOutlets["lfp"];
        Assert.Equal("cs-test-graph-lfp", outlet.Info.Name);
        await using var inlet = new LslInlet(Loopback.Resolved(outlet), Loopback.InletOptions());
        var full = await inlet.GetFullInfoAsync(token);
        Assert.Equal(["a->b", "a->c", "b->a", "b->c", "c->a", "c->b"], full.ChannelLabels);
        await inlet.OpenAsync(token);
        await outlet.WaitForConsumersAsync(TimeSpan.FromSeconds(5), token);
        await sink.ConsumeAsync(graph with { Sequence = 2 }, token);
        var (values, _) = await Loopback.ReadAsync(inlet, 1, token);
        Assert.Equal(0.5, values[0]);
        Assert.True(double.IsNaN(values[1]));
        Assert.Equal(-0.75, values[3]);
        Assert.Equal(1.25, values[4]);

        var markers = sink.EnsureMarkerOutlet();
        await using var markerInlet = new LslInlet(Loopback.Resolved(markers), Loopback.InletOptions());
        await markerInlet.OpenAsync(token);
        await markers.WaitForConsumersAsync(TimeSpan.FromSeconds(5), token);
        sink.PublishStimulation(new StimulationCommand(3, 1.5, 0.002, 12.5, "rule-1"));
        var sample = await markerInlet.ReadStringSampleAsync(token);
        Assert.Equal("stim channel=3 amplitude=1.5 duration=0.002 issued=12.5 reason=rule-1", sample!.Values[0]);
        await sink.ConsumeAsync(new WindowSummary("lfp", 0, 1, 10, 1, [0.0], [1.0]), token);
        await sink.FlushAsync(token);
    }

    [Fact]
    public async Task PublishingOutputRebasesSourceTimeOntoTheLslClock()
    {
        var token = Loopback.Timeout();
        var stream = new StreamInfo("pub", "LFP", "sim", 2, 100, ChannelFormat.Double64);
        await using var publish = new LslPublishingOutput(Loopback.Config);
        var outlet = publish.Open(stream);
        await using var inlet = new LslInlet(Loopback.Resolved(outlet), Loopback.InletOptions());
        await inlet.OpenAsync(token);
        await outlet.WaitForConsumersAsync(TimeSpan.FromSeconds(5), token);
        double before = LslClock.Now;
        var chunk = SampleChunk.Rent(stream, 3);
        chunk.Timestamps[0] = 0;
        chunk.Timestamps[1] = 0.01;
        chunk.Timestamps[2] = 0.02;
        chunk.Values.Fill(7);
        await publish.WriteAsync(chunk, token);
        var (values, stamps) = await Loopback.ReadAsync(inlet, 3, token);
        Assert.All(values, v => Assert.Equal(7.0, v));
        Assert.InRange(stamps[0] - before, 0, 0.5);
        Assert.Equal(0.01, stamps[1] - stamps[0], 9);
    }
}
