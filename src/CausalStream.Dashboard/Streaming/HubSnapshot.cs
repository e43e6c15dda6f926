using CausalStream.Core.Stimulation;
using CausalStream.Core.Streams;

namespace CausalStream.Dashboard.Streaming;

/// <summary>What a newly connected browser is sent before the live events: the state the hub held at that moment.</summary>
internal sealed record HubSnapshot(PipelineStatus? Status, IReadOnlyList<CausalGraph[]> Graphs, StimulationDecision[] Decisions, byte[]? Control)
{
    public static HubSnapshot Empty { get; } = new(null, [], [], null);

    /// <summary>The snapshot as events, in the order the browser should apply them.</summary>
    public List<byte[]> Encode(SseEncoder encoder)
    {
        var frames = new List<byte[]>(4 + (Graphs.Count * 2) + Decisions.Length) { SseEncoder.Retry };
        if (Control is not null)
        {
            frames.Add(Control);
        }

        if (Status is not null && encoder.Encode(Status) is { } status)
        {
            frames.Add(status);
        }

        foreach (var graphs in Graphs)
        {
            if (graphs.Length == 0)
            {
                continue;
            }

            frames.Add(encoder.EncodeHistory(graphs[^1].Stream, graphs));
            if (encoder.Encode(graphs[^1]) is { } latest)
            {
                frames.Add(latest);
            }
        }

        foreach (var decision in Decisions)
        {
            if (encoder.Encode(decision) is { } frame)
            {
                frames.Add(frame);
            }
        }

        return frames;
    }
}
