using System.Text;
using CausalStream.Core.Streams;
using CausalStream.Lsl.Info;
using CausalStream.Lsl.Protocol;

namespace CausalStream.Lsl.Tests.Protocol;

public class LslTraceCodecTests
{
    public static TheoryData<string, ChannelFormat, int, double, double, int, string> Feeds => new()
    {
        { "feed_float32", ChannelFormat.Float32, 8, 128, 1000, 20, "25c2ed55-d896-4f26-b6d6-05a77051b1f0" },
        { "feed_double64", ChannelFormat.Double64, 3, 256, 2000, 10, "10a1a914-5901-42f9-96da-6c1932d15004" },
        { "feed_int16", ChannelFormat.Int16, 4, 256, 3000, 10, "97e4b4d5-f829-4e4c-b575-792ca2581cf9" },
        { "feed_int32", ChannelFormat.Int32, 2, 64, 5000, 5, "b874bf7d-5b0e-42d3-9604-3d93b939d880" },
        { "feed_string", ChannelFormat.String, 2, 0, 4000, 5, "1c9ad4ea-88ea-4170-8fa5-6b8d47a196f5" },
        { "feed_float32_chunked", ChannelFormat.Float32, 2, 128, 6000, 8, "1eda7ca9-70b1-453c-b6af-da657c0f812a" },
    };

    [Theory]
    [MemberData(nameof(Feeds))]
    public void FeedTraceDecodesToTheValuesSent(string name, ChannelFormat format, int channels, double srate, double t0, int count, string uid)
    {
        var trace = new FeedTrace(TraceFixture.Bytes(name + "_response.bin"), format, channels, srate);
        Assert.Equal(131, trace.HeaderLength);
        Assert.Equal(200, trace.Header.StatusCode);
        Assert.Equal(uid, trace.Header.Uid);
        Assert.Equal(1234, trace.Header.ByteOrder);
        Assert.Equal(110, trace.Header.DataProtocolVersion);
        Assert.False(trace.Header.SuppressSubnormals);
        Assert.Equal(0, trace.TruncatedTail);
        Assert.Equal(count + 2, trace.Samples.Count);
        AssertTestPatterns(trace, format, channels);
        double dt = srate > 0 ? 1.0 / srate : 0.1;
        for (int k = 0; k < count; k++)
        {
            var sample = trace.Samples[k + 2];
            Assert.Equal(t0 + (k * dt), sample.Timestamp);
            AssertDataValues(sample.Values, format, channels, k);
        }
    }

    [Theory]
    [MemberData(nameof(Feeds))]
    public void EncodingTheSentValuesReproducesTheTraceBytes(string name, ChannelFormat format, int channels, double srate, double t0, int count, string uid)
    {
        byte[] bytes = TraceFixture.Bytes(name + "_response.bin");
        var header = new LslFeedResponse { Uid = uid }.Write();
        Assert.Equal(Encoding.ASCII.GetString(bytes, 0, 131), header);

        using var buffer = new LslByteBuffer();
        buffer.Write(Encoding.ASCII.GetBytes(header));
        WriteTestPatterns(buffer, format, channels, bigEndian: false);
        double dt = srate > 0 ? 1.0 / srate : 0.1;
        bool chunked = name.EndsWith("chunked", StringComparison.Ordinal);
        for (int k = 0; k < count; k++)
        {
            bool deduced = chunked && k % 4 != 0;
            double ts = t0 + (k * dt);
            if (format == ChannelFormat.String)
            {
                string[] values = [.. Enumerable.Range(0, channels).Select(c => c == 0 ? $"s{k}" : $"s{k}c{c}")];
                LslSampleEncoder.WriteStrings(buffer, values, ts, deduced, bigEndian: false);
            }
            else
            {
                double[] values = [.. Enumerable.Range(0, channels).Select(c => (double)((c * 1000) + k))];
                LslSampleEncoder.WriteNumeric(buffer, format, values, ts, deduced, bigEndian: false);
            }
        }

        Assert.Equal(bytes, buffer.WrittenSpan.ToArray());
    }

