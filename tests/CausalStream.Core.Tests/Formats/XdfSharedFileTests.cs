using CausalStream.Core.Formats;
using CausalStream.Core.Streams;

namespace CausalStream.Core.Tests.Formats;

/// <summary>The XDF project's example files (../shared/data/xdf), checked against their documented contents.</summary>
public class XdfSharedFileTests
{
    private static readonly double[] MinimalStamps = [5.1, 5.2, 5.3, 5.4, 5.5, 5.6, 5.7, 5.8, 5.9];

    [SharedDataFact("xdf")]
    public void MinimalFileHoldsAnInt16EegStreamAndAStringMarkerStream()
    {
        using var reader = XdfReader.Open(SharedData.File("xdf", "minimal.xdf"), new XdfReaderOptions { SynchronizeClocks = false });
        Assert.Contains("<version>1.0</version>", reader.FileHeaderXml, StringComparison.Ordinal);
        Assert.Empty(reader.Problems);
        Assert.Null(reader.Damage);
        Assert.Equal(2, reader.Streams.Count);

        var eeg = reader.Streams[0];
        Assert.Equal("SendDataC", eeg.Info.Name);
        Assert.Equal("EEG", eeg.Info.Type);
        Assert.Equal(3, eeg.Info.ChannelCount);
        Assert.Equal(10, eeg.Info.NominalRate);
        Assert.Equal(ChannelFormat.Int16, eeg.Info.Format);
        Assert.Equal(9, eeg.SampleCount);
        Assert.Equal(9, eeg.FooterSampleCount);
        Assert.Equal(5.1, eeg.FooterFirstTimestamp);
        Assert.Equal(5.9, eeg.FooterLastTimestamp);
        Assert.Equal([new XdfClockOffset(6.1, -0.1), new XdfClockOffset(7.1, -0.1)], eeg.ClockOffsets);

        var markers = reader.Streams[1];
        Assert.Equal("SendDataString", markers.Info.Name);
        Assert.Equal("StringMarker", markers.Info.Type);
        Assert.Equal(ChannelFormat.String, markers.Info.Format);
        Assert.Equal(9, markers.SampleCount);
        Assert.Empty(markers.ClockOffsets);

        var (eegStamps, eegValues, _) = ReadAll(reader, eeg);
        Assert.Equal(
            [192, 255, 238, 12, 22, 32, 13, 23, 33, 14, 24, 34, 15, 25, 35, 12, 22, 32, 13, 23, 33, 14, 24, 34, 15, 25, 35],
            eegValues);
        AssertClose(MinimalStamps, eegStamps, 1e-12);

        var (markerStamps, _, texts) = ReadAll(reader, markers);
        Assert.StartsWith("<?xml version=\"1.0\"?><info><writer>LabRecorder xdfwriter</writer>", texts[0], StringComparison.Ordinal);
        Assert.Equal(["Hello", "World", "from", "LSL", "Hello", "World", "from", "LSL"], texts[1..]);
        AssertClose(MinimalStamps, markerStamps, 1e-12);
    }

    [SharedDataFact("xdf")]
    public void MinimalFileClockOffsetsShiftTheEegStreamByTheConstantOffset()
    {
        using var reader = XdfReader.Open(SharedData.File("xdf", "minimal.xdf"));
        var (eegStamps, _, _) = ReadAll(reader, reader.Streams[0]);
        AssertClose([.. MinimalStamps.Select(t => t - 0.1)], eegStamps, 1e-9);
        var (markerStamps, _, _) = ReadAll(reader, reader.Streams[1]);
        AssertClose(MinimalStamps, markerStamps, 1e-12);
    }

    [SharedDataFact("xdf")]
    public void EmptyStreamsFileHoldsTwoEmptyStreamsACounterAndOneControlMarker()
    {
        using var reader = XdfReader.Open(SharedData.File("xdf", "empty_streams.xdf"), new XdfReaderOptions { SynchronizeClocks = false });
        Assert.Empty(reader.Problems);
        Assert.Equal(
            ["Empty data stream: test stream 0 counter", "Data stream: test stream 0 counter", "ctrl", "Empty marker stream: test stream 0 counter"],
            reader.Streams.Select(s => s.Info.Name));
        Assert.Equal([0L, 10L, 1L, 0L], reader.Streams.Select(s => s.SampleCount));
        Assert.All(reader.Streams, s => Assert.Equal(s.SampleCount, s.FooterSampleCount));
        Assert.All(reader.Streams, s => Assert.Equal(7, s.ClockOffsets.Count));
        Assert.Equal("ch:00", reader.Streams[1].Info.ChannelLabels[0]);
        Assert.Equal(ChannelFormat.Int32, reader.Streams[1].Info.Format);
        Assert.Equal(1, reader.Streams[1].Info.NominalRate);
        Assert.Equal(0, reader.Streams[2].Info.NominalRate);

        var (stamps, values, _) = ReadAll(reader, reader.Streams[1]);
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], values);
        Assert.Equal(91725.21394789348, stamps[0]);
        Assert.Equal(91734.21394789348, stamps[^1]);
        Assert.Equal(reader.Streams[1].FooterFirstTimestamp, stamps[0]);

        var (markerStamps, _, texts) = ReadAll(reader, reader.Streams[2]);
        Assert.Equal(["{\"state\": 2}"], texts);
        Assert.Equal([91725.014004246], markerStamps);
    }

    [SharedDataFact("xdf")]
    public void EmptyStreamsFileSynchronisedStaysWithinTheOffsetsMagnitude()
    {
        using var raw = XdfReader.Open(SharedData.File("xdf", "empty_streams.xdf"), new XdfReaderOptions { SynchronizeClocks = false });
        using var synced = XdfReader.Open(SharedData.File("xdf", "empty_streams.xdf"), new XdfReaderOptions { Dejitter = true });
        var (rawStamps, _, _) = ReadAll(raw, raw.Streams[1]);
        var (syncedStamps, _, _) = ReadAll(synced, synced.Streams[1]);
        for (int i = 0; i < rawStamps.Length; i++)
        {
            Assert.InRange(syncedStamps[i] - rawStamps[i], -1e-4, 0);
        }

        Assert.InRange(synced.Streams[1].EffectiveRate, 1 - 1e-5, 1 + 1e-5);
    }

    internal static (double[] Stamps, double[] Values, string[] Texts) ReadAll(XdfReader reader, XdfStream stream)
    {
        var stamps = new List<double>();
        var values = new List<double>();
        var texts = new List<string>();
        foreach (var block in reader.ReadSamples())
        {
            if (block.Stream != stream)
            {
                continue;
            }

            stamps.AddRange(block.Timestamps.ToArray());
            values.AddRange(block.Values.ToArray());
            if (block.IsText)
            {
                for (int i = 0; i < block.Count; i++)
                {
                    for (int c = 0; c < stream.Info.ChannelCount; c++)
                    {
                        texts.Add(block.Text(i, c));
                    }
                }
            }
        }

        return ([.. stamps], [.. values], [.. texts]);
    }

    internal static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"element {i}: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }
}
