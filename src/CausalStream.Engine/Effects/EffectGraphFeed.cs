using CausalStream.Core.Pipeline;
using CausalStream.Core.Streams;

namespace CausalStream.Engine.Effects;

/// <summary>Hands every causal graph to an <see cref="EffectStage"/>, whose edge-weight covariates take the current weights.</summary>
public sealed class EffectGraphFeed(EffectStage stage) : IResultSink
{
    /// <inheritdoc />
    public string Name => "effects-graph-feed";

    /// <inheritdoc />
    public ValueTask ConsumeAsync(PipelineResult result, CancellationToken cancellationToken)
    {
        if (result is CausalGraph graph)
        {
            stage.ObserveGraph(graph);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
