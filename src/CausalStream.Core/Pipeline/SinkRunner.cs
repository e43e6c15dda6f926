using System.Threading.Channels;
using CausalStream.Core.Streams;

namespace CausalStream.Core.Pipeline;

/// <summary>Drives one sink from its own bounded queue and measures arrival-to-emission latency.</summary>
internal sealed class SinkRunner
{
    private readonly SinkBinding _binding;
    private readonly Channel<PipelineResult> _queue;
    private readonly PipelineEventLog _events;
    private Task _task = Task.CompletedTask;

    public SinkRunner(SinkBinding binding, PipelineEventLog events)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(binding.Capacity);
        _binding = binding;
        _events = events;
        Metrics = new StageMetrics("sink:" + binding.Sink.Name);
        var options = new BoundedChannelOptions(binding.Capacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = binding.Policy == EdgePolicy.Wait ? BoundedChannelFullMode.Wait : BoundedChannelFullMode.DropOldest,
        };
        _queue = Channel.CreateBounded<PipelineResult>(options, OnDropped);
        Metrics.ObserveQueue(() => _queue.Reader.Count);
    }

    public StageMetrics Metrics { get; }

    public EdgePolicy Policy => _binding.Policy;

    public void Start(CancellationToken abort) => _task = Task.Run(() => RunAsync(abort), CancellationToken.None);

    public ValueTask EnqueueAsync(PipelineResult result, CancellationToken cancellationToken)
    {
        if (_queue.Writer.TryWrite(result))
        {
            return ValueTask.CompletedTask;
        }

        return _queue.Writer.WriteAsync(result, cancellationToken);
    }

    public Task CompleteAsync()
    {
        _queue.Writer.TryComplete();
        return _task;
    }

    private void OnDropped(PipelineResult result)
    {
        Metrics.AddDropped();
        _events.Report(PipelineEventKind.Dropped, Metrics.Name, $"sink '{_binding.Sink.Name}' is behind: dropped the oldest queued {result.GetType().Name} (queue capacity {_binding.Capacity})");
    }

    private async Task RunAsync(CancellationToken abort)
    {
        var sink = _binding.Sink;
        bool failed = false;
        try
        {
            await foreach (var result in _queue.Reader.ReadAllAsync(abort).ConfigureAwait(false))
            {
                if (failed)
                {
                    continue;
                }

                try
                {
                    await sink.ConsumeAsync(result, abort).ConfigureAwait(false);
                    Metrics.AddProcessed();
                    if (result.NewestArrivalTicks > 0)
                    {
                        Metrics.Latency.RecordSeconds(MonotonicClock.ToSeconds(MonotonicClock.Now - result.NewestArrivalTicks));
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    failed = true;
                    _events.Report(PipelineEventKind.SinkFailed, Metrics.Name, $"sink '{sink.Name}' failed and is disabled; other sinks continue: {ex.Message}");
                }
            }
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            return;
        }

        if (!failed)
        {
            try
            {
                await sink.FlushAsync(abort).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _events.Report(PipelineEventKind.SinkFailed, Metrics.Name, $"sink '{sink.Name}' failed to flush: {ex.Message}");
            }
        }
    }
}
