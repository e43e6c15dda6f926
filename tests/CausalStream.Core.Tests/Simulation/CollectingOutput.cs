using CausalStream.Core.Pipeline;
using CausalStream.Core.Streams;

namespace CausalStream.Core.Tests.Simulation;

/// <summary>Test output that copies every chunk's values and timestamps, keeps markers, and disposes chunks.</summary>
internal sealed class CollectingOutput : ISourceOutput
{
    private readonly object _lock = new();

    /// <summary>Called after each chunk is stored, with the zero-based chunk index.</summary>
    public Action<int>? AfterChunk { get; init; }

    public List<double> Values { get; } = [];

    public List<double> Timestamps { get; } = [];

    public List<int> ChunkSizes { get; } = [];

    public List<long> ArrivalTicks { get; } = [];

    public List<string> ChunkStreams { get; } = [];

    public List<MarkerEvent> Markers { get; } = [];

    public List<string> Errors { get; } = [];

    public int SampleCount => Timestamps.Count;

    public ValueTask WriteAsync(SampleChunk chunk, CancellationToken cancellationToken)
    {
        int index;
        lock (_lock)
        {
            Values.AddRange(chunk.Values.ToArray());
            Timestamps.AddRange(chunk.Timestamps.ToArray());
            ChunkSizes.Add(chunk.SampleCount);
            ArrivalTicks.Add(chunk.ArrivalTicks);
            ChunkStreams.Add(chunk.Stream.Name);
            index = ChunkSizes.Count - 1;
        }

        chunk.Dispose();
        AfterChunk?.Invoke(index);
        return ValueTask.CompletedTask;
    }

    public ValueTask WriteAsync(MarkerEvent marker, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Markers.Add(marker);
        }

        return ValueTask.CompletedTask;
    }

    public void ReportError(string stream, string message)
    {
        lock (_lock)
        {
            Errors.Add(stream + ": " + message);
        }
    }
}
