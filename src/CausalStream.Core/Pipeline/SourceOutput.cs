using System.Threading.Channels;
using CausalStream.Core.Streams;

namespace CausalStream.Core.Pipeline;

/// <summary>Adapts one source to the shared ingest queue, taking ownership of what it writes.</summary>
internal sealed class SourceOutput : ISourceOutput
{
    private readonly ChannelWriter<IngestItem> _writer;
    private readonly Func<string, StreamHealth?> _health;
    private readonly PipelineEventLog _events;
    private readonly ManualResetEventSlim? _written;

    /// <param name="writer">The ingest queue.</param>
    /// <param name="health">Stream health by name, for source errors.</param>
    /// <param name="events">Where source errors are reported.</param>
    /// <param name="written">Set after every item written, to wake a waiting ingest thread; null when the reader awaits the queue itself.</param>
    public SourceOutput(ChannelWriter<IngestItem> writer, Func<string, StreamHealth?> health, PipelineEventLog events, ManualResetEventSlim? written = null)
    {
        _writer = writer;
        _health = health;
        _events = events;
        _written = written;
    }

    public ValueTask WriteAsync(SampleChunk chunk, CancellationToken cancellationToken)
    {
        var item = new IngestItem(chunk, null);
        if (_writer.TryWrite(item))
        {
            _written?.Set();
            return ValueTask.CompletedTask;
        }

        return WaitAndWriteAsync(item, cancellationToken);
    }

    public ValueTask WriteAsync(MarkerEvent marker, CancellationToken cancellationToken)
    {
        var item = new IngestItem(null, marker);
        if (_writer.TryWrite(item))
        {
            _written?.Set();
            return ValueTask.CompletedTask;
        }

        return WaitAndWriteAsync(item, cancellationToken);
    }

    public void ReportError(string stream, string message)
    {
        _health(stream)?.AddSourceError();
        _events.Report(PipelineEventKind.SourceError, stream, message);
    }

    private async ValueTask WaitAndWriteAsync(IngestItem item, CancellationToken cancellationToken)
    {
        try
        {
            await _writer.WriteAsync(item, cancellationToken).ConfigureAwait(false);
            _written?.Set();
        }
        catch
        {
            item.Chunk?.Dispose();
            throw;
        }
    }
}
