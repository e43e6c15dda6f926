using CausalStream.Core.Pipeline;
using CausalStream.Core.Streams;

namespace CausalStream.Core.Replay;

/// <summary>
/// An ingest stage that tees every validated chunk and marker to an <see cref="XdfSessionRecorder"/>, so the raw
/// streams are recorded exactly as the pipeline saw them. Place it first so it records before analyses run.
/// </summary>
public sealed class XdfRecordingStage : IIngestStage
{
    private readonly XdfSessionRecorder _recorder;

    public XdfRecordingStage(XdfSessionRecorder recorder)
    {
        _recorder = recorder ?? throw new ArgumentNullException(nameof(recorder));
    }

    public string Name => "record-raw";

    public ValueTask OnChunkAsync(SampleChunk chunk, IResultPublisher publisher, CancellationToken cancellationToken)
    {
        _recorder.RecordChunk(chunk);
        return ValueTask.CompletedTask;
    }

    public ValueTask OnMarkerAsync(MarkerEvent marker, IResultPublisher publisher, CancellationToken cancellationToken)
    {
        _recorder.RecordMarker(marker);
        return ValueTask.CompletedTask;
    }

    public ValueTask CompleteAsync(IResultPublisher publisher, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
