using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CausalStream.Core.Stimulation;
using CausalStream.Dashboard.Tests.Support;
using Xunit.Abstractions;

namespace CausalStream.Dashboard.Tests;

public sealed class DashboardSinkTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_stalled_client_neither_delays_the_sink_nor_starves_another_client()
    {
        const int capacity = 128;
        const int graphs = 1500;
        await using var dashboard = await DashboardFixture.StartAsync(capacityPerClient: capacity);
        var sink = dashboard.Sink;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        // The stalled browser: asks for the feed with a tiny receive buffer and never reads a byte.
        using var stalled = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 1024 };
        await stalled.ConnectAsync(new IPEndPoint(IPAddress.Loopback, dashboard.Address.Port), stop.Token);
        await stalled.SendAsync(Encoding.ASCII.GetBytes($"GET /events HTTP/1.1\r\nHost: 127.0.0.1:{dashboard.Address.Port}\r\n\r\n"), stop.Token);
        string stalledRemote = $"127.0.0.1:{((IPEndPoint)stalled.LocalEndPoint!).Port}";

        // A healthy browser that reads everything.
        var received = new List<long>();
        var lastSequence = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var response = await dashboard.Http.GetAsync("/events", HttpCompletionOption.ResponseHeadersRead, stop.Token);
        var reader = Task.Run(async () =>
        {
            using var feed = new SseReader(await response.Content.ReadAsStreamAsync(stop.Token));
            while (await feed.NextAsync(stop.Token) is { } message)
            {
                if (message.GetProperty("type").GetString() == "graph")
                {
                    long sequence = message.GetProperty("sequence").GetInt64();
                    lock (received)
                    {
                        received.Add(sequence);
                    }

                    if (sequence == graphs)
                    {
                        lastSequence.TrySetResult();
                        return;
                    }
                }
            }
        });

        var wait = Stopwatch.StartNew();
        while (sink.ClientCount < 2)
        {
            Assert.True(wait.Elapsed < TimeSpan.FromSeconds(10), "both clients should connect");
            await Task.Delay(10, stop.Token);
        }

        // Graphs of 8 channels (56 edges, about 20 KB each) fill the stalled socket within the first few hundred.
        var results = new CausalStream.Core.Streams.CausalGraph[graphs];
        for (int i = 0; i < graphs; i++)
        {
            results[i] = TestResults.Graph(i + 1, channels: 8);
        }

        var durations = new double[graphs];
        long droppedMidway = -1;
        var total = Stopwatch.StartNew();
        for (int i = 0; i < graphs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            var pending = sink.ConsumeAsync(results[i], stop.Token);
            Assert.True(pending.IsCompleted, "ConsumeAsync must complete synchronously: it only queues");
            await pending;
            durations[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (i == graphs / 2)
            {
                droppedMidway = StalledDropped(sink, stalledRemote);
            }

            if (i % 20 == 0)
            {
                await Task.Delay(1, stop.Token);
            }
        }

        total.Stop();
        long droppedAtEnd = StalledDropped(sink, stalledRemote);

        Array.Sort(durations);
        double p99 = durations[(int)(graphs * 0.99)];
        double max = durations[^1];
        output.WriteLine($"ConsumeAsync over {graphs} graphs: median {durations[graphs / 2]:F3} ms, p90 {durations[(int)(graphs * 0.9)]:F3} ms, p99 {p99:F3} ms, max {max:F3} ms; total {total.Elapsed.TotalMilliseconds:F0} ms; stalled drops {droppedMidway} → {droppedAtEnd}");
        // Every call completed synchronously (asserted above): the sink only encodes and queues. Encoding is CPU
        // work shared with the reader and Kestrel on a small, possibly busy machine, so the bounds are loose; a
        // sink that waited for the stalled socket would instead block for seconds (until Kestrel's minimum data
        // rate grace period ends).
        Assert.True(durations[graphs / 2] < 5, $"ConsumeAsync median {durations[graphs / 2]:F2} ms");
        Assert.True(p99 < 100, $"ConsumeAsync p99 {p99:F2} ms");
        Assert.True(max < 1000, $"slowest ConsumeAsync took {max:F1} ms");

        // The stalled client's queue overflowed, and kept overflowing: drop-oldest, counted.
        Assert.True(droppedMidway > 0, $"stalled client dropped {droppedMidway} by mid-run");
        Assert.True(droppedAtEnd > droppedMidway, $"stalled client drops should grow ({droppedMidway} → {droppedAtEnd})");
        Assert.True(sink.DroppedTotal >= droppedAtEnd);

        // The healthy client gets the newest events without gaps.
        await lastSequence.Task.WaitAsync(TimeSpan.FromSeconds(30), stop.Token);
        long[] got;
        lock (received)
        {
            got = received.ToArray();
        }

        Assert.Equal(graphs, got[^1]);
        var recent = new HashSet<long>(got);
        for (long s = graphs - 100 + 1; s <= graphs; s++)
        {
            Assert.Contains(s, recent);
        }

        await stop.CancelAsync();
        await reader.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    [Fact]
    public async Task Consuming_with_no_clients_and_after_disposal_is_harmless()
    {
        var sink = new DashboardSink(new DashboardOptions { Url = "http://127.0.0.1:0" });
        await sink.ConsumeAsync(TestResults.Graph(1), default);
        await sink.ConsumeAsync(TestResults.Decision(StimulationOutcome.Fired), default);
        Assert.Equal(2, sink.Published);
        await sink.DisposeAsync();
        await sink.ConsumeAsync(TestResults.Status(1), default);
        await sink.FlushAsync(default);
    }

    [Fact]
    public async Task A_taken_port_gives_a_clear_error()
    {
        await using var first = await DashboardFixture.StartAsync();
        await using var second = new DashboardSink(new DashboardOptions { Url = first.Address.ToString() });
        var error = await Assert.ThrowsAsync<IOException>(() => second.StartAsync());
        Assert.Contains("cannot listen on", error.Message, StringComparison.Ordinal);
    }

    private static long StalledDropped(DashboardSink sink, string remote)
    {
        foreach (var client in sink.Clients)
        {
            if (client.Remote == remote)
            {
                return client.Dropped;
            }
        }

        return -1;
    }
}
