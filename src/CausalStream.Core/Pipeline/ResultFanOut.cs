using CausalStream.Core.Streams;

namespace CausalStream.Core.Pipeline;

/// <summary>Hands each result to every sink's own queue; only Wait-policy sinks can make a publisher wait.</summary>
internal sealed class ResultFanOut : IResultPublisher
{
    private readonly SinkRunner[] _sinks;
    private readonly StageMetrics _metrics = new("results");

    public ResultFanOut(SinkRunner[] sinks)
    {
        _sinks = sinks;
    }

    public StageMetrics Metrics => _metrics;

    public async ValueTask PublishAsync(PipelineResult result, CancellationToken cancellationToken)
    {
        _metrics.AddProcessed();
        for (int i = 0; i < _sinks.Length; i++)
        {
            await _sinks[i].EnqueueAsync(result, cancellationToken).ConfigureAwait(false);
        }
    }
}
