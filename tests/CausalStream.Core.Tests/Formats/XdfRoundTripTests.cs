using System.Xml.Linq;
using CausalStream.Core.Formats;
using CausalStream.Core.Streams;

namespace CausalStream.Core.Tests.Formats;

public class XdfRoundTripTests
{
    [Fact]
    public void EveryChannelFormatRoundTripsExactlyWithHeadersFootersAndClockOffsets()
    {
        using var file = new TempFile(".xdf");
        var formats = new[] { ChannelFormat.Float32, ChannelFormat.Double64, ChannelFormat.Int8, ChannelFormat.Int16, ChannelFormat.Int32, ChannelFormat.Int64 };
        var expected = new Dictionary<string, (double[] Stamps, double[] Values)>();
        using (var writer = new XdfWriter(file.Path))
        {
            foreach (var format in formats)
            {
                var info = new StreamInfo("s-" + format, "EEG", "src-" + format, 3, 250.5, format, ["a", "b", "c"], ["uV", "mV", "V"]);
                int id = writer.AddStream(info, new XElement("manufacturer", "tests"));
                var stamps = new double[300];
                var values = new double[900];
                for (int i = 0; i < 300; i++)
                {
                    stamps[i] = 1000.123456789 + (i / 250.5);
                    for (int c = 0; c < 3; c++)
                    {
                        values[(i * 3) + c] = format is ChannelFormat.Float32 or ChannelFormat.Double64
                            ? (format == ChannelFormat.Double64 ? Math.Sin(i * 0.1 + c) : (float)Math.Sin(i * 0.1 + c))
                            : (i * 7 % 200) - 100 + c;
                    }
                }

                writer.WriteSamples(id, stamps.AsSpan(0, 200), values.AsSpan(0, 600));
                writer.WriteClockOffset(id, 1000.5, -0.25);
                writer.WriteSamples(id, stamps.AsSpan(200), values.AsSpan(600));
                writer.WriteClockOffset(id, 1001.5, -0.25);
                expected[info.Name] = (stamps, values);
            }

            int text = writer.AddStream(new StreamInfo("text", "Markers", "m", 2, 0, ChannelFormat.String, ["what", "who"]));
            writer.WriteStrings(text, [5.0, 6.0], ["stim", "ä ö ü → ok", string.Empty, new string('x', 300)]);
        }

        using var reader = XdfReader.Open(file.Path, new XdfReaderOptions { SynchronizeClocks = false });
        Assert.Empty(reader.Problems);
        Assert.Equal(formats.Length + 1, reader.Streams.Count);
        foreach (var format in formats)
        {
            var stream = reader.Streams.Single(s => s.Info.Name == "s-" + format);
            Assert.Equal(format, stream.Info.Format);
            Assert.Equal(250.5, stream.Info.NominalRate);
            Assert.Equal("src-" + format, stream.Info.SourceId);
            Assert.Equal(["a", "b", "c"], stream.Info.ChannelLabels);
            Assert.Equal(["uV", "mV", "V"], stream.Info.ChannelUnits);
            Assert.Equal([new XdfClockOffset(1000.5, -0.25), new XdfClockOffset(1001.5, -0.25)], stream.ClockOffsets);
            Assert.Equal(300, stream.SampleCount);
            Assert.Equal(300, stream.FooterSampleCount);
            Assert.Contains("<manufacturer>tests</manufacturer>", stream.HeaderXml, StringComparison.Ordinal);
            var (stamps, values, _) = XdfSharedFileTests.ReadAll(reader, stream);
            Assert.Equal(expected[stream.Info.Name].Stamps, stamps);
            Assert.Equal(expected[stream.Info.Name].Values, values);
            Assert.Equal(stamps[0], stream.FooterFirstTimestamp);
            Assert.Equal(stamps[^1], stream.FooterLastTimestamp);
        }

        var textStream = reader.Streams.Single(s => s.Info.Name == "text");
        var (textStamps, _, texts) = XdfSharedFileTests.ReadAll(reader, textStream);
        Assert.Equal([5.0, 6.0], textStamps);
        Assert.Equal(["stim", "ä ö ü → ok", string.Empty, new string('x', 300)], texts);
    }

    [Fact]
    public void LargeChunksUseWideLengthFieldsAndBoundariesAreIndexed()
    {
        using var file = new TempFile(".xdf");
        XdfFixtures.WriteEegAndMarkers(file.Path, chunks: 8, chunkSize: 3000, boundaryBytes: 100_000);
        using var reader = XdfReader.Open(file.Path);
        Assert.Empty(reader.Problems);
        Assert.Equal(24000, reader.Streams[0].SampleCount);
        Assert.Equal(16, reader.Index.Count);
        Assert.True(reader.Boundaries.Count >= 4, $"{reader.Boundaries.Count} boundaries");
        Assert.Equal(10.0, reader.StartTime);
        var (stamps, values, _) = XdfSharedFileTests.ReadAll(reader, reader.Streams[0]);
        Assert.Equal(24000, stamps.Length);
        Assert.Equal(XdfFixtures.Value(23999, 3), values[^1]);
    }

