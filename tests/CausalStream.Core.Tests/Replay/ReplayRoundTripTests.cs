using CausalStream.Core.Formats;
using CausalStream.Core.Pipeline;
using CausalStream.Core.Replay;
using CausalStream.Core.Sinks;
using CausalStream.Core.Streams;
using CausalStream.Core.Tests.Formats;
using CausalStream.Core.Windows;

namespace CausalStream.Core.Tests.Replay;

public class ReplayRoundTripTests
{
    private static readonly WindowSpec Spec = WindowSpec.InSeconds(1, 0.25);

    [Fact]
    public async Task ASessionRecordedToXdfReplaysWithIdenticalResults()
    {
        using var xdf = new TempFile(".xdf");
        using var live = new TempFile(".jsonl");
        using var replayed = new TempFile(".jsonl");
        var options = new PipelineOptions(StatusIntervalSeconds: 0);

        var source = new SyntheticSource();
        var recorder = new XdfSessionRecorder(xdf.Path, source.Streams);
        var livePipeline = new StreamPipeline(
            [source],
            [new XdfRecordingStage(recorder), new WindowStage(Spec, source.Streams)],
            [new SinkBinding(new JsonLinesSink(live.Path, r => r is WindowSummary), 1024, EdgePolicy.Wait), new SinkBinding(new XdfRecordingSink(recorder), 1024, EdgePolicy.Wait)],
            options);
        await livePipeline.RunAsync(CancellationToken.None);

        using var recording = new XdfRecording(xdf.Path);
        Assert.Empty(recording.Problems);
        Assert.Equal(["EEG", "Events", XdfSessionRecorder.ResultsStream], recording.Streams.Select(s => s.Name));
        Assert.Equal(ChannelFormat.Double64, recording.Streams[0].Format);
        var replay = new ReplaySource(recording, new ReplayOptions { Speed = double.PositiveInfinity });
        var replayPipeline = new StreamPipeline(
            [replay],
            [new WindowStage(Spec, replay.Streams)],
            [new SinkBinding(new JsonLinesSink(replayed.Path, r => r is WindowSummary), 1024, EdgePolicy.Wait)],
            options);
        await replayPipeline.RunAsync(CancellationToken.None);

        var liveLines = File.ReadAllLines(live.Path);
        Assert.Equal(29, liveLines.Length);
        Assert.Equal(liveLines, File.ReadAllLines(replayed.Path));
        Assert.Null(replay.Failure);
        Assert.Equal(2000, replayPipeline.Health["EEG"].Samples);
        Assert.Equal(8, replayPipeline.Health["Events"].Markers);

        // The results stream inside the file holds the same JSON objects as the live JSON Lines file.
        var results = recording.Read(double.NegativeInfinity, double.PositiveInfinity)
            .Where(i => i.Marker?.Stream == XdfSessionRecorder.ResultsStream)
            .Select(i => i.Marker!.Payload)
            .ToArray();
        Assert.Equal(liveLines, results);
    }

    [Fact]
    public void AKilledRecorderLeavesAFileReadableUpToItsLastChunk()
    {
        using var xdf = new TempFile(".xdf");
        var recorder = new XdfSessionRecorder(xdf.Path, [SyntheticSource.Data]);
        var chunk = SampleChunk.Rent(SyntheticSource.Data, 10);
        for (int i = 0; i < 10; i++)
        {
            chunk.Timestamps[i] = i / 250.0;
        }

        for (int k = 0; k < 5; k++)
        {
            recorder.RecordChunk(chunk);
        }

        recorder.RecordStimulation(new CausalStream.Core.Stimulation.StimulationCommand(2, 1.5, 0.001, 0.02, "rule 1"));

        // No Dispose: as if the process was killed. Copy the bytes the OS holds.
        var copy = xdf.Path + ".copy";
        File.Copy(xdf.Path, copy);
        try
        {
            using var reader = XdfReader.Open(copy);
            Assert.Null(reader.Damage);
            Assert.Equal(50, reader.Streams[0].SampleCount);
            Assert.Null(reader.Streams[0].FooterXml);
            var stim = reader.Streams.Single(s => s.Info.Name == XdfSessionRecorder.StimulationStream);
            var (_, _, texts) = XdfSharedFileTests.ReadAll(reader, stim);
            Assert.Equal(["stim channel=2 amplitude=1.5 duration=0.001 reason=rule 1"], texts);
        }
        finally
        {
            chunk.Dispose();
            recorder.Dispose();
            File.Delete(copy);
        }
    }

    [Fact]
    public void GraphsAreRecordedAsEdgeWeightStreamsAndJson()
    {
        using var xdf = new TempFile(".xdf");
        using (var recorder = new XdfSessionRecorder(xdf.Path, []))
        {
            var edges = new[] { new CausalEdge(0, 1, 0.5, 3, 2, 100, 0.01, 0.02, true, [0.1, 0.2], [1, 2]), new CausalEdge(1, 0, 0.05, 1, 2, 100, 0.4, 0.4, false, [0.0, 0.01], [0.1, 0.2]) };
            recorder.RecordResult(new CausalGraph("EEG", 1, 3, 500, 498, 0, ["Fz", "Cz"], "granger", 2, "fdr_bh", 0.05, false, 1, edges));
            recorder.RecordResult(new CausalGraph("EEG", 2, 4, 500, 498, 0, ["Fz", "Cz"], "granger", 2, "fdr_bh", 0.05, false, 2, edges));
        }

        using var reader = XdfReader.Open(xdf.Path);
        var graph = reader.Streams.Single(s => s.Info.Name == XdfSessionRecorder.GraphStreamPrefix + "EEG");
        Assert.Equal(["Fz->Cz", "Cz->Fz"], graph.Info.ChannelLabels);
        var (stamps, values, _) = XdfSharedFileTests.ReadAll(reader, graph);
        Assert.Equal([3.0, 4.0], stamps);
        Assert.Equal([0.5, 0.05, 0.5, 0.05], values);
        var results = reader.Streams.Single(s => s.Info.Name == XdfSessionRecorder.ResultsStream);
        Assert.Equal(2, results.SampleCount);
    }
}
