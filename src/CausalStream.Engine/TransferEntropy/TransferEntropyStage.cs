using CausalStream.Core.Pipeline;
using CausalStream.Core.Streams;
using CausalStream.Engine.Stages;

namespace CausalStream.Engine.TransferEntropy;

/// <summary>
/// Live transfer entropy for chosen channel pairs on a sliding window of one stream. The ingest path only writes each
/// sample into a ring (O(C) per sample); every hop the window is copied in time order and a worker estimates TE for
/// every pair (KSG with surrogates, or Gaussian), publishing a <see cref="CausalGraph"/>. KSG needs the samples
/// themselves, so its cost grows with the window (about W·log W per pair and surrogate); a hop that finds the worker
/// busy is skipped and counted (live) or waits (replay).
/// </summary>
public sealed class TransferEntropyStage : IIngestStage, IHopJob
{
    private readonly StreamInfo _stream;
    private readonly TransferEntropyStageOptions _options;
    private readonly PipelineEventLog? _events;
    private readonly int _channels;
    private readonly double[] _ring;
    private readonly double[] _times;
    private readonly double[] _snapshot;
    private readonly HopWorker _hops;
    private long _pushed;
    private long _sinceHop;
    private long _sequence;
    private Pending _pending;

    /// <summary>Creates the stage for one stream.</summary>
    /// <exception cref="ArgumentException">The window, hop or pairs do not fit; the message names the stream.</exception>
    public TransferEntropyStage(StreamInfo stream, TransferEntropyStageOptions options, PipelineEventLog? events = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        _stream = stream;
        _options = options;
        _events = events;
        _channels = stream.ChannelCount;
        _hops = new HopWorker(this, stream.Name, "transfer entropy", options.SkipWhenBusy, events);
        if (options.HopSamples < 1)
        {
            throw new ArgumentException($"stream '{stream.Name}': hop must be at least one sample (got {options.HopSamples})", nameof(options));
        }
        if (options.Pairs.Count == 0)
        {
            throw new ArgumentException($"stream '{stream.Name}': transfer entropy needs at least one channel pair", nameof(options));
        }
        foreach (var (source, target) in options.Pairs)
        {
            if ((uint)source >= (uint)_channels || (uint)target >= (uint)_channels || source == target)
            {
                throw new ArgumentException($"stream '{stream.Name}': pair {source} -> {target} is not two different channels of 0..{_channels - 1}", nameof(options));
            }
        }
        int minimum = TransferEntropyStageOptions.MinimumWindowSamples(options.Estimator.MaxLag);
        if (options.WindowSamples < minimum)
        {
            throw new ArgumentException($"stream '{stream.Name}': a window of {options.WindowSamples} samples is too short for transfer entropy with lags up to {options.Estimator.MaxLag}; it needs at least {minimum} samples", nameof(options));
        }
        _ring = new double[options.WindowSamples * _channels];
        _snapshot = new double[options.WindowSamples * _channels];
        _times = new double[options.WindowSamples];
    }

    /// <inheritdoc />
    public string Name => "te:" + _stream.Name;

    /// <summary>Hops skipped because the previous solve was still running.</summary>
    public long HopsSkipped => _hops.Skipped;

    /// <summary>Results published so far.</summary>
    public long GraphsPublished => _hops.Published;

    /// <inheritdoc />
    public async ValueTask OnChunkAsync(SampleChunk chunk, IResultPublisher publisher, CancellationToken cancellationToken)
    {
        if (!ReferenceEquals(chunk.Stream, _stream) && chunk.Stream.Name != _stream.Name)
        {
            return;
        }

        for (int i = 0; i < chunk.SampleCount; i++)
        {
            int slot = (int)(_pushed % _options.WindowSamples);
            chunk.Sample(i).CopyTo(_ring.AsSpan(slot * _channels, _channels));
            _times[slot] = chunk.Timestamps[i];
            _pushed++;
            if (_pushed < _options.WindowSamples)
            {
                continue;
            }
            if (_pushed == _options.WindowSamples || ++_sinceHop >= _options.HopSamples)
            {
                _sinceHop = 0;
                await _hops.DispatchAsync(chunk.ArrivalTicks, publisher, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public ValueTask OnMarkerAsync(MarkerEvent marker, IResultPublisher publisher, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public ValueTask CompleteAsync(IResultPublisher publisher, CancellationToken cancellationToken) => _hops.CompleteAsync(cancellationToken);

    /// <summary>Estimates every pair on a time-ordered window (row-major, W × C); null when the window cannot be analysed.</summary>
    public CausalGraph? Solve(ReadOnlySpan<double> window, double windowStart, double windowEnd, long sequence)
    {
        var results = new List<TransferEntropyResult>(_options.Pairs.Count);
        try
        {
            foreach (var (source, target) in _options.Pairs)
            {
                results.Add(_options.Method == TransferEntropyMethod.Ksg
                    ? TransferEntropyEstimator.Ksg(window, _channels, source, target, _options.Estimator)
                    : TransferEntropyEstimator.Gaussian(window, _channels, source, target, _options.Estimator));
            }
        }
        catch (ArgumentException ex)
        {
            _events?.Report(PipelineEventKind.Info, _stream.Name, $"stream '{_stream.Name}': transfer entropy not estimated for the window ending {windowEnd}: {ex.Message}", isWarning: true);
            return null;
        }
        string method = _options.Method == TransferEntropyMethod.Ksg ? "ksg" : "gaussian";
        var graph = TransferEntropyGraphBuilder.Build(results, _options.Estimator, method, _options.Fdr, _stream.Name, _stream.ChannelLabels, windowStart, windowEnd, window.Length / _channels);
        return graph with { Sequence = sequence };
    }

    /// <inheritdoc/>
    void IHopJob.Snapshot(long arrivalTicks)
    {
        // The oldest sample sits at the next write slot; copy the ring in time order.
        int w = _options.WindowSamples;
        int oldest = (int)(_pushed % w);
        int tail = (w - oldest) * _channels;
        _ring.AsSpan(oldest * _channels, tail).CopyTo(_snapshot);
        _ring.AsSpan(0, oldest * _channels).CopyTo(_snapshot.AsSpan(tail));
        _pending = new Pending(_times[oldest], _times[(int)((_pushed - 1) % w)], arrivalTicks, ++_sequence);
    }

    /// <inheritdoc/>
    CausalGraph? IHopJob.Solve()
    {
        var graph = Solve(_snapshot, _pending.WindowStart, _pending.WindowEnd, _pending.Sequence);
        return graph is null ? null : graph with { NewestArrivalTicks = _pending.ArrivalTicks };
    }

    private readonly record struct Pending(double WindowStart, double WindowEnd, long ArrivalTicks, long Sequence);
}
