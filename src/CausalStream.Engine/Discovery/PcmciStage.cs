using CausalStream.Core.Pipeline;
using CausalStream.Core.Streams;
using CausalStream.Engine.Stages;
using CausalStream.Engine.Statistics;

namespace CausalStream.Engine.Discovery;

/// <summary>
/// Live PCMCI / PCMCI+ on a sliding window of one stream. The ingest path only updates the windowed lagged
/// statistics (lags 0..2·τmax, O(C²·τmax) per sample); every hop a snapshot goes to the stage's own worker, which
/// turns it into the lagged covariance and runs the discovery, so every test is a small solve whose cost does not
/// depend on the window length. A hop that finds the worker busy is skipped and counted (live) or waits (replay).
/// </summary>
public sealed class PcmciStage : IIngestStage, IHopJob
{
    private readonly StreamInfo _stream;
    private readonly PcmciStageOptions _options;
    private readonly PipelineEventLog? _events;
    private readonly int _channels;
    private readonly double[] _times;
    private readonly HopWorker _hops;
    private readonly LaggedCovariance _stats;
    private readonly LaggedCovariance _snapshot;
    private readonly double[] _gram;
    private readonly LaggedVariableCovariance _covariance;
    private readonly Pcmci _pcmci;
    private readonly PcmciPlus _pcmciPlus;
    private long _pushed;
    private long _sinceHop;
    private long _sequence;
    private long _lastSolveTicks;
    private Pending _pending;

    /// <summary>Creates the stage for one stream.</summary>
    /// <exception cref="ArgumentException">The window, hop or lags do not fit; the message names the stream and sizes.</exception>
    public PcmciStage(StreamInfo stream, PcmciStageOptions options, PipelineEventLog? events = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        _stream = stream;
        _options = options;
        _events = events;
        _channels = stream.ChannelCount;
        _hops = new HopWorker(this, stream.Name, options.Method == LiveDiscoveryMethod.PcmciPlus ? "PCMCI+ solve" : "PCMCI solve", options.SkipWhenBusy, events);
        if (options.HopSamples < 1)
        {
            throw new ArgumentException($"stream '{stream.Name}': hop must be at least one sample (got {options.HopSamples})", nameof(options));
        }
        if (options.TauMax < 1 || options.TauMin < 0 || options.TauMin > options.TauMax)
        {
            throw new ArgumentException($"stream '{stream.Name}': lags {options.TauMin}..{options.TauMax} are invalid; tau-max must be at least 1 and tau-min in 0..tau-max", nameof(options));
        }
        if (options.Method == LiveDiscoveryMethod.PcmciPlus && options.PcAlpha is null)
        {
            throw new ArgumentException($"stream '{stream.Name}': PCMCI+ needs a fixed pc-alpha", nameof(options));
        }
        int minimum = PcmciStageOptions.MinimumWindowSamples(_channels, options.TauMax);
        if (options.WindowSamples < minimum)
        {
            throw new ArgumentException($"stream '{stream.Name}': a window of {options.WindowSamples} samples is too short for tau-max {options.TauMax} on {_channels} channels; it needs at least {minimum} samples", nameof(options));
        }

        int lags = 2 * options.TauMax;
        int rows = options.WindowSamples - lags;
        _stats = new LaggedCovariance(_channels, lags, rows);
        _snapshot = new LaggedCovariance(_channels, lags, rows);
        _gram = new double[_stats.GramDimension * _stats.GramDimension];
        _covariance = new LaggedVariableCovariance(_channels, lags);
        _pcmci = new Pcmci(_covariance, options.TauMax) { RecordTests = false };
        _pcmciPlus = new PcmciPlus(_pcmci);
        _times = new double[options.WindowSamples];
    }

    /// <inheritdoc />
    public string Name => (_options.Method == LiveDiscoveryMethod.PcmciPlus ? "pcmciplus:" : "pcmci:") + _stream.Name;

    /// <summary>Hops skipped because the previous solve was still running.</summary>
    public long HopsSkipped => _hops.Skipped;

    /// <summary>Graphs published so far.</summary>
    public long GraphsPublished => _hops.Published;

    /// <summary>Wall time of the latest solve (covariance, discovery and graph), in stopwatch ticks.</summary>
    public long LastSolveTicks => Interlocked.Read(ref _lastSolveTicks);

