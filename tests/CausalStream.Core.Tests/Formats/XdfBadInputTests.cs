using CausalStream.Core.Formats;

namespace CausalStream.Core.Tests.Formats;

public class XdfBadInputTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(60)]
    [InlineData(250)]
    public void TruncatedFileDeliversEverySampleBeforeTheCutThenNamesTheOffset(int cutInsideLastSamplesChunk)
    {
        using var file = new TempFile(".xdf");
        XdfFixtures.WriteEegAndMarkers(file.Path, chunks: 4, chunkSize: 25);
        var bytes = File.ReadAllBytes(file.Path);
        var lastSamples = XdfFixtures.Chunks(bytes).Last(c => c.Tag == 3 && BitConverter.ToInt32(bytes, (int)c.Offset + 3 + bytes[c.Offset]) == 1);
        int cut = (int)lastSamples.Offset + cutInsideLastSamplesChunk;
        File.WriteAllBytes(file.Path, bytes[..cut]);

        using var reader = XdfReader.Open(file.Path);
        Assert.NotNull(reader.Damage);
        var stamps = new List<double>();
        var error = Assert.Throws<DataFormatException>(() =>
        {
            foreach (var block in reader.ReadSamples())
            {
                if (block.Stream.Id == 1)
                {
                    stamps.AddRange(block.Timestamps.ToArray());
                }
            }
        });

        Assert.Equal($"byte offset {lastSamples.Offset}", error.Position);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
        Assert.Contains(file.Path, error.Message, StringComparison.Ordinal);

        // Complete samples of the cut chunk are delivered too: 13 bytes of framing, id and count, then 25 bytes
        // per sample (timestamp size, timestamp, 4 float32 values).
        int inChunk = Math.Max(0, (cutInsideLastSamplesChunk - 13) / 25);
        Assert.Equal(75 + inChunk, stamps.Count);
        Assert.Equal(75 + inChunk, reader.Streams[0].SampleCount);
        for (int i = 0; i < stamps.Count; i++)
        {
            Assert.Equal(10 + (i / 100.0), stamps[i]);
        }
    }

    [Fact]
    public void CorruptChunkLengthIsSkippedToTheNextBoundaryWithAProblemNamingTheOffset()
    {
        using var file = new TempFile(".xdf");
        XdfFixtures.WriteEegAndMarkers(file.Path, chunks: 20, chunkSize: 25, boundaryBytes: 2000);
        var bytes = File.ReadAllBytes(file.Path);
        var chunks = XdfFixtures.Chunks(bytes);
        var victim = chunks.Where(c => c.Tag == 3).ElementAt(6);
        bytes[victim.Offset] = 3; // an impossible length-field size
        File.WriteAllBytes(file.Path, bytes);

        using var reader = XdfReader.Open(file.Path);
        Assert.Null(reader.Damage);
        var problem = Assert.Single(reader.Problems);
        Assert.Contains($"byte offset {victim.Offset}: invalid chunk length-field size 3", problem, StringComparison.Ordinal);
        Assert.Contains("Boundary", problem, StringComparison.Ordinal);
        var (stamps, _, _) = XdfSharedFileTests.ReadAll(reader, reader.Streams[0]);
        Assert.True(stamps.Length is > 100 and < 500, $"{stamps.Length} samples");
        Assert.Equal(10.0, stamps[0]);
        Assert.Equal(10 + (499 / 100.0), stamps[^1]);
    }

    [Fact]
    public void ChunkLengthRunningPastTheEndBeforeABoundaryIsCorruptionNotTruncation()
    {
        using var file = new TempFile(".xdf");
        XdfFixtures.WriteEegAndMarkers(file.Path, chunks: 20, chunkSize: 25, boundaryBytes: 2000);
        var bytes = File.ReadAllBytes(file.Path);
        var victim = XdfFixtures.Chunks(bytes).Where(c => c.Tag == 3).ElementAt(2);
        Assert.Equal(4, bytes[victim.Offset]);
        BitConverter.GetBytes(uint.MaxValue).CopyTo(bytes, (int)victim.Offset + 1);
        File.WriteAllBytes(file.Path, bytes);

        using var reader = XdfReader.Open(file.Path);
        Assert.Null(reader.Damage);
        Assert.Contains($"byte offset {victim.Offset}: chunk length", Assert.Single(reader.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void CorruptionWithoutAFollowingBoundaryStopsAfterDeliveringWhatCameBefore()
    {
        using var file = new TempFile(".xdf");
        XdfFixtures.WriteEegAndMarkers(file.Path, chunks: 6, chunkSize: 25);
        var bytes = File.ReadAllBytes(file.Path);
        var victim = XdfFixtures.Chunks(bytes).Where(c => c.Tag == 3).ElementAt(4);
        bytes[victim.Offset] = 0;
        File.WriteAllBytes(file.Path, bytes);

        using var reader = XdfReader.Open(file.Path);
        int samples = 0;
        var error = Assert.Throws<DataFormatException>(() =>
        {
            foreach (var block in reader.ReadSamples())
            {
                samples += block.Stream.Id == 1 ? block.Count : 0;
            }
        });
        Assert.Equal($"byte offset {victim.Offset}", error.Position);
        Assert.Contains("no Boundary chunk follows", error.Message, StringComparison.Ordinal);
        Assert.Equal(50, samples);
    }

    [Fact]
    public void UnknownChunkTagIsSkippedWithAWarning()
    {
        using var file = new TempFile(".xdf");
        long unknownAt;
        using (var stream = new FileStream(file.Path, FileMode.Create))
        {
            using var writer = new XdfWriter(stream, leaveOpen: true);
            int id = writer.AddStream(XdfFixtures.Eeg);
            writer.WriteSamples(id, [1.0], [1, 2, 3, 4]);
            unknownAt = stream.Position;
            stream.Write([1, 7, 42, 0, 0xDE, 0xAD, 0xBE, 0xEF, 0x00]);
            writer.WriteSamples(id, [1.01], [5, 6, 7, 8]);
        }

        using var reader = XdfReader.Open(file.Path);
        var problem = Assert.Single(reader.Problems);
        Assert.Contains($"byte offset {unknownAt}: unknown chunk tag 42", problem, StringComparison.Ordinal);
        var (_, values, _) = XdfSharedFileTests.ReadAll(reader, reader.Streams[0]);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], values);
    }

    [Theory]
    [InlineData("t,a\n0,1\n", "not an XDF file")]
    [InlineData("", "the file is empty")]
    public void NonXdfFileIsRefusedAtByteOffsetZero(string content, string expected)
    {
        using var file = new TempFile(".xdf");
        File.WriteAllText(file.Path, content);
        var error = Assert.Throws<DataFormatException>(() => XdfReader.Open(file.Path));
        Assert.Equal("byte offset 0", error.Position);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SamplesChunkOfAnUndeclaredStreamIsSkippedOnceWithAProblem()
    {
        using var file = new TempFile(".xdf");
        using (var stream = new FileStream(file.Path, FileMode.Create))
        {
            using var writer = new XdfWriter(stream, leaveOpen: true);
            int id = writer.AddStream(XdfFixtures.Eeg);
            writer.WriteSamples(id, [1.0], [1, 2, 3, 4]);
            // A Samples chunk of stream 9: id, 1 sample, no timestamp, one float32 value.
            stream.Write([1, 12, 3, 0, 9, 0, 0, 0, 1, 1, 0, 0, 0, 0x80, 0x3F]);
        }

        using var reader = XdfReader.Open(file.Path);
        Assert.Contains("stream id 9", Assert.Single(reader.Problems), StringComparison.Ordinal);
        Assert.Equal(1, reader.Streams[0].SampleCount);
    }
}
