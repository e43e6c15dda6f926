using System.Threading.Channels;
using CausalStream.Core.Pipeline;
using CausalStream.Core.Streams;

namespace CausalStream.Core.Stimulation;

/// <summary>
/// Publishes stimulation decisions to the sinks (the live stimulation log) from its own task: the trigger path
/// only writes to a bounded drop-oldest queue, so a slow sink can never delay a stimulation decision.
/// </summary>
public sealed class DecisionPublishingStage : IIngestStage, IStimulationAudit
{
    private readonly Channel<StimulationDecision> _queue;
    private Task? _pump;
    private long _dropped;

    public DecisionPublishingStage(int capacity = 256)
    {
        _queue = Channel.CreateBounded<StimulationDecision>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _dropped));
    }

    public string Name => "stimulation-log";

    /// <summary>Decisions dropped because the log fell behind (the audit file still has them).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Record(StimulationDecision decision) => _queue.Writer.TryWrite(decision);

    public void RecordState(bool armed, string reason, DateTime wallClock)
    {
    }

    public ValueTask OnChunkAsync(SampleChunk chunk, IResultPublisher publisher, CancellationToken cancellationToken)
    {
        _pump ??= Task.Run(() => PumpAsync(publisher, cancellationToken), CancellationToken.None);
        return ValueTask.CompletedTask;
    }

    public ValueTask OnMarkerAsync(MarkerEvent marker, IResultPublisher publisher, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async ValueTask CompleteAsync(IResultPublisher publisher, CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        if (_pump is not null)
        {
            await _pump.ConfigureAwait(false);
        }
    }

    private async Task PumpAsync(IResultPublisher publisher, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var decision in _queue.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await publisher.PublishAsync(decision, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
