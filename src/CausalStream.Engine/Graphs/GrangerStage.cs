using CausalStream.Core.Pipeline;
using CausalStream.Core.Streams;
using CausalStream.Engine.Stages;
using CausalStream.Engine.Statistics;

namespace CausalStream.Engine.Graphs;

/// <summary>
/// Keeps the windowed lagged statistics of one stream up to date on the ingest path (O(C²·p) per sample) and,
/// every hop, hands a copy to its own worker, which solves conditional Granger for every ordered pair and
/// publishes a <see cref="CausalGraph"/>. Ingest never waits for a solve in live mode: a hop that finds the
/// worker busy is skipped and counted.
/// </summary>
public sealed class GrangerStage : IIngestStage, IHopJob
{
    private readonly StreamInfo _stream;
    private readonly GrangerStageOptions _options;
    private readonly PipelineEventLog? _events;
    private readonly int _channels;
    private readonly double[] _times;
    private readonly HopWorker _hops;
    private double[]? _selectionBuffer;
    private int _selectionFill;
    private LaggedCovariance? _stats;
    private LaggedCovariance? _snapshot;
    private VarGrangerSolver? _solver;
    private GrangerResult? _result;
    private long _pushed;
    private long _sinceHop;
    private long _sequence;
    private Pending _pending;

    public GrangerStage(StreamInfo stream, GrangerStageOptions options, PipelineEventLog? events = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        _stream = stream;
        _options = options;
        _events = events;
        _channels = stream.ChannelCount;
        _hops = new HopWorker(this, stream.Name, "Granger solve", options.SkipWhenBusy, events);
        if (options.HopSamples < 1)
        {
            throw new ArgumentException($"hop must be at least one sample (got {options.HopSamples})", nameof(options));
        }

        int lagForCheck = options.MaxLag ?? options.MaxLagLimit;
        int minimum = GrangerStageOptions.MinimumWindowSamples(_channels, lagForCheck);
        if (options.WindowSamples < minimum)
        {
            throw new ArgumentException($"stream '{stream.Name}': a window of {options.WindowSamples} samples is too short for a VAR({lagForCheck}) on {_channels} channels; it needs at least {minimum} samples", nameof(options));
        }

        _times = new double[options.WindowSamples];
        if (options.MaxLag is int lag)
        {
            CreateStatistics(lag);
        }
        else
        {
            _selectionBuffer = new double[options.WindowSamples * _channels];
        }
    }

    public string Name => "granger:" + _stream.Name;

    /// <summary>The model order in use, or null while the first window for "auto" is still filling.</summary>
    public int? Lag => _stats?.MaxLag;

    /// <summary>The order selection made for "auto", once made.</summary>
    public VarOrderSelectionResult? OrderSelection { get; private set; }

    public long HopsSkipped => _hops.Skipped;

    public long GraphsPublished => _hops.Published;

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

    public ValueTask OnMarkerAsync(MarkerEvent marker, IResultPublisher publisher, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask CompleteAsync(IResultPublisher publisher, CancellationToken cancellationToken) => _hops.CompleteAsync(cancellationToken);

    /// <summary>Adds sample <paramref name="index"/> of the chunk; returns true when a hop is due after it.</summary>
    private bool Push(SampleChunk chunk, int index)
    {
        var sample = chunk.Sample(index);
        if (_stats is null)
        {
            CollectForSelection(sample);
        }
        else
        {
            _stats.Push(sample);
        }

        _times[_pushed++ % _times.Length] = chunk.Timestamps[index];
        if (_stats is null || _pushed < _options.WindowSamples)
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

    private void CreateStatistics(int lag)
    {
        _stats = _options.ForgettingFactor is double lambda
            ? LaggedCovariance.WithForgetting(_channels, lag, lambda)
            : new LaggedCovariance(_channels, lag, GrangerStageOptions.RowsFor(_options.WindowSamples, lag));
        _snapshot = _options.ForgettingFactor is double lambda2
            ? LaggedCovariance.WithForgetting(_channels, lag, lambda2)
            : new LaggedCovariance(_channels, lag, GrangerStageOptions.RowsFor(_options.WindowSamples, lag));
        _solver = new VarGrangerSolver(_channels, lag);
        _result = new GrangerResult(_channels, lag);
    }

    private void CollectForSelection(ReadOnlySpan<double> sample)
    {
        var buffer = _selectionBuffer!;
        sample.CopyTo(buffer.AsSpan(_selectionFill * _channels, _channels));
        _selectionFill++;
        if (_selectionFill < _options.WindowSamples)
        {
            return;
        }

        var selection = VarOrderSelection.Select(buffer, _channels, _options.MaxLagLimit);
        int lag = _options.Criterion switch
        {
            OrderCriterion.Aic => selection.AicOrder,
            OrderCriterion.Hqic => selection.HqicOrder,
            OrderCriterion.Fpe => selection.FpeOrder,
            _ => selection.BicOrder,
        };
        lag = Math.Max(1, lag);
        OrderSelection = selection;
        _events?.Report(PipelineEventKind.Info, _stream.Name, $"stream '{_stream.Name}': model order {lag} chosen by {_options.Criterion} over lags 1..{_options.MaxLagLimit} on the first {_options.WindowSamples} samples", isWarning: false);
        CreateStatistics(lag);
        for (int s = 0; s < _options.WindowSamples; s++)
        {
            _stats!.Push(buffer.AsSpan(s * _channels, _channels));
        }
        _selectionBuffer = null;
    }

    /// <inheritdoc/>
    void IHopJob.Snapshot(long arrivalTicks)
    {
        _stats!.CopyTo(_snapshot!);
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
        _solver!.Solve(_snapshot!, _options.Test, _result!);
        return GrangerGraphBuilder.Build(_stream, _result!, _pending.WindowStart, _pending.WindowEnd, _pending.Samples, _pending.Sequence) with { NewestArrivalTicks = _pending.ArrivalTicks };
    }

    private readonly record struct Pending(double WindowStart, double WindowEnd, int Samples, long ArrivalTicks, long Sequence);
}
