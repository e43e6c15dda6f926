using System.Diagnostics;
using CausalStream.Core.Formats;
using CausalStream.Core.Pipeline;
using CausalStream.Core.Replay;
using CausalStream.Core.Tests.Formats;

namespace CausalStream.Core.Tests.Replay;

public class ReplaySourceTests
{
    [Fact]
    public async Task MaxSpeedDeliversEverythingWithTheFilesTimestamps()
    {
        using var file = new TempFile(".xdf");
        XdfFixtures.WriteEegAndMarkers(file.Path, chunks: 10, chunkSize: 25);
        using var recording = RecordingFile.Open(file.Path);
        var source = new ReplaySource(recording, new ReplayOptions { Speed = double.PositiveInfinity });
        var output = new CollectingOutput();
        await source.RunAsync(output, CancellationToken.None);
        Assert.Equal(250, output.Stamps["EEG"].Count);
        Assert.Equal(Enumerable.Range(0, 250).Select(i => 10 + (i / 100.0)), output.Stamps["EEG"]);
        Assert.Equal(10, output.Markers.Count);
        Assert.Equal("chunk 0", output.Markers[0].Payload);
        Assert.Equal(2.49, source.Progress.RecordingSeconds, 9);
        Assert.Equal(2.49, source.Progress.TotalSeconds, 9);
        Assert.True(source.Finished);
    }

