using System.Threading.Channels;
using CausalStream.Core.Streams;

namespace CausalStream.Core.Pipeline;

/// <summary>Adapts one source to the shared ingest queue, taking ownership of what it writes.</summary>
internal sealed class SourceOutput : ISourceOutput
{
    private readonly ChannelWriter<IngestItem> _writer;
    private readonly Func<string, StreamHealth?> _health;
    private readonly PipelineEventLog _events;

    public SourceOutput(ChannelWriter<IngestItem> writer, Func<string, StreamHealth?> health, PipelineEventLog events)
    {
        _writer = writer;
        _health = health;
        _events = events;
    }

    public ValueTask WriteAsync(SampleChunk chunk, CancellationToken cancellationToken)
    {
        var item = new IngestItem(chunk, null);
        if (_writer.TryWrite(item))
        {
            return ValueTask.CompletedTask;
        }

        return WaitAndWriteAsync(item, cancellationToken);
    }

    public ValueTask WriteAsync(MarkerEvent marker, CancellationToken cancellationToken)
    {
        var item = new IngestItem(null, marker);
        if (_writer.TryWrite(item))
        {
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
        }
        catch
        {
            item.Chunk?.Dispose();
            throw;
        }
    }
}
