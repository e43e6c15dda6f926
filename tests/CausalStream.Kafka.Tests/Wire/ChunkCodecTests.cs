using System.Buffers.Binary;
using System.Text;
using CausalStream.Core.Streams;
using CausalStream.Kafka.Wire;

namespace CausalStream.Kafka.Tests.Wire;

public sealed class ChunkCodecTests
{
    public static TheoryData<ChannelFormat> Formats() => new()
    {
        ChannelFormat.Float32, ChannelFormat.Double64, ChannelFormat.String, ChannelFormat.Int32, ChannelFormat.Int16, ChannelFormat.Int8, ChannelFormat.Int64,
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void EveryFormatRoundTrips(ChannelFormat format)
    {
        var stream = new StreamInfo("str€am", "EEG", "dev", 3, 250, format);
        var registry = new StreamRegistry([stream]);
        using var chunk = SampleChunk.Rent(stream, 5);
        for (int i = 0; i < 5; i++)
        {
            chunk.Timestamps[i] = 1000.123456789 + (i / 250.0);
            for (int c = 0; c < 3; c++)
            {
                // values every format represents exactly: small integers, halves for the float formats, an awkward double for double64/string
                double v = (i * 3) + c - 7;
                chunk.Values[(i * 3) + c] = format switch
                {
                    ChannelFormat.Float32 => v + 0.5,
                    ChannelFormat.Double64 or ChannelFormat.String => (v / 3.0) + 1e-17,
                    ChannelFormat.Int64 => v * 1e12,
                    _ => v,
                };
            }
        }

        byte[] id = Encoding.UTF8.GetBytes(stream.Name);
        var buffer = new byte[ChunkCodec.MaxEncodedLength(id.Length, 3, 5, format)];
        int length = ChunkCodec.Encode(chunk, id, 42, 1000, format, buffer);
        if (format != ChannelFormat.String)
        {
            Assert.Equal(buffer.Length, length);
        }

        var result = ChunkCodec.Decode(buffer.AsSpan(0, length), registry, 7);
        Assert.True(result.IsOk, result.Reason);
        using var decoded = result.Chunk!;
        Assert.Same(stream, decoded.Stream);
        Assert.Equal(42, result.Header.Sequence);
        Assert.Equal(1000, result.Header.FirstSampleIndex);
        Assert.Equal(format, result.Header.Format);
        Assert.Equal(7, decoded.ArrivalTicks);
        Assert.Equal(chunk.Timestamps.ToArray(), decoded.Timestamps.ToArray());
        Assert.Equal(chunk.Values.ToArray(), decoded.Values.ToArray());
    }

    [Fact]
    public void HeaderLayoutIsTheDocumentedOne()
    {
        var stream = new StreamInfo("ab", "EEG", "", 2, 100, ChannelFormat.Int16);
        using var chunk = SampleChunk.Rent(stream, 1);
        chunk.Timestamps[0] = 0.5;
        chunk.Values[0] = -2;
        chunk.Values[1] = 3;
        var buffer = new byte[ChunkCodec.MaxEncodedLength(2, 2, 1, ChannelFormat.Int16)];
        ChunkCodec.Encode(chunk, "ab"u8, 9, 17, ChannelFormat.Int16, buffer);
        Assert.Equal("CSCK"u8.ToArray(), buffer[..4]);
        Assert.Equal(1, buffer[4]);
        Assert.Equal(5, buffer[5]);
        Assert.Equal(2, BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(6)));
        Assert.Equal(9, BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(8)));
        Assert.Equal(17, BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(16)));
        Assert.Equal(2, BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(24)));
        Assert.Equal(1, BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(28)));
        Assert.Equal("ab"u8.ToArray(), buffer[32..34]);
        Assert.Equal(0.5, BinaryPrimitives.ReadDoubleLittleEndian(buffer.AsSpan(34)));
        Assert.Equal(-2, BinaryPrimitives.ReadInt16LittleEndian(buffer.AsSpan(42)));
        Assert.Equal(3, BinaryPrimitives.ReadInt16LittleEndian(buffer.AsSpan(44)));
        Assert.Equal(46, buffer.Length);
    }

    [Fact]
    public void IntegerFormatsRoundAndSaturate()
    {
        var stream = new StreamInfo("s", "EEG", "", 4, 100, ChannelFormat.Int8);
        using var chunk = SampleChunk.Rent(stream, 1);
        chunk.Values[0] = 1000;
        chunk.Values[1] = -1000;
        chunk.Values[2] = double.NaN;
        chunk.Values[3] = 2.5;
        var buffer = new byte[ChunkCodec.MaxEncodedLength(1, 4, 1, ChannelFormat.Int8)];
        ChunkCodec.Encode(chunk, "s"u8, 1, 0, ChannelFormat.Int8, buffer);
        var result = ChunkCodec.Decode(buffer, new StreamRegistry([stream]), 0);
        using var decoded = result.Chunk!;
        Assert.Equal([127.0, -128.0, 0.0, 3.0], decoded.Values.ToArray());
    }

    [Fact]
    public void MalformedMessagesAreRefusedWithTheField()
    {
        var stream = new StreamInfo("s", "EEG", "", 2, 100, ChannelFormat.Float32);
        var registry = new StreamRegistry([stream]);
        using var chunk = SampleChunk.Rent(stream, 2);
        var good = new byte[ChunkCodec.MaxEncodedLength(1, 2, 2, ChannelFormat.Float32)];
        ChunkCodec.Encode(chunk, "s"u8, 1, 0, ChannelFormat.Float32, good);

        Assert.Equal(ChunkDecodeStatus.TooShort, ChunkCodec.Decode(good.AsSpan(0, 10), registry, 0).Status);
        var bad = (byte[])good.Clone();
        bad[1] = 0;
        Assert.Contains("magic", ChunkCodec.Decode(bad, registry, 0).Reason, StringComparison.Ordinal);
        bad = (byte[])good.Clone();
        bad[4] = 2;
        Assert.Equal(ChunkDecodeStatus.UnsupportedVersion, ChunkCodec.Decode(bad, registry, 0).Status);
        bad = (byte[])good.Clone();
        bad[5] = 42;
        Assert.Equal(ChunkDecodeStatus.UnknownFormat, ChunkCodec.Decode(bad, registry, 0).Status);
        Assert.Equal(ChunkDecodeStatus.BadLength, ChunkCodec.Decode(good.AsSpan(0, good.Length - 1), registry, 0).Status);
        Assert.Equal(ChunkDecodeStatus.BadLength, ChunkCodec.Decode([.. good, 0], registry, 0).Status);
        bad = (byte[])good.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(bad.AsSpan(24), -1);
        Assert.Equal(ChunkDecodeStatus.BadShape, ChunkCodec.Decode(bad, registry, 0).Status);
        var other = new StreamRegistry([new StreamInfo("s", "EEG", "", 3, 100, ChannelFormat.Float32)]);
        var mismatch = ChunkCodec.Decode(good, other, 0);
        Assert.Equal(ChunkDecodeStatus.ChannelCountMismatch, mismatch.Status);
        Assert.Contains("channel count", mismatch.Reason, StringComparison.Ordinal);
        Assert.Equal(ChunkDecodeStatus.UnknownStream, ChunkCodec.Decode(good, new StreamRegistry(), 0).Status);
    }

    [Fact]
    public void StringValuesThatAreNotNumbersAreRefused()
    {
        var stream = new StreamInfo("s", "EEG", "", 1, 100, ChannelFormat.String);
        using var chunk = SampleChunk.Rent(stream, 1);
        chunk.Values[0] = 12;
        var buffer = new byte[ChunkCodec.MaxEncodedLength(1, 1, 1, ChannelFormat.String)];
        int n = ChunkCodec.Encode(chunk, "s"u8, 1, 0, ChannelFormat.String, buffer);
        buffer[n - 1] = (byte)'x';
        var result = ChunkCodec.Decode(buffer.AsSpan(0, n), new StreamRegistry([stream]), 0);
        Assert.Equal(ChunkDecodeStatus.BadValue, result.Status);
        Assert.Null(result.Chunk);
    }

    [Fact]
    public void StreamMetadataRoundTrips()
    {
        var stream = new StreamInfo("eeg", "EEG", "amp-1", 3, 512, ChannelFormat.Int16, ["Fz", "Cz", "Pz"], ["uV", "uV", "uV"]);
        var back = StreamInfoJson.Read(StreamInfoJson.Write(stream));
        Assert.Equal(stream.Name, back.Name);
        Assert.Equal(stream.Type, back.Type);
        Assert.Equal(stream.SourceId, back.SourceId);
        Assert.Equal(stream.ChannelCount, back.ChannelCount);
        Assert.Equal(stream.NominalRate, back.NominalRate);
        Assert.Equal(stream.Format, back.Format);
        Assert.Equal(stream.ChannelLabels, back.ChannelLabels);
        Assert.Equal(stream.ChannelUnits, back.ChannelUnits);
        Assert.Throws<FormatException>(() => StreamInfoJson.Read("{\"name\":\"x\"}"u8));
    }
}
