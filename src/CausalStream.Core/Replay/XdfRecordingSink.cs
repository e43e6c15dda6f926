using CausalStream.Core.Pipeline;
using CausalStream.Core.Streams;

namespace CausalStream.Core.Replay;

/// <summary>
/// A result sink that records results into an <see cref="XdfSessionRecorder"/> and, when flushed at shutdown (after
/// the ingest stages have finished), writes the footers and closes the file.
/// </summary>
public sealed class XdfRecordingSink : IResultSink
{
    private readonly XdfSessionRecorder _recorder;

    public XdfRecordingSink(XdfSessionRecorder recorder)
    {
        _recorder = recorder ?? throw new ArgumentNullException(nameof(recorder));
    }

    public string Name => "record";

    public ValueTask ConsumeAsync(PipelineResult result, CancellationToken cancellationToken)
    {
        _recorder.RecordResult(result);
        return ValueTask.CompletedTask;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        _recorder.Dispose();
        return ValueTask.CompletedTask;
    }
}
