using CausalStream.Core.Streams;
using CausalStream.Lsl.Info;
using CausalStream.Lsl.Inlet;

namespace CausalStream.Lsl.Tests.Inlet;

/// <summary>Our inlet against the exact bytes real liblsl 1.17.7 outlets sent (replayed by a fake server on 127.0.0.1).</summary>
public class LslInletTraceReplayTests
{
    [Theory]
    [InlineData("feed_float32", ChannelFormat.Float32, 8, 128, 1000, 20, "25c2ed55-d896-4f26-b6d6-05a77051b1f0")]
    [InlineData("feed_double64", ChannelFormat.Double64, 3, 256, 2000, 10, "10a1a914-5901-42f9-96da-6c1932d15004")]
    [InlineData("feed_int16", ChannelFormat.Int16, 4, 256, 3000, 10, "97e4b4d5-f829-4e4c-b575-792ca2581cf9")]
    [InlineData("feed_int32", ChannelFormat.Int32, 2, 64, 5000, 5, "b874bf7d-5b0e-42d3-9604-3d93b939d880")]
    [InlineData("feed_float32_chunked", ChannelFormat.Float32, 2, 128, 6000, 8, "1eda7ca9-70b1-453c-b6af-da657c0f812a")]
    public async Task InletReadsRecordedLiblslFeeds(string trace, ChannelFormat format, int channels, double srate, double t0, int count, string uid)
    {
        await using var server = new ScriptedFeedServer((TraceFixture.Bytes(trace + "_response.bin"), false));
        var info = new LslStreamInfo { Name = trace, ChannelCount = channels, Format = format, NominalSrate = srate, Uid = uid, V4Address = "127.0.0.1", V4DataPort = server.Port };
        await using var inlet = new LslInlet(info, Loopback.InletOptions());
        var token = Loopback.Timeout();
        await inlet.OpenAsync(token);
        var (values, stamps) = await Loopback.ReadAsync(inlet, count, token);
        Assert.Equal(Enumerable.Range(0, count).Select(k => t0 + (k * (1.0 / srate))), stamps);
        for (int k = 0; k < count; k++)
        {
            for (int c = 0; c < channels; c++)
            {
                Assert.Equal((c * 1000) + k, values[(k * channels) + c]);
            }
        }
    }

    [Fact]
    public async Task InletReadsTheRecordedStringFeed()
    {
        await using var server = new ScriptedFeedServer((TraceFixture.Bytes("feed_string_response.bin"), false));
        var info = new LslStreamInfo { Name = "CS-Str", ChannelCount = 2, Format = ChannelFormat.String, Uid = "1c9ad4ea-88ea-4170-8fa5-6b8d47a196f5", V4Address = "127.0.0.1", V4DataPort = server.Port };
        await using var inlet = new LslInlet(info, Loopback.InletOptions());
        var token = Loopback.Timeout();
        for (int k = 0; k < 5; k++)
        {
            var sample = await inlet.ReadStringSampleAsync(token);
            Assert.Equal(4000 + (k * 0.1), sample!.Timestamp);
            Assert.Equal([$"s{k}", $"s{k}c1"], sample.Values);
        }
    }

    [Fact]
    public async Task InletReadsTheRecordedLegacyFeed()
    {
        await using var server = new ScriptedFeedServer((TraceFixture.Bytes("feed_p100_float32_response.bin"), false));
        var info = new LslStreamInfo { Name = "CS-P100", ChannelCount = 2, Format = ChannelFormat.Float32, NominalSrate = 128, Uid = "40ddfd01-951b-41a6-83a0-3947adbf138b", Version = 100, V4Address = "127.0.0.1", V4DataPort = server.Port };
        await using var inlet = new LslInlet(info, Loopback.InletOptions());
        var token = Loopback.Timeout();
        await inlet.OpenAsync(token);
        Assert.Equal(100, inlet.DataProtocolVersion);
        var (values, stamps) = await Loopback.ReadAsync(inlet, 4, token);
        Assert.Equal([7000, 7000 + (1 / 128.0), 7000 + (2 / 128.0), 7000 + (3 / 128.0)], stamps);
        Assert.Equal([0.0, 1000, 1, 1001, 2, 1002, 3, 1003], values);
    }

    [Fact]
    public async Task InletReadsTheRecordedBigEndianFeed()
    {
        await using var server = new ScriptedFeedServer((TraceFixture.Bytes("feed_float32_bigendian_response.bin").AsSpan(0, 199).ToArray(), false));
        var info = new LslStreamInfo { Name = "CS-Probe", ChannelCount = 2, Format = ChannelFormat.Float32, NominalSrate = 128, Uid = "12f78c5c-4862-426f-bfc3-ec6844fa8a14", V4Address = "127.0.0.1", V4DataPort = server.Port };
        await using var inlet = new LslInlet(info, Loopback.InletOptions() with { RequestedByteOrder = 4321 });
        var token = Loopback.Timeout();
        var (values, stamps) = await Loopback.ReadAsync(inlet, 2, token);
        Assert.Equal([8000.21875, 8000.2265625], stamps);
        Assert.Equal([28.0, 1028, 29, 1029], values);
    }
}