    [Theory]
    [InlineData("feed_float32", "25c2ed55-d896-4f26-b6d6-05a77051b1f0", 2130180.0, 4, 46080, "lslpeer-CS-F32", true)]
    [InlineData("feed_int16", "97e4b4d5-f829-4e4c-b575-792ca2581cf9", 2722050.0, 2, 92160, "lslpeer-CS-I16", false)]
    [InlineData("feed_string", "1c9ad4ea-88ea-4170-8fa5-6b8d47a196f5", 2317310.0, 32, 36000, "lslpeer-CS-Str", false)]
    [InlineData("feed_float32_chunked", "1eda7ca9-70b1-453c-b6af-da657c0f812a", 817152.0, 4, 46080, "lslpeer-CS-Chunk", true)]
    public void FeedRequestIsWrittenAsLiblslWritesIt(string name, string uid, double endian, int valueSize, int maxBuffer, string sourceId, bool subnormals)
    {
        string expected = TraceFixture.Text(name + "_request.bin");
        var request = new LslFeedRequest
        {
            Uid = uid,
            EndianPerformance = endian,
            SupportsSubnormals = subnormals,
            ValueSize = valueSize,
            MaxBufferLength = maxBuffer,
            Hostname = "vm",
            SourceId = sourceId,
            SessionId = "default",
        };
        Assert.Equal(expected, request.Write());

        string[] lines = expected.Split("\r\n");
        var parsed = LslFeedRequest.Parse(lines[0], lines[1..]);
        Assert.Equal(110, parsed.Version);
        Assert.Equal(uid, parsed.Uid);
        Assert.Equal(1234, parsed.ByteOrder);
        Assert.Equal(valueSize, parsed.ValueSize);
        Assert.Equal(maxBuffer, parsed.MaxBufferLength);
        Assert.Equal(0, parsed.MaxChunkLength);
        Assert.Equal(subnormals, parsed.SupportsSubnormals);
        Assert.Equal(Math.Floor(endian / 10) * 10, Math.Floor(parsed.EndianPerformance / 10) * 10);
    }

