using CausalStream.Core.Streams;

namespace CausalStream.Core.Pipeline;

/// <summary>
/// A sink consumes results: console, file, dashboard, broker, stimulator. Each sink is driven by its own task
/// from its own bounded queue, so a slow sink never delays another.
/// </summary>
public interface IResultSink
{
    string Name { get; }

    ValueTask ConsumeAsync(PipelineResult result, CancellationToken cancellationToken);

    /// <summary>Called once after the last result, at shutdown: write out anything buffered.</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken);
}
