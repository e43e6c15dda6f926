using CausalStream.Core.Pipeline;

namespace CausalStream.Engine.Stages;

/// <summary>
/// Runs an analysis stage's per-hop work off the ingest task: the ingest task snapshots, one worker task solves and
/// publishes. A hop that finds the previous one still solving is skipped and counted (live), or waits for it (replay,
/// lossless), so ingest never queues solves behind each other.
/// </summary>
internal sealed class HopWorker
{
    private readonly IHopJob _job;
    private readonly string _stream;
    private readonly string _what;
    private readonly bool _skipWhenBusy;
    private readonly PipelineEventLog? _events;
    private readonly SemaphoreSlim _idle = new(1, 1);
    private readonly SemaphoreSlim _work = new(0, 1);
    private Task? _worker;
    private volatile bool _stopping;
    private long _skipped;
    private long _published;

    /// <param name="job">The stage's snapshot and solve.</param>
    /// <param name="stream">The stream's name, for messages.</param>
    /// <param name="what">What is solved, for messages (e.g. "Granger solve").</param>
    /// <param name="skipWhenBusy">True: skip a hop due while solving; false: wait for the solve.</param>
    /// <param name="events">Where skipped hops are reported.</param>
    public HopWorker(IHopJob job, string stream, string what, bool skipWhenBusy, PipelineEventLog? events)
    {
        _job = job;
        _stream = stream;
        _what = what;
        _skipWhenBusy = skipWhenBusy;
        _events = events;
    }

    /// <summary>Hops skipped because the previous solve was still running.</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    /// <summary>Results published.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Snapshots this hop on the calling task and hands it to the worker, or skips it when the worker is busy (live).</summary>
    public async ValueTask DispatchAsync(long arrivalTicks, IResultPublisher publisher, CancellationToken cancellationToken)
    {
        if (!_idle.Wait(0))
        {
            if (_skipWhenBusy)
            {
                long skipped = Interlocked.Increment(ref _skipped);
                _events?.Report(PipelineEventKind.HopSkipped, _stream, $"stream '{_stream}': {_what} still running when the next hop was due; hop skipped ({skipped} so far)");
                return;
            }

            await _idle.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        _job.Snapshot(arrivalTicks);
        _worker ??= Task.Run(() => SolveLoopAsync(publisher, cancellationToken), CancellationToken.None);
        _work.Release();
    }

    /// <summary>Waits for the hop in progress, then stops the worker.</summary>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        if (_worker is null)
        {
            return;
        }

        await _idle.WaitAsync(cancellationToken).ConfigureAwait(false);
        _stopping = true;
        _work.Release();
        await _worker.ConfigureAwait(false);
        _idle.Release();
    }

    private async Task SolveLoopAsync(IResultPublisher publisher, CancellationToken cancellationToken)
    {
        while (true)
        {
            await _work.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (_stopping)
            {
                return;
            }

            try
            {
                if (_job.Solve() is { } result)
                {
                    await publisher.PublishAsync(result, cancellationToken).ConfigureAwait(false);
                    Interlocked.Increment(ref _published);
                }
            }
            finally
            {
                _idle.Release();
            }
        }
    }
}
