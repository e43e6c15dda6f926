using CausalStream.Core.Pipeline;
using CausalStream.Core.Streams;

namespace CausalStream.Lsl.Tests.Pipeline;

/// <summary>An <see cref="ISourceOutput"/> that keeps what a source wrote (chunk contents copied, chunks released).</summary>
internal sealed class CollectingOutput : ISourceOutput
{
    public List<double> Values { get; } = [];

    public List<double> Timestamps { get; } = [];

    public List<MarkerEvent> Markers { get; } = [];

    public List<string> Errors { get; } = [];

    public StreamInfo? Stream { get; private set; }

    public ValueTask WriteAsync(SampleChunk chunk, CancellationToken cancellationToken)
    {
        lock (this)
        {
            Stream = chunk.Stream;
            Values.AddRange(chunk.Values.ToArray());
            Timestamps.AddRange(chunk.Timestamps.ToArray());
        }

        chunk.Dispose();
        return ValueTask.CompletedTask;
    }

    public ValueTask WriteAsync(MarkerEvent marker, CancellationToken cancellationToken)
    {
        lock (this)
        {
            Markers.Add(marker);
        }

        return ValueTask.CompletedTask;
    }

    public void ReportError(string stream, string message)
    {
        lock (this)
        {
            Errors.Add(stream + ": " + message);
        }
    }

    public int Count
    {
        get
        {
            lock (this)
            {
                return Timestamps.Count + Markers.Count;
            }
        }
    }
}