    [Fact]
    public void ReadingARangeStartsNearItAndKeepsExactlyTheSamplesInside()
    {
        using var file = new TempFile(".xdf");
        XdfFixtures.WriteEegAndMarkers(file.Path, chunks: 40, chunkSize: 25);
        using var reader = XdfReader.Open(file.Path);
        var blocks = new List<long>();
        var stamps = new List<double>();
        foreach (var block in reader.ReadSamples(from: 14.0, to: 16.0))
        {
            blocks.Add(block.ByteOffset);
            if (block.Stream.Id == 1)
            {
                stamps.AddRange(block.Timestamps.ToArray());
            }
        }

        Assert.Equal(201, stamps.Count);
        Assert.Equal(14.0, stamps[0], 9);
        Assert.Equal(16.0, stamps[^1], 9);
        Assert.True(blocks.Count < 20, $"{blocks.Count} blocks decoded; the seek index should skip the start");
    }

    [Fact]
    public void ClockOffsetsAreFittedLinearlyAndSegmentedAtAClockReset()
    {
        using var file = new TempFile(".xdf");
        using (var writer = new XdfWriter(file.Path))
        {
            int id = writer.AddStream(new StreamInfo("s", "EEG", "x", 1, 10, ChannelFormat.Double64));
            // Segment 1: offset drifts linearly (1 ms per 100 s) around -2 s; then the device clock resets.
            for (int k = 0; k < 20; k++)
            {
                double t = 100 + (5 * k);
                writer.WriteSamples(id, [t], [k]);
                writer.WriteClockOffset(id, t + 2, -2 + (1e-5 * t));
            }

            for (int k = 0; k < 20; k++)
            {
                double t = 5 * k;
                writer.WriteSamples(id, [t], [100 + k]);
                writer.WriteClockOffset(id, t + 5000, 5000);
            }
        }

        using var reader = XdfReader.Open(file.Path);
        var resets = XdfClockSync.DetectResets(reader.Streams[0].ClockOffsets, reader.Options);
        Assert.Equal(1, resets.Count(r => r));
        Assert.True(resets[19]);
        var (stamps, _, _) = XdfSharedFileTests.ReadAll(reader, reader.Streams[0]);
        for (int k = 0; k < 20; k++)
        {
            double t = 100 + (5 * k);
            // The fit maps collection time (t + 2) to offset; it is applied to the stream's own timestamps.
            Assert.Equal(t - 2 + (1e-5 * (t - 2)), stamps[k], 6);
            Assert.Equal((5 * k) + 5000, stamps[20 + k], 6);
        }
    }

    [Fact]
    public void RobustFitIgnoresAnOutlierThatLeastSquaresWouldFollow()
    {
        var offsets = new List<XdfClockOffset>();
        for (int k = 0; k < 30; k++)
        {
            offsets.Add(new XdfClockOffset(5000 + (5 * k), 0.01 + (2e-6 * k * 5) + (k == 12 ? 0.05 : 0)));
        }

        var (intercept, slope) = XdfClockSync.RobustLine(offsets, 0, offsets.Count - 1, 0.0001);
        double truth = 0.01 + (2e-6 * 72.5);
        double robust = intercept + (slope * 5072.5);
        double leastSquaresMean = offsets.Average(o => o.Value);
        Assert.InRange(Math.Abs(robust - truth), 0, 2e-5);
        Assert.True(Math.Abs(leastSquaresMean - truth) > 1e-3, "the outlier should pull a least-squares fit");
    }

    [Fact]
    public void DejitteringFitsALinePerGapFreeSegmentAndReportsTheEffectiveRate()
    {
        using var file = new TempFile(".xdf");
        var random = new Random(3);
        using (var writer = new XdfWriter(file.Path))
        {
            int id = writer.AddStream(new StreamInfo("s", "EEG", "x", 1, 100, ChannelFormat.Float32));
            for (int i = 0; i < 1000; i++)
            {
                double gap = i >= 600 ? 30 : 0;
                writer.WriteSamples(id, [50 + gap + (i * 0.01) + ((random.NextDouble() - 0.5) * 0.002)], [i]);
            }
        }

        using var reader = XdfReader.Open(file.Path, new XdfReaderOptions { Dejitter = true });
        var (stamps, _, _) = XdfSharedFileTests.ReadAll(reader, reader.Streams[0]);
        for (int i = 2; i < 599; i++)
        {
            Assert.Equal(0.01, stamps[i] - stamps[i - 1], 5);
        }

        Assert.InRange(stamps[600] - stamps[599], 30, 30.02);
        Assert.Equal(100, reader.Streams[0].EffectiveRate, 1);
    }
}