    [Fact]
    public async Task SpeedTenKeepsRelativeTimingAtATenthOfRealTime()
    {
        using var file = new TempFile(".xdf");
        XdfFixtures.WriteEegAndMarkers(file.Path, chunks: 20, chunkSize: 25);
        using var recording = RecordingFile.Open(file.Path);
        var source = new ReplaySource(recording, new ReplayOptions { Speed = 10 });
        var clock = Stopwatch.StartNew();
        await source.RunAsync(new CollectingOutput(), CancellationToken.None);
        // 4.99 s of recording at ×10: about 0.5 s.
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.45, 3);
    }

    [Fact]
    public async Task FromAndToAreSecondsFromTheStartOfTheRecording()
    {
        using var file = new TempFile(".xdf");
        XdfFixtures.WriteEegAndMarkers(file.Path, chunks: 20, chunkSize: 25);
        using var recording = RecordingFile.Open(file.Path);
        var source = new ReplaySource(recording, new ReplayOptions { Speed = double.PositiveInfinity, From = 1, To = 2 });
        var output = new CollectingOutput();
        await source.RunAsync(output, CancellationToken.None);
        Assert.Equal(101, output.Stamps["EEG"].Count);
        Assert.Equal(11.0, output.Stamps["EEG"][0], 9);
        Assert.Equal(12.0, output.Stamps["EEG"][^1], 9);
        Assert.All(output.Markers, m => Assert.InRange(m.Timestamp, 11, 12));
    }

    [Fact]
    public async Task ATruncatedFileIsReplayedUpToTheDamageThenFailsWithItsOffset()
    {
        using var file = new TempFile(".xdf");
        XdfFixtures.WriteEegAndMarkers(file.Path, chunks: 10, chunkSize: 25);
        var bytes = File.ReadAllBytes(file.Path);
        File.WriteAllBytes(file.Path, bytes[..(bytes.Length - 700)]);
        using var recording = RecordingFile.Open(file.Path);
        var source = new ReplaySource(recording, new ReplayOptions { Speed = double.PositiveInfinity });
        var pipeline = new StreamPipeline([source], [], [], new PipelineOptions(StatusIntervalSeconds: 0));
        await pipeline.RunAsync(CancellationToken.None);
        var failure = Assert.IsType<DataFormatException>(source.Failure);
        Assert.StartsWith("byte offset ", failure.Position, StringComparison.Ordinal);
        Assert.Equal(recording.Streams.Sum(s => s.Name == "EEG" ? ((XdfRecording)recording).Reader.Streams[0].SampleCount : 0), pipeline.Health["EEG"].Samples);
        Assert.True(pipeline.Health["EEG"].Samples >= 200);
        Assert.True(pipeline.Events.Total(PipelineEventKind.SourceFailed) >= 1);
    }

    [Fact]
    public async Task BdfStatusChannelBecomesTriggerMarkersAndSignalsAreGroupedByRate()
    {
        using var file = new TempFile(".bdf");
        var writer = new EdfTestWriter
        {
            Bdf = true,
            Reserved = "BDF+C",
            Signals =
            {
                ("Fz", 8, -100, 100, -8388608, 8388607),
                ("Cz", 8, -100, 100, -8388608, 8388607),
                ("Slow", 2, -100, 100, -8388608, 8388607),
                ("Status", 8, -8388608, 8388607, -8388608, 8388607),
                ("BDF Annotations", 20, -1, 1, -8388608, 8388607),
            },
        };
        // Status: resting level 0x100000 (a high status bit) with triggers 5 at sample 3-4 and 7 at 12.
        int Status(int r, int i)
        {
            int n = (r * 8) + i;
            return 0x100000 | (n is 3 or 4 ? 5 : n == 12 ? 7 : 0);
        }

        File.WriteAllBytes(file.Path, writer.Build(2, (r, s, i) => s == 3 ? Status(r, i) : (r * 8) + i, r => EdfTestWriter.Tal(r, (r + 0.25, null, "note " + r))));
        using var recording = RecordingFile.Open(file.Path);
        string stem = Path.GetFileNameWithoutExtension(file.Path);
        Assert.Equal("BDF+", recording.Format);
        Assert.Equal([$"{stem} 8 Hz", $"{stem} 2 Hz", $"{stem} annotations", $"{stem} triggers"], recording.Streams.Select(s => s.Name));
        Assert.Equal(["Fz", "Cz"], recording.Streams[0].ChannelLabels);
        var output = new CollectingOutput();
        await new ReplaySource(recording, new ReplayOptions { Speed = double.PositiveInfinity }).RunAsync(output, CancellationToken.None);
        Assert.Equal(Enumerable.Range(0, 16).Select(i => i / 8.0), output.Stamps[$"{stem} 8 Hz"]);
        Assert.Equal([0, 0.5, 1, 1.5], output.Stamps[$"{stem} 2 Hz"]);
        var triggers = output.Markers.Where(m => m.Stream.EndsWith("triggers", StringComparison.Ordinal)).ToList();
        Assert.Equal(["5", "7"], triggers.Select(m => m.Payload));
        Assert.Equal([3 / 8.0, 12 / 8.0], triggers.Select(m => m.Timestamp));
        Assert.Equal([5.0, 7.0], triggers.Select(m => m.Code!.Value));
        var notes = output.Markers.Where(m => m.Stream.EndsWith("annotations", StringComparison.Ordinal)).ToList();
        Assert.Equal([("note 0", 0.25), ("note 1", 1.25)], notes.Select(m => (m.Payload, m.Timestamp)));
    }

    [Fact]
    public async Task CsvFilesReplayThroughTheExistingReader()
    {
        using var file = new TempFile(".csv");
        File.WriteAllText(file.Path, "t,a,b\n0,1,2\n0.5,3,4\n1.0,5,6\n");
        using var recording = RecordingFile.Open(file.Path);
        Assert.Equal("CSV", recording.Format);
        var output = new CollectingOutput();
        await new ReplaySource(recording, new ReplayOptions { Speed = double.PositiveInfinity }).RunAsync(output, CancellationToken.None);
        Assert.Equal([1.0, 2, 3, 4, 5, 6], output.Values[recording.Streams[0].Name]);
    }

    [Fact]
    public void AnUnknownFileKindIsRefused()
    {
        using var file = new TempFile(".bin");
        File.WriteAllText(file.Path, "hello");
        var error = Assert.Throws<DataFormatException>(() => RecordingFile.Open(file.Path));
        Assert.Contains("not a recording", error.Message, StringComparison.Ordinal);
    }
}
