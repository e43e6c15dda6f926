using System.Text;
using CausalStream.Core.Streams;
using CausalStream.Lsl.Info;
using CausalStream.Lsl.Inlet;
using CausalStream.Lsl.Outlet;
using CausalStream.Lsl.Protocol;

namespace CausalStream.Lsl.Tests.Inlet;

public class LslInletBadInputTests
{
    private const string Uid = "0f0f0f0f-1111-4222-8333-444444444444";

    private static LslStreamInfo FakeStream(int port, ChannelFormat format = ChannelFormat.Float32, int channels = 2, int version = 110)
        => new()
        {
            Name = "fake-" + format,
            Type = "EEG",
            ChannelCount = channels,
            Format = format,
            NominalSrate = 100,
            Uid = Uid,
            Version = version,
            V4Address = "127.0.0.1",
            V4DataPort = port,
        };

    private static byte[] GoodFeed(ChannelFormat format, int channels, int samples, Action<LslByteBuffer>? corrupt = null)
    {
        using var buffer = new LslByteBuffer();
        buffer.Write(Encoding.ASCII.GetBytes(new LslFeedResponse { Uid = Uid }.Write()));
        Protocol.LslTraceCodecTests.WriteTestPatterns(buffer, format, channels, bigEndian: false);
        if (corrupt is not null)
        {
            corrupt(buffer);
        }
        else
        {
            for (int k = 0; k < samples; k++)
            {
                if (format == ChannelFormat.String)
                {
                    LslSampleEncoder.WriteStrings(buffer, Enumerable.Repeat("m" + k, channels).ToArray(), 100 + k, false, false);
                }
                else
                {
                    LslSampleEncoder.WriteNumeric(buffer, format, Enumerable.Repeat((double)k, channels).ToArray(), 100 + k, false, false);
                }
            }
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static async Task<(List<LslInletEvent> Events, List<double> Stamps)> RunAsync(ScriptedFeedServer server, ChannelFormat format = ChannelFormat.Float32, int channels = 2, int expected = 5, int version = 110)
    {
        var token = Loopback.Timeout();
        var events = new List<LslInletEvent>();
        await using var inlet = new LslInlet(FakeStream(server.Port, format, channels, version), Loopback.InletOptions(e => { lock (events) { events.Add(e); } }));
        var stamps = new List<double>();
        while (stamps.Count < expected)
        {
            if (format == ChannelFormat.String)
            {
                var sample = await inlet.ReadStringSampleAsync(token);
                stamps.Add(sample!.Timestamp);
            }
            else
            {
                using var chunk = await inlet.ReadChunkAsync(100, token);
                stamps.AddRange(chunk!.Timestamps.ToArray());
            }
        }

        lock (events)
        {
            return ([.. events], stamps);
        }
    }

    private static LslProtocolException SingleError(List<LslInletEvent> events)
    {
        var error = Assert.Single(events, e => e.Kind == LslInletEventKind.ProtocolError);
        return Assert.IsType<LslProtocolException>(error.Error);
    }

    [Fact]
    public async Task TruncatedSampleIsReportedAndTheConnectionRetried()
    {
        byte[] good = GoodFeed(ChannelFormat.Float32, 2, 5);
        byte[] truncated = GoodFeed(ChannelFormat.Float32, 2, 0, b => b.Write(new byte[] { 2, 0, 0, 0, 0, 0, 0, 89, 64, 0, 0 }));
        await using var server = new ScriptedFeedServer((truncated, true), (good, false));
        var (events, stamps) = await RunAsync(server);
        var error = SingleError(events);
        Assert.Equal("fake-Float32", error.Stream);
        Assert.Equal(131 + (2 * 17), error.ByteOffset);
        Assert.Contains("truncated sample", error.Message, StringComparison.Ordinal);
        Assert.Contains("at byte 165", error.Message, StringComparison.Ordinal);
        Assert.Equal([100.0, 101, 102, 103, 104], stamps);
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public async Task UnknownTagByteIsReportedWithItsOffset()
    {
        byte[] bad = GoodFeed(ChannelFormat.Float32, 2, 0, b =>
        {
            LslSampleEncoder.WriteNumeric(b, ChannelFormat.Float32, [1, 2], 99, false, false);
            b.Write(new byte[] { 7, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 });
        });
        await using var server = new ScriptedFeedServer((bad, false), (GoodFeed(ChannelFormat.Float32, 2, 5), false));
        var (events, stamps) = await RunAsync(server, expected: 6);
        var error = SingleError(events);
        Assert.Equal(131 + (3 * 17), error.ByteOffset);
        Assert.Contains("unknown sample tag byte 0x07", error.Message, StringComparison.Ordinal);
        Assert.Equal([99.0, 100, 101, 102, 103, 104], stamps);
    }

    [Fact]
    public async Task WrongTestPatternIsRejected()
    {
        byte[] wrong = GoodFeed(ChannelFormat.Float32, 2, 5);
        wrong[131 + 9] ^= 0x40; // first value of the first test sample
        await using var server = new ScriptedFeedServer((wrong, true), (GoodFeed(ChannelFormat.Float32, 2, 5), false));
        var (events, stamps) = await RunAsync(server);
        var error = SingleError(events);
        Assert.Equal(131, error.ByteOffset);
        Assert.Contains("wrong test pattern", error.Message, StringComparison.Ordinal);
        Assert.Contains("fake-Float32", error.Message, StringComparison.Ordinal);
        Assert.Equal(5, stamps.Count);
    }

    [Fact]
    public async Task OversizedStringLengthIsRejected()
    {
        byte[] bad = GoodFeed(ChannelFormat.String, 1, 0, b => b.Write(new byte[] { 2, 0, 0, 0, 0, 0, 0, 89, 64, 4, 0xff, 0xff, 0xff, 0x7f }));
        await using var server = new ScriptedFeedServer((bad, false), (GoodFeed(ChannelFormat.String, 1, 5), false));
        var (events, stamps) = await RunAsync(server, ChannelFormat.String, 1);
        var error = SingleError(events);
        Assert.Equal(131 + (2 * 13) + 9, error.ByteOffset);
        Assert.Contains("claims 2147483647 bytes", error.Message, StringComparison.Ordinal);
        Assert.Equal([100.0, 101, 102, 103, 104], stamps);
    }

    [Fact]
    public async Task HostileXmlInALegacyFeedIsRefused()
    {
        using var buffer = new LslByteBuffer();
        LslPortableArchive.WriteFeedHeader(buffer, "<?xml version=\"1.0\"?><!DOCTYPE info [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><info><name>&b;</name></info>");
        using var good = new LslByteBuffer();
        var info = FakeStream(0, version: 100);
        LslPortableArchive.WriteFeedHeader(good, LslInfoXml.WriteShortInfo(info));
        for (int o = 4; o >= 2; o -= 2)
        {
            var pattern = new double[2];
            LslTestPattern.Fill(ChannelFormat.Float32, o, pattern);
            LslSampleEncoder.WriteLegacyNumeric(good, ChannelFormat.Float32, pattern, LslTestPattern.Timestamp, false);
        }

        for (int k = 0; k < 5; k++)
        {
            LslSampleEncoder.WriteLegacyNumeric(good, ChannelFormat.Float32, [k, k], 100 + k, false);
        }

        await using var server = new ScriptedFeedServer((buffer.WrittenSpan.ToArray(), true), (good.WrittenSpan.ToArray(), false));
        var (events, stamps) = await RunAsync(server, version: 100);
        var error = SingleError(events);
        Assert.Contains("DTD", error.Message, StringComparison.Ordinal);
        Assert.Contains("fake-Float32", error.Message, StringComparison.Ordinal);
        Assert.True(error.ByteOffset >= 5, error.Message);
        Assert.Equal([100.0, 101, 102, 103, 104], stamps);
    }

    [Fact]
    public async Task HostileFullInfoIsRefused()
    {
        byte[] hostile = Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?>\n<!DOCTYPE info [<!ENTITY a \"aaaa\">]>\n<info><name>&a;</name></info>\n");
        await using var server = new ScriptedFeedServer((hostile, true));
        await using var inlet = new LslInlet(FakeStream(server.Port), Loopback.InletOptions());
        var ex = await Assert.ThrowsAsync<LslProtocolException>(() => inlet.GetFullInfoAsync(Loopback.Timeout()));
        Assert.Contains("DTD", ex.Message, StringComparison.Ordinal);
        Assert.Equal("fake-Float32", ex.Stream);
    }

    [Fact]
    public async Task ErrorStatusRepliesAreReported()
    {
        await using var server = new ScriptedFeedServer((Encoding.ASCII.GetBytes("LSL/110 404 Not found"), true), (GoodFeed(ChannelFormat.Float32, 2, 5), false));
        var (events, stamps) = await RunAsync(server);
        Assert.Contains("404 Not found", SingleError(events).Message, StringComparison.Ordinal);
        Assert.Equal(5, stamps.Count);
    }

    [Fact]
    public async Task AnOutletThatIgnoresTheVersionedRequestIsReadWithProtocol100()
    {
        using var legacy = new LslByteBuffer();
        LslPortableArchive.WriteFeedHeader(legacy, LslInfoXml.WriteShortInfo(FakeStream(0)));
        for (int o = 4; o >= 2; o -= 2)
        {
            var pattern = new double[2];
            LslTestPattern.Fill(ChannelFormat.Float32, o, pattern);
            LslSampleEncoder.WriteLegacyNumeric(legacy, ChannelFormat.Float32, pattern, LslTestPattern.Timestamp, false);
        }

        for (int k = 0; k < 5; k++)
        {
            LslSampleEncoder.WriteLegacyNumeric(legacy, ChannelFormat.Float32, [k, -k], 100 + k, k > 0);
        }

        await using var server = new ScriptedFeedServer(([], true), (legacy.WrittenSpan.ToArray(), false));
        var token = Loopback.Timeout();
        await using var inlet = new LslInlet(FakeStream(server.Port), Loopback.InletOptions());
        await inlet.OpenAsync(token);
        Assert.Equal(100, inlet.DataProtocolVersion);
        var (values, stamps) = await Loopback.ReadAsync(inlet, 5, token);
        Assert.Equal([100.0, 100.01, 100.02, 100.03, 100.04], stamps.Select(s => Math.Round(s, 9)));
        Assert.Equal(-4.0, values[9]);
    }

    [Fact]
    public async Task ABrokenStreamDoesNotDisturbAHealthyOne()
    {
        var token = Loopback.Timeout();
        await using var outlet = new LslOutlet(Loopback.Stream("healthy", ChannelFormat.Float32, 2, 100), Loopback.OutletOptions());
        await using var healthy = new LslInlet(Loopback.Resolved(outlet), Loopback.InletOptions());
        await healthy.OpenAsync(token);
        await outlet.WaitForConsumersAsync(TimeSpan.FromSeconds(5), token);
        byte[] bad = GoodFeed(ChannelFormat.Float32, 2, 0, b => b.Write(new byte[] { 9, 9, 9 }));
        await using var server = new ScriptedFeedServer((bad, true), (GoodFeed(ChannelFormat.Float32, 2, 5), false));
        var broken = RunAsync(server);
        for (int k = 0; k < 50; k++)
        {
            outlet.PushSample([k, k], 1 + k);
        }

        var (_, stamps) = await Loopback.ReadAsync(healthy, 50, token);
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (double)i), stamps);
        Assert.Equal(0, healthy.ProtocolErrors);
        var (events, _) = await broken;
        Assert.Single(events, e => e.Kind == LslInletEventKind.ProtocolError);
    }
}
