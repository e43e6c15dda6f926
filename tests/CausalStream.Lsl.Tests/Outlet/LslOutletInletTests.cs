using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CausalStream.Core.Streams;
using CausalStream.Lsl.Configuration;
using CausalStream.Lsl.Inlet;
using CausalStream.Lsl.Outlet;
using CausalStream.Lsl.Protocol;

namespace CausalStream.Lsl.Tests.Outlet;

public class LslOutletInletTests
{
    public static TheoryData<ChannelFormat, int, int> FormatsAndProtocols()
    {
        var data = new TheoryData<ChannelFormat, int, int>();
        foreach (var format in Enum.GetValues<ChannelFormat>())
        {
            data.Add(format, 110, 1234);
            data.Add(format, 110, 4321);
            data.Add(format, 100, 1234);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FormatsAndProtocols))]
    public async Task EveryFormatRoundTripsInBothProtocolsAndByteOrders(ChannelFormat format, int protocol, int byteOrder)
    {
        var token = Loopback.Timeout();
        await using var outlet = new LslOutlet(Loopback.Stream("rt-" + format, format, 3, 250), Loopback.OutletOptions());
        var options = Loopback.InletOptions() with { Config = Loopback.Config with { UseProtocolVersion = protocol }, RequestedByteOrder = byteOrder };
        await using var inlet = new LslInlet(Loopback.Resolved(outlet), options);
        await inlet.OpenAsync(token);
        Assert.Equal(protocol, inlet.DataProtocolVersion);
        Assert.True(await outlet.WaitForConsumersAsync(TimeSpan.FromSeconds(5), token));
        const int count = 40;
        if (format == ChannelFormat.String)
        {
            for (int k = 0; k < count; k++)
            {
                outlet.PushStrings([$"s{k}", $"é{k}c1", k == 7 ? new string('x', 300) : string.Empty], 1000 + k);
            }

            for (int k = 0; k < count; k++)
            {
                var sample = await inlet.ReadStringSampleAsync(token);
                Assert.NotNull(sample);
                Assert.Equal(1000 + k, sample.Timestamp);
                Assert.Equal([$"s{k}", $"é{k}c1", k == 7 ? new string('x', 300) : string.Empty], sample.Values);
            }

            return;
        }

        double Value(int k, int c) => format switch
        {
            ChannelFormat.Float32 => (k * 0.5f) - (c * 1000.25f),
            ChannelFormat.Double64 => (k * Math.PI) - (c * 1e10),
            ChannelFormat.Int8 => (k * 3) - 100 + c,
            ChannelFormat.Int16 => (k * 700) - 30000 + c,
            ChannelFormat.Int32 => (k * 50_000_000) - 2_000_000_000 + c,
            _ => (k * 1_000_000_007L) - 5_000_000_000L + c,
        };

        for (int k = 0; k < count; k++)
        {
            outlet.PushSample([Value(k, 0), Value(k, 1), Value(k, 2)], 2000 + (k / 250.0));
        }

        var (values, stamps) = await Loopback.ReadAsync(inlet, count, token);
        Assert.Equal(count, stamps.Count);
        for (int k = 0; k < count; k++)
        {
            Assert.Equal(2000 + (k / 250.0), stamps[k]);
            for (int c = 0; c < 3; c++)
            {
                Assert.Equal(Value(k, c), values[(k * 3) + c]);
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(17)]
    [InlineData(100)]
    [InlineData(999)]
    [InlineData(1000)]
    public async Task ChunksOfAnySizeArriveInOrder(int chunkSize)
    {
        var token = Loopback.Timeout(20);
        const int channels = 8;
        await using var outlet = new LslOutlet(Loopback.Stream("chunks", ChannelFormat.Float32, channels, 1000), Loopback.OutletOptions());
        await using var inlet = new LslInlet(Loopback.Resolved(outlet), Loopback.InletOptions());
        await inlet.OpenAsync(token);
        await outlet.WaitForConsumersAsync(TimeSpan.FromSeconds(5), token);
        int total = Math.Max(2000, chunkSize * 3);
        var values = new double[chunkSize * channels];
        var stamps = new double[chunkSize];
        for (int first = 0; first < total; first += chunkSize)
        {
            int n = Math.Min(chunkSize, total - first);
            for (int i = 0; i < n; i++)
            {
                stamps[i] = 10 + ((first + i) / 1000.0);
                for (int c = 0; c < channels; c++)
                {
                    values[(i * channels) + c] = first + i + (c * 0.25);
                }
            }

            outlet.PushChunk(values.AsSpan(0, n * channels), stamps.AsSpan(0, n));
        }

        var (got, times) = await Loopback.ReadAsync(inlet, total, token, maxChunk: Math.Max(1, chunkSize));
        Assert.Equal(total, times.Count);
        for (int k = 0; k < total; k++)
        {
            Assert.Equal(10 + (k / 1000.0), times[k]);
            Assert.Equal(k + 0.75, got[(k * channels) + 3]);
        }
    }

    [Fact]
    public async Task SingleTimestampChunksSendDeducedTimestamps()
    {
        var token = Loopback.Timeout();
        await using var outlet = new LslOutlet(Loopback.Stream("deduced", ChannelFormat.Float32, 2, 128), Loopback.OutletOptions());
        await using var inlet = new LslInlet(Loopback.Resolved(outlet), Loopback.InletOptions());
        await inlet.OpenAsync(token);
        await outlet.WaitForConsumersAsync(TimeSpan.FromSeconds(5), token);
        outlet.PushChunk([0, 1000, 1, 1001, 2, 1002, 3, 1003], 6000 + (3 / 128.0));
        var (values, stamps) = await Loopback.ReadAsync(inlet, 4, token);
        Assert.Equal([6000, 6000 + (1 / 128.0), 6000 + (2 / 128.0), 6000 + (3 / 128.0)], stamps);
        Assert.Equal([0.0, 1000, 1, 1001, 2, 1002, 3, 1003], values);
    }

    [Fact]
    public async Task SeveralInletsReceiveEverySample()
    {
        var token = Loopback.Timeout();
        await using var outlet = new LslOutlet(Loopback.Stream("multi", ChannelFormat.Int16, 4, 500), Loopback.OutletOptions());
        var inlets = new List<LslInlet>();
        try
        {
            for (int i = 0; i < 4; i++)
            {
                var options = Loopback.InletOptions() with { RequestedByteOrder = i == 3 ? 4321 : 1234, Config = Loopback.Config with { UseProtocolVersion = i == 2 ? 100 : 110 } };
                var inlet = new LslInlet(Loopback.Resolved(outlet), options);
                await inlet.OpenAsync(token);
                inlets.Add(inlet);
            }

            while (outlet.ConsumerCount < 4)
            {
                await Task.Delay(5, token);
            }

            for (int k = 0; k < 500; k++)
            {
                outlet.PushSample([k, -k, k * 2, 7], 1 + (k * 0.002));
            }

            var reads = inlets.Select(inlet => Loopback.ReadAsync(inlet, 500, token)).ToArray();
            foreach (var read in reads)
            {
                var (values, stamps) = await read;
                Assert.Equal(500, stamps.Count);
                Assert.Equal(499.0, values[499 * 4]);
                Assert.Equal(-499.0, values[(499 * 4) + 1]);
            }
        }
        finally
        {
            foreach (var inlet in inlets)
            {
                await inlet.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task AStalledInletDoesNotSlowTheOthers()
    {
        var token = Loopback.Timeout(30);
        const int channels = 64;
        await using var outlet = new LslOutlet(Loopback.Stream("stall", ChannelFormat.Float32, channels, 1000), Loopback.OutletOptions());

        // The stalled consumer: a raw connection that completes the handshake and then never reads.
        using var stalled = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        stalled.ReceiveBufferSize = 4096;
        await stalled.ConnectAsync(new IPEndPoint(IPAddress.Loopback, outlet.DataPort), token);
        await stalled.SendAsync(Encoding.ASCII.GetBytes(new LslFeedRequest { Uid = outlet.Info.Uid, ValueSize = 4, MaxBufferLength = 1000 }.Write()), SocketFlags.None, token);

        await using var reader = new LslInlet(Loopback.Resolved(outlet), Loopback.InletOptions());
        await reader.OpenAsync(token);
        while (outlet.ConsumerCount < 2)
        {
            await Task.Delay(5, token);
        }

        const int total = 20000;
        var sample = new double[channels * 100];
        var stamps = new double[100];
        var readTask = Loopback.ReadAsync(reader, total, token);
        var slowestPush = TimeSpan.Zero;
        for (int first = 0; first < total; first += 100)
        {
            for (int i = 0; i < 100; i++)
            {
                stamps[i] = 1 + first + i;
                sample[i * channels] = first + i;
            }

            var watch = Stopwatch.StartNew();
            outlet.PushChunk(sample, stamps);
            slowestPush = watch.Elapsed > slowestPush ? watch.Elapsed : slowestPush;
            if (first % 2000 == 0)
            {
                await Task.Delay(1, token);
            }
        }

        var (values, times) = await readTask;
        Assert.Equal(total, times.Count);
        for (int k = 0; k < total; k++)
        {
            Assert.Equal(1 + k, times[k]);
            Assert.Equal(k, values[k * channels]);
        }

        Assert.True(slowestPush < TimeSpan.FromMilliseconds(200), $"a push took {slowestPush.TotalMilliseconds} ms");
        Assert.True(outlet.SamplesDropped > 0, "the stalled consumer's queue should have dropped its oldest samples");
    }

    [Fact]
    public async Task FullInfoCarriesTheChannelDescription()
    {
        var token = Loopback.Timeout();
        var stream = new StreamInfo("described", "EEG", "amp-1", 2, 500, ChannelFormat.Float32, ["C3", "C4"], ["uV", "uV"]);
        await using var outlet = new LslOutlet(stream, Loopback.OutletOptions());
        Assert.Equal("test", outlet.Info.Hostname);
        Assert.InRange(outlet.DataPort, 16572, 16603);
        Assert.InRange(outlet.ServicePort, 16572, 16603);
        await using var inlet = new LslInlet(Loopback.Resolved(outlet), Loopback.InletOptions());
        var full = await inlet.GetFullInfoAsync(token);
        Assert.Equal(["C3", "C4"], full.ChannelLabels);
        Assert.Equal(["uV", "uV"], full.ChannelUnits);
        Assert.Equal(outlet.Info.Uid, full.Uid);
    }

    [Fact]
    public async Task OutletAnswersRawRequestsLikeLiblsl()
    {
        var token = Loopback.Timeout();
        await using var outlet = new LslOutlet(Loopback.Stream("CS-Probe", ChannelFormat.Float32, 2, 128), Loopback.OutletOptions());
        string request = TraceFixture.Text("feed_minimal_request.bin").Replace("12f78c5c-4862-426f-bfc3-ec6844fa8a14", outlet.Info.Uid, StringComparison.Ordinal);
        byte[] ok = await ExchangeAsync(outlet.DataPort, request, token, readLimit: 165);
        byte[] expectedHead = TraceFixture.Bytes("feed_minimal_response.bin").AsSpan(0, 165).ToArray();
        Assert.Equal(Encoding.ASCII.GetString(expectedHead).Replace("12f78c5c-4862-426f-bfc3-ec6844fa8a14", outlet.Info.Uid, StringComparison.Ordinal), Encoding.ASCII.GetString(ok));

        Assert.Equal(TraceFixture.Bytes("feed_error_404_response.bin"), await ExchangeAsync(outlet.DataPort, TraceFixture.Text("feed_error_404_request.bin"), token));
        Assert.Equal(TraceFixture.Bytes("feed_error_505_response.bin"), await ExchangeAsync(outlet.DataPort, TraceFixture.Text("feed_error_505_request.bin"), token));
        string nobuffer = TraceFixture.Text("feed_nobuffer_request.bin").Replace("12f78c5c-4862-426f-bfc3-ec6844fa8a14", outlet.Info.Uid, StringComparison.Ordinal);
        Assert.Equal(165, (await ExchangeAsync(outlet.DataPort, nobuffer, token)).Length);
        string shortInfo = Encoding.UTF8.GetString(await ExchangeAsync(outlet.DataPort, TraceFixture.Text("tcp_shortinfo_request.bin"), token));
        Assert.StartsWith("<?xml version=\"1.0\"?>\n<info>\n\t<name>CS-Probe</name>", shortInfo, StringComparison.Ordinal);
        Assert.Empty(await ExchangeAsync(outlet.DataPort, TraceFixture.Text("tcp_shortinfo_nomatch_request.bin"), token));
        Assert.Equal(Encoding.UTF8.GetString(await ExchangeAsync(outlet.DataPort, "LSL:fullinfo\r\n", token)), shortInfo);

        // Requests that are not LSL are closed without an answer; an endless first line is cut off.
        Assert.Empty(await ExchangeAsync(outlet.DataPort, "GET / HTTP/1.0\r\n\r\n", token));
        Assert.Empty(await ExchangeAsync(outlet.DataPort, new string('x', 10_000), token));
        Assert.True(outlet.ConnectionErrors >= 1);
        Assert.Equal(165, (await ExchangeAsync(outlet.DataPort, nobuffer, token)).Length);
    }

    [Fact]
    public async Task LegacyOnlyRequestGetsAnArchiveFeed()
    {
        var token = Loopback.Timeout();
        await using var outlet = new LslOutlet(Loopback.Stream("CS-P100", ChannelFormat.Float32, 2, 128), Loopback.OutletOptions());
        byte[] reply = await ExchangeAsync(outlet.DataPort, TraceFixture.Text("feed_p100_float32_request.bin"), token, readLimit: 10_000, idleMs: 300);
        Assert.Equal(LslDecodeStatus.Ok, LslPortableArchive.TryReadFeedHeader(reply, 1 << 20, out var xml, out int consumed, out _, out _));
        Assert.Equal(outlet.Info.Uid, CausalStream.Lsl.Info.LslInfoXml.Parse(xml, "test").Uid);
        byte[] patterns = TraceFixture.Bytes("feed_p100_float32_response.bin").AsSpan(649, 32).ToArray();
        Assert.Equal(patterns, reply.AsSpan(consumed, 32).ToArray());
    }

    private static async Task<byte[]> ExchangeAsync(int port, string request, CancellationToken token, int readLimit = 1 << 20, int idleMs = 2000)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), token);
        await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, token);
        var received = new List<byte>();
        var buffer = new byte[4096];
        while (received.Count < readLimit)
        {
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(token);
            idle.CancelAfter(idleMs);
            int n;
            try
            {
                n = await socket.ReceiveAsync(buffer, SocketFlags.None, idle.Token);
            }
            catch (OperationCanceledException) when (!token.IsCancellationRequested)
            {
                break;
            }

            if (n == 0)
            {
                break;
            }

            received.AddRange(buffer.AsSpan(0, n).ToArray());
        }

        return received.Take(readLimit).ToArray();
    }
}
