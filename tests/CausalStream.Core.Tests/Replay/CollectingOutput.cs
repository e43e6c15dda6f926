using CausalStream.Core.Pipeline;
using CausalStream.Core.Streams;

namespace CausalStream.Core.Tests.Replay;

/// <summary>An ISourceOutput that copies what it is given (per stream: timestamps and values), markers and errors.</summary>
internal sealed class CollectingOutput : ISourceOutput
{
    public Dictionary<string, List<double>> Stamps { get; } = [];

    public Dictionary<string, List<double>> Values { get; } = [];

    public List<MarkerEvent> Markers { get; } = [];

    public List<(string Stream, string Message)> Errors { get; } = [];

    public int Chunks { get; private set; }

    public ValueTask WriteAsync(SampleChunk chunk, CancellationToken cancellationToken)
    {
        using (chunk)
        {
            string name = chunk.Stream.Name;
            if (!Stamps.ContainsKey(name))
            {
                Stamps[name] = [];
                Values[name] = [];
            }

            Stamps[name].AddRange(chunk.Timestamps.ToArray());
            Values[name].AddRange(chunk.Values.ToArray());
            Chunks++;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask WriteAsync(MarkerEvent marker, CancellationToken cancellationToken)
    {
        Markers.Add(marker);
        return ValueTask.CompletedTask;
    }

    public void ReportError(string stream, string message) => Errors.Add((stream, message));
}
