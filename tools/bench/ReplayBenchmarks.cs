using BenchmarkDotNet.Attributes;
using CausalStream.Engine.Graphs;
using BenchmarkDotNet.Engines;
using CausalStream.Core.Pipeline;
using CausalStream.Core.Replay;
using CausalStream.Core.Streams;
using CausalStream.Core.Windows;

namespace CausalStream.Bench;

/// <summary>
/// Replays a generated 10-minute recording (64 channels × 1 kHz float32, written by the XDF writer) through a
/// StreamPipeline at maximum speed (lossless, Wait policy): XDF read → pooled chunks → ingest validation → stages.
/// × real time = 600 s / Mean. The stage list comes from <see cref="Stages"/>, keyed by the <see cref="Stage"/>
/// parameter, so an engine stage can be measured by adding an entry there.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
[MemoryDiagnoser]
public class ReplayBenchmarks
{
    public const double RecordingSeconds = 600;

    /// <summary>
    /// Stage lists by name; each gets the recording's streams. "window": a 2 s sliding window, hop 0.25 s.
    /// "granger": the Granger engine on the first regular stream, 2 s window, hop 100 ms, VAR(3) as in the default
    /// configuration, waiting for every solve (replay is lossless).
    /// </summary>
    public static Dictionary<string, Func<IReadOnlyList<StreamInfo>, IReadOnlyList<IIngestStage>>> Stages { get; } = new()
    {
        ["none"] = _ => [],
        ["window"] = streams => [new WindowStage(WindowSpec.InSeconds(2, 0.25), streams)],
        ["granger"] = streams => [new GrangerStage(FirstRegular(streams), new GrangerStageOptions { WindowSamples = 2000, HopSamples = 100, MaxLag = 3, SkipWhenBusy = false })],
    };

    private static StreamInfo FirstRegular(IReadOnlyList<StreamInfo> streams)
    {
        foreach (var stream in streams)
        {
            if (stream.NominalRate > 0)
            {
                return stream;
            }
        }

        throw new InvalidOperationException("the recording has no regular stream");
    }

    private string _file = string.Empty;

    [ParamsSource(nameof(StageNames))]
    public string Stage { get; set; } = "window";

    public static IEnumerable<string> StageNames => Stages.Keys;

    [GlobalSetup]
    public void Setup() => _file = FormatBenchData.Xdf(64, 1000, RecordingSeconds);

    [Benchmark]
    public async Task<long> ReplayMaxSpeed()
    {
        using var recording = RecordingFile.Open(_file);
        var source = new ReplaySource(recording, new ReplayOptions { Speed = double.PositiveInfinity });
        var pipeline = new StreamPipeline([source], Stages[Stage](recording.Streams), [], new PipelineOptions(1024, EdgePolicy.Wait, 0));
        await pipeline.RunAsync(CancellationToken.None);
        if (source.Failure is not null || pipeline.Health["EEG"].Samples != 600_000)
        {
            throw new InvalidOperationException($"replay incomplete: {pipeline.Health["EEG"].Samples} samples, {source.Failure?.Message}");
        }

        return pipeline.Health["EEG"].Samples;
    }
}