    /// <inheritdoc />
    public async ValueTask OnChunkAsync(SampleChunk chunk, IResultPublisher publisher, CancellationToken cancellationToken)
    {
        if (!ReferenceEquals(chunk.Stream, _stream) && chunk.Stream.Name != _stream.Name)
        {
            return;
        }

        for (int i = 0; i < chunk.SampleCount; i++)
        {
            if (Push(chunk, i))
            {
                await _hops.DispatchAsync(chunk.ArrivalTicks, publisher, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public ValueTask OnMarkerAsync(MarkerEvent marker, IResultPublisher publisher, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public ValueTask CompleteAsync(IResultPublisher publisher, CancellationToken cancellationToken) => _hops.CompleteAsync(cancellationToken);

    /// <summary>
    /// Runs the configured method on the statistics of a window (e.g. a snapshot) and returns its graph; used by the
    /// worker and by benchmarks. Returns null when the window holds too few usable rows.
    /// </summary>
    public CausalGraph? Solve(LaggedCovariance window, double windowStart, double windowEnd, int samples, long sequence)
    {
        ArgumentNullException.ThrowIfNull(window);
        int minRows = (_channels * ((2 * _options.TauMax) + 1)) + 3;
        if (window.RowsUsed < minRows)
        {
            _events?.Report(PipelineEventKind.Info, _stream.Name, $"stream '{_stream.Name}': {window.RowsUsed} usable rows in the window ({window.RowsSkippedNaN} touch missing values); PCMCI needs at least {minRows}; hop not analysed", isWarning: true);
            return null;
        }

        window.BuildGram(_gram);
        _covariance.LoadGram(_gram);
        CausalGraph graph;
        if (_options.Method == LiveDiscoveryMethod.PcmciPlus)
        {
            var options = new PcmciPlusOptions
            {
                TauMin = _options.TauMin,
                TauMax = _options.TauMax,
                PcAlpha = _options.PcAlpha ?? 0.01,
                MaxCondsDim = _options.MaxCondsDim,
                FdrBh = _options.FdrBh,
            };
            var result = _pcmciPlus.Run(options);
            graph = DiscoveryGraphBuilder.FromPcmciPlus(result, options, _stream.Name, _stream.ChannelLabels, windowStart, windowEnd, samples, sequence);
        }
        else
        {
            var options = new PcmciOptions
            {
                TauMin = _options.TauMin,
                TauMax = _options.TauMax,
                PcAlpha = _options.PcAlpha,
                AlphaLevel = _options.AlphaLevel,
                MaxCondsDim = _options.MaxCondsDim,
                FdrBh = _options.FdrBh,
            };
            var result = _pcmci.Run(options);
            graph = DiscoveryGraphBuilder.FromPcmci(result, options, _stream.Name, _stream.ChannelLabels, windowStart, windowEnd, samples, sequence);
        }
        return graph with { RowsSkipped = window.RowsSkippedNaN };
    }

    /// <summary>Adds sample <paramref name="index"/> of the chunk; returns true when a hop is due after it.</summary>
    private bool Push(SampleChunk chunk, int index)
    {
        _stats.Push(chunk.Sample(index));
        _times[_pushed++ % _times.Length] = chunk.Timestamps[index];
        if (_pushed < _options.WindowSamples)
        {
            return false;
        }

        if (_pushed == _options.WindowSamples || ++_sinceHop >= _options.HopSamples)
        {
            _sinceHop = 0;
            return true;
        }

        return false;
    }

    /// <inheritdoc/>
    void IHopJob.Snapshot(long arrivalTicks)
    {
        _stats.CopyTo(_snapshot);
        int inWindow = (int)Math.Min(_pushed, _times.Length);
        _pending = new Pending(
            _times[(_pushed - inWindow) % _times.Length],
            _times[(_pushed - 1) % _times.Length],
            inWindow,
            arrivalTicks,
            ++_sequence);
    }

    /// <inheritdoc/>
    CausalGraph? IHopJob.Solve()
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        var graph = Solve(_snapshot, _pending.WindowStart, _pending.WindowEnd, _pending.Samples, _pending.Sequence);
        Interlocked.Exchange(ref _lastSolveTicks, System.Diagnostics.Stopwatch.GetTimestamp() - start);
        return graph is null ? null : graph with { NewestArrivalTicks = _pending.ArrivalTicks };
    }

    private readonly record struct Pending(double WindowStart, double WindowEnd, int Samples, long ArrivalTicks, long Sequence);
}