    [Fact]
    public void BigEndianTraceDecodesWithSwappedBytes()
    {
        var trace = new FeedTrace(TraceFixture.Bytes("feed_float32_bigendian_response.bin"), ChannelFormat.Float32, 2, 128);
        Assert.Equal(4321, trace.Header.ByteOrder);
        AssertTestPatterns(trace, ChannelFormat.Float32, 2);
        Assert.Equal(8000.21875, trace.Samples[2].Timestamp);
        Assert.Equal([28.0, 1028.0], (double[])trace.Samples[2].Values);
        Assert.Equal(8000.2265625, trace.Samples[3].Timestamp);
        Assert.Equal([29.0, 1029.0], (double[])trace.Samples[3].Values);
        Assert.Equal(200 - 199, trace.TruncatedTail);

        using var buffer = new LslByteBuffer();
        WriteTestPatterns(buffer, ChannelFormat.Float32, 2, bigEndian: true);
        LslSampleEncoder.WriteNumeric(buffer, ChannelFormat.Float32, [28, 1028], 8000.21875, false, bigEndian: true);
        Assert.Equal(TraceFixture.Bytes("feed_float32_bigendian_response.bin").AsSpan(131, 51).ToArray(), buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void MinimalAndNoBufferTracesDecode()
    {
        var minimal = new FeedTrace(TraceFixture.Bytes("feed_minimal_response.bin"), ChannelFormat.Float32, 2, 128);
        Assert.Equal(8000.0, minimal.Samples[2].Timestamp);
        Assert.Equal([1.0, 1001.0], (double[])minimal.Samples[3].Values);
        var nobuffer = new FeedTrace(TraceFixture.Bytes("feed_nobuffer_response.bin"), ChannelFormat.Float32, 2, 128);
        Assert.Equal(2, nobuffer.Samples.Count);
        Assert.Equal(0, nobuffer.TruncatedTail);
        var request = TraceFixture.Text("feed_nobuffer_request.bin").Split("\r\n");
        Assert.Equal(0, LslFeedRequest.Parse(request[0], request[1..]).MaxBufferLength);
    }

    [Fact]
    public void ErrorRepliesAreBareStatusLines()
    {
        Assert.Equal(TraceFixture.Text("feed_error_404_response.bin"), LslFeedResponse.WriteError(404, "Not found"));
        Assert.Equal(TraceFixture.Text("feed_error_505_response.bin"), LslFeedResponse.WriteError(505, "Version not supported"));
        Assert.Equal(404, LslFeedResponse.Parse(TraceFixture.Text("feed_error_404_response.bin"), []).StatusCode);
        var request505 = TraceFixture.Text("feed_error_505_request.bin").Split("\r\n");
        Assert.Equal(200, LslFeedRequest.Parse(request505[0], request505[1..]).Version);
    }

    [Fact]
    public void LegacyProtocolTraceDecodesAndReencodes()
    {
        byte[] bytes = TraceFixture.Bytes("feed_p100_float32_response.bin");
        Assert.Equal("LSL:streamfeed\r\n46080 0\r\n", TraceFixture.Text("feed_p100_float32_request.bin"));
        Assert.Equal(TraceFixture.Text("feed_p100_float32_request.bin"), new LslFeedRequest { Version = 100, MaxBufferLength = 46080 }.Write());
        Assert.Equal(46080, LslFeedRequest.ParseLegacy("46080 0").MaxBufferLength);

        var status = LslPortableArchive.TryReadFeedHeader(bytes, 1 << 20, out var xml, out int consumed, out string error, out _);
        Assert.True(status == LslDecodeStatus.Ok, error);
        Assert.Equal(649, consumed);
        var info = LslInfoXml.Parse(xml, "trace", 6);
        Assert.Equal("CS-P100", info.Name);
        Assert.Equal("40ddfd01-951b-41a6-83a0-3947adbf138b", info.Uid);

        var decoder = new LslSampleDecoder(ChannelFormat.Float32, 2, 128, bigEndian: false, legacy: true);
        int pos = consumed;
        var values = new double[2];
        var expected = new double[2];
        for (int i = 0; i < 6; i++)
        {
            Assert.Equal(LslDecodeStatus.Ok, decoder.TryDecode(bytes.AsSpan(pos), values, out double ts, out int n));
            pos += n;
            if (i < 2)
            {
                LslTestPattern.Fill(ChannelFormat.Float32, i == 0 ? 4 : 2, expected);
                Assert.Equal(LslTestPattern.Timestamp, ts);
                Assert.Equal(expected, values);
            }
            else
            {
                int k = i - 2;
                Assert.Equal(7000 + (k * (1.0 / 128)), ts);
                Assert.Equal([k, 1000 + k], values);
            }
        }

        Assert.Equal(bytes.Length, pos);

        using var buffer = new LslByteBuffer();
        LslPortableArchive.WriteFeedHeader(buffer, LslInfoXml.WriteShortInfo(info));
        for (int o = 4; o >= 2; o -= 2)
        {
            LslTestPattern.Fill(ChannelFormat.Float32, o, expected);
            LslSampleEncoder.WriteLegacyNumeric(buffer, ChannelFormat.Float32, expected, LslTestPattern.Timestamp, false);
        }

        for (int k = 0; k < 4; k++)
        {
            LslSampleEncoder.WriteLegacyNumeric(buffer, ChannelFormat.Float32, [k, 1000 + k], 7000 + (k * (1.0 / 128)), false);
        }

        Assert.Equal(bytes, buffer.WrittenSpan.ToArray());
    }

    [Theory]
    [InlineData(0L, new byte[] { 0x00 })]
    [InlineData(641L, new byte[] { 0x02, 0x81, 0x02 })]
    [InlineData(2L, new byte[] { 0x01, 0x02 })]
    [InlineData(-1L, new byte[] { 0xff, 0xff })]
    [InlineData(-200L, new byte[] { 0xff, 0x38 })]
    [InlineData(-256L, new byte[] { 0xff, 0x00 })]
    [InlineData(255L, new byte[] { 0x01, 0xff })]
    [InlineData(long.MinValue, new byte[] { 0xf8, 0, 0, 0, 0, 0, 0, 0, 0x80 })]
    public void PortableArchiveIntegers(long value, byte[] encoded)
    {
        var span = new byte[9];
        int n = LslPortableArchive.WriteSigned(span, value);
        Assert.Equal(encoded, span[..n]);
        int pos = 0;
        Assert.Equal(LslDecodeStatus.Ok, LslPortableArchive.TryRead(encoded, ref pos, signed: true, out long back));
        Assert.Equal(value, back);
        Assert.Equal(encoded.Length, pos);
    }

    [Fact]
    public void DiscoveryTracesParse()
    {
        byte[] query = TraceFixture.Bytes("discovery_query.bin");
        Assert.True(LslShortInfoQuery.TryParse(LslShortInfoQuery.SplitLines(query), out var parsed, out string error), error);
        Assert.Equal(new LslShortInfoQuery("session_id='default' and name='CS-F32'", 16575, "1535899854427601870"), parsed);
        Assert.Equal(query, parsed!.ToBytes());

        byte[] reply = TraceFixture.Bytes("discovery_response.bin");
        Assert.True(LslShortInfoQuery.TryParseReply(reply, "1535899854427601870", "trace", out var info));
        Assert.Equal("CS-F32", info!.Name);
        Assert.Equal(16573, info.V4DataPort);
        Assert.False(LslShortInfoQuery.TryParseReply(reply, "42", "trace", out _));
        Assert.Equal(reply, LslShortInfoQuery.WriteReply("1535899854427601870", LslInfoXml.WriteShortInfo(info)));

        Assert.True(LslShortInfoQuery.TryParse(LslShortInfoQuery.SplitLines(TraceFixture.Bytes("udp_shortinfo_serviceport_request.bin")), out var service, out _));
        Assert.Equal("type='EEG' and channel_count>1", service!.Query);
        Assert.Equal("777", service.QueryId);
        Assert.True(LslShortInfoQuery.TryParseReply(TraceFixture.Bytes("udp_shortinfo_serviceport_response.bin"), "777", "trace", out var serviceInfo));
        Assert.Equal("CS-Probe", serviceInfo!.Name);

        Assert.True(LslShortInfoQuery.TryParse(LslShortInfoQuery.SplitLines(TraceFixture.Bytes("recovery_query.bin")), out var recovery, out _));
        Assert.Equal("channel_count='1' and name='CS-Rec' and type='EEG' and source_id='lslpeer-CS-Rec' and channel_format='float32'", recovery!.Query);
    }

    [Fact]
    public void TimeDataTracesParseAndReformat()
    {
        Assert.Equal(TraceFixture.Bytes("timedata_crafted_request.bin"), LslTimeProbe.WriteRequest(12345, 1000.25));
        Assert.True(LslTimeProbe.TryParseReply(TraceFixture.Bytes("timedata_crafted_response.bin"), out var probe));
        Assert.Equal(new LslTimeProbe(12345, 1000.25, 990.0389297, 990.0389992200001), probe);
        Assert.Equal(TraceFixture.Bytes("timedata_crafted_response.bin"), LslTimeProbe.WriteReply(12345, 1000.25, probe.T1, probe.T2));

        Assert.Equal(TraceFixture.Bytes("timedata_request.bin"), LslTimeProbe.WriteRequest(1804289383, 951.657877556));
        Assert.True(LslTimeProbe.TryParseReply(TraceFixture.Bytes("timedata_response.bin"), out var real));
        Assert.Equal(new LslTimeProbe(1804289383, 951.657877556, 951.658111092, 951.658178127), real);
        Assert.Equal(TraceFixture.Bytes("timedata_response.bin"), LslTimeProbe.WriteReply(real.WaveId, real.T0, real.T1, real.T2));
        Assert.Equal(" 1804289383 951.91527568 951.9153880489999 951.915421021"u8.ToArray(), LslTimeProbe.WriteReply(1804289383, 951.91527568, 951.9153880489999, 951.915421021));
        string line = Encoding.ASCII.GetString(TraceFixture.Bytes("timedata_request.bin")).Split("\r\n")[1];
        Assert.True(LslTimeProbe.TryParseRequest(line, out int wave, out double t0));
        Assert.Equal(1804289383, wave);
        Assert.Equal(951.657877556, t0);
    }

    [Fact]
    public void EveryTraceFileIsUnderstood()
    {
        string[] files = TraceFixture.AllBinFiles();
        Assert.Equal(39, files.Length);
        foreach (string file in files)
        {
            byte[] bytes = TraceFixture.Bytes(file);
            string text = Encoding.UTF8.GetString(bytes);
            if (file.StartsWith("feed_", StringComparison.Ordinal) && file.EndsWith("_request.bin", StringComparison.Ordinal))
            {
                string[] lines = text.Split("\r\n");
                var request = file.Contains("p100", StringComparison.Ordinal) ? LslFeedRequest.ParseLegacy(lines[1]) : LslFeedRequest.Parse(lines[0], lines[1..]);
                Assert.True(request.Version >= 100, file);
            }
            else if (file.StartsWith("feed_error", StringComparison.Ordinal))
            {
                Assert.True(LslFeedResponse.Parse(text, []).StatusCode >= 400, file);
            }
            else if (file.StartsWith("feed_p100", StringComparison.Ordinal))
            {
                Assert.Equal(LslDecodeStatus.Ok, LslPortableArchive.TryReadFeedHeader(bytes, 1 << 20, out _, out _, out _, out _));
            }
            else if (file.StartsWith("feed_", StringComparison.Ordinal))
            {
                var format = file.Contains("double64", StringComparison.Ordinal) ? ChannelFormat.Double64
                    : file.Contains("int16", StringComparison.Ordinal) ? ChannelFormat.Int16
                    : file.Contains("int32", StringComparison.Ordinal) ? ChannelFormat.Int32
                    : file.Contains("string", StringComparison.Ordinal) ? ChannelFormat.String : ChannelFormat.Float32;
                int channels = file switch
                {
                    "feed_float32_response.bin" => 8,
                    "feed_double64_response.bin" => 3,
                    "feed_int16_response.bin" => 4,
                    _ => 2,
                };
                var trace = new FeedTrace(bytes, format, channels, 128);
                Assert.True(trace.Samples.Count >= 2, file);
                AssertTestPatterns(trace, format, channels);
            }
            else if (file is "fullinfo_response.bin" or "tcp_shortinfo_response.bin")
            {
                Assert.NotEmpty(LslInfoXml.Parse(bytes, file).Uid);
            }
            else if (file == "tcp_shortinfo_nomatch_response.bin")
            {
                Assert.Empty(bytes);
            }
            else if (file is "fullinfo_request.bin")
            {
                Assert.Equal("LSL:fullinfo\r\n", text);
            }
            else if (file.StartsWith("tcp_shortinfo", StringComparison.Ordinal))
            {
                Assert.StartsWith("LSL:shortinfo\r\n", text, StringComparison.Ordinal);
            }
            else if (file.StartsWith("timedata", StringComparison.Ordinal) && file.EndsWith("_request.bin", StringComparison.Ordinal))
            {
                Assert.True(LslTimeProbe.TryParseRequest(text.Split("\r\n")[1], out _, out _), file);
            }
            else if (file.StartsWith("timedata", StringComparison.Ordinal))
            {
                Assert.True(LslTimeProbe.TryParseReply(bytes, out _), file);
            }
            else if (file.EndsWith("_query.bin", StringComparison.Ordinal) || file.EndsWith("_request.bin", StringComparison.Ordinal))
            {
                Assert.True(LslShortInfoQuery.TryParse(LslShortInfoQuery.SplitLines(bytes), out _, out _), file);
            }
            else
            {
                string id = text[..text.IndexOf('\r', StringComparison.Ordinal)];
                Assert.True(LslShortInfoQuery.TryParseReply(bytes, id, file, out var info), file);
                Assert.NotNull(info);
            }
        }
    }

    internal static void WriteTestPatterns(LslByteBuffer buffer, ChannelFormat format, int channels, bool bigEndian)
    {
        for (int o = 4; o >= 2; o -= 2)
        {
            if (format == ChannelFormat.String)
            {
                LslSampleEncoder.WriteStrings(buffer, LslTestPattern.Strings(channels), LslTestPattern.Timestamp, false, bigEndian);
            }
            else
            {
                var values = new double[channels];
                LslTestPattern.Fill(format, o, values);
                LslSampleEncoder.WriteNumeric(buffer, format, values, LslTestPattern.Timestamp, false, bigEndian);
            }
        }
    }

    private static void AssertTestPatterns(FeedTrace trace, ChannelFormat format, int channels)
    {
        for (int i = 0; i < 2; i++)
        {
            var sample = trace.Samples[i];
            Assert.Equal(LslTestPattern.Timestamp, sample.Timestamp);
            Assert.Equal(LslSampleEncoder.TagTimestamp, sample.Tag);
            if (format == ChannelFormat.String)
            {
                Assert.Equal(LslTestPattern.Strings(channels), (string[])sample.Values);
            }
            else
            {
                var expected = new double[channels];
                LslTestPattern.Fill(format, i == 0 ? 4 : 2, expected);
                Assert.Equal(expected, (double[])sample.Values);
            }
        }
    }

    private static void AssertDataValues(object values, ChannelFormat format, int channels, int k)
    {
        if (format == ChannelFormat.String)
        {
            var strings = (string[])values;
            for (int c = 0; c < channels; c++)
            {
                Assert.Equal(c == 0 ? $"s{k}" : $"s{k}c{c}", strings[c]);
            }
        }
        else
        {
            var numbers = (double[])values;
            for (int c = 0; c < channels; c++)
            {
                Assert.Equal((c * 1000) + k, numbers[c]);
            }
        }
    }
}
