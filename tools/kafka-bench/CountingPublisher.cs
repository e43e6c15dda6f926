using CausalStream.Core.Pipeline;
using CausalStream.Core.Streams;

namespace CausalStream.KafkaBench;

/// <summary>Counts published results (engine check without Kafka).</summary>
internal sealed class CountingPublisher : IResultPublisher
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public ValueTask PublishAsync(PipelineResult result, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _count);
        return ValueTask.CompletedTask;
    }
}
