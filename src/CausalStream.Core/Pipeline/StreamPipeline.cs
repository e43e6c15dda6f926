using System.Diagnostics;
using System.Threading.Channels;
using CausalStream.Core.Streams;

namespace CausalStream.Core.Pipeline;

/// <summary>
/// Runs sources → ingest stages → sinks over bounded channels. One ingest task validates every chunk and
/// hands it to the stages in arrival order; when it is idle it resumes on the thread of the source that wrote
/// (synchronous continuations), so a chunk reaches the fast trigger path without waiting for another thread to be
/// scheduled. Results fan out to one queue per sink. Stopping the run token
/// stops the sources; everything already accepted is then drained through the stages and flushed by the sinks.
/// </summary>
public sealed class StreamPipeline
{
    private readonly IReadOnlyList<ISampleSource> _sources;
    private readonly IReadOnlyList<IIngestStage> _stages;
    private readonly SinkRunner[] _sinks;
    private readonly PipelineOptions _options;
    private readonly Dictionary<string, StreamInfo> _streams = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StreamHealth> _health = new(StringComparer.Ordinal);
    private readonly ResultFanOut _fanOut;
    private readonly IngestValidator _validator;
    private readonly Stopwatch _clock = new();

    public StreamPipeline(
        IReadOnlyList<ISampleSource> sources,
        IReadOnlyList<IIngestStage> stages,
        IReadOnlyList<SinkBinding> sinks,
        PipelineOptions? options = null,
        PipelineEventLog? events = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(stages);
        ArgumentNullException.ThrowIfNull(sinks);
        if (sources.Count == 0)
        {
            throw new ArgumentException("a pipeline needs at least one source", nameof(sources));
        }

        _options = options ?? new PipelineOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.IngestCapacity);
        Events = events ?? new PipelineEventLog(null);
        _sources = sources;
        _stages = stages;
        foreach (var source in sources)
        {
            foreach (var stream in source.Streams)
            {
                if (!_streams.TryAdd(stream.Name, stream))
                {
                    throw new ArgumentException($"stream name '{stream.Name}' is produced by more than one source; stream names must be unique", nameof(sources));
                }

                _health[stream.Name] = new StreamHealth(stream.Name, stream.NominalRate, stream.ChannelCount);
            }
        }

        _sinks = new SinkRunner[sinks.Count];
        for (int i = 0; i < sinks.Count; i++)
        {
            _sinks[i] = new SinkRunner(sinks[i], Events);
        }

        _fanOut = new ResultFanOut(_sinks);
        IngestMetrics = new StageMetrics("ingest");
        _validator = new IngestValidator(_streams, _health, Events);
    }

    /// <summary>Counts of every event (bad input, drops, sink failures) by stream and kind.</summary>
    public PipelineEventLog Events { get; }

    public StageMetrics IngestMetrics { get; }

    public IReadOnlyDictionary<string, StreamHealth> Health => _health;

    public IReadOnlyList<StageMetrics> SinkMetrics
    {
        get
        {
            var list = new StageMetrics[_sinks.Length];
            for (int i = 0; i < _sinks.Length; i++)
            {
                list[i] = _sinks[i].Metrics;
            }

            return list;
        }
    }

    /// <summary>
    /// Runs until every source has ended or <paramref name="stop"/> is cancelled, then drains and flushes.
    /// <paramref name="abort"/> (optional) cuts the drain short.
    /// </summary>
    public async Task RunAsync(CancellationToken stop, CancellationToken abort = default)
    {
        _clock.Start();
        var ingest = Channel.CreateBounded<IngestItem>(
            new BoundedChannelOptions(_options.IngestCapacity)
            {
                SingleReader = true,
                SingleWriter = _sources.Count == 1,
                AllowSynchronousContinuations = true,
                FullMode = _options.IngestPolicy == EdgePolicy.Wait ? BoundedChannelFullMode.Wait : BoundedChannelFullMode.DropOldest,
            },
            OnIngestDropped);
        IngestMetrics.ObserveQueue(() => ingest.Reader.Count);

        foreach (var sink in _sinks)
        {
            sink.Start(abort);
        }

        using var statusStop = CancellationTokenSource.CreateLinkedTokenSource(abort);
        var statusTask = _options.StatusIntervalSeconds > 0 ? Task.Run(() => ReportStatusAsync(statusStop.Token), CancellationToken.None) : Task.CompletedTask;
        var ingestTask = Task.Run(() => IngestAsync(ingest.Reader, abort), CancellationToken.None);

        var output = new SourceOutput(ingest.Writer, name => _health.GetValueOrDefault(name), Events);
        var sourceTasks = new Task[_sources.Count];
        for (int i = 0; i < _sources.Count; i++)
        {
            var source = _sources[i];
            sourceTasks[i] = Task.Run(() => RunSourceAsync(source, output, stop), CancellationToken.None);
        }

        await Task.WhenAll(sourceTasks).ConfigureAwait(false);
        ingest.Writer.TryComplete();
        await ingestTask.ConfigureAwait(false);

        await statusStop.CancelAsync().ConfigureAwait(false);
        await statusTask.ConfigureAwait(false);
        if (!abort.IsCancellationRequested)
        {
            await _fanOut.PublishAsync(BuildStatus(isFinal: true), abort).ConfigureAwait(false);
        }

        var sinkTasks = new Task[_sinks.Length];
        for (int i = 0; i < _sinks.Length; i++)
        {
            sinkTasks[i] = _sinks[i].CompleteAsync();
        }

        await Task.WhenAll(sinkTasks).ConfigureAwait(false);
    }

    /// <summary>A snapshot of stream health and stage metrics, as published periodically.</summary>
    public PipelineStatus BuildStatus(bool isFinal)
    {
        double elapsed = _clock.Elapsed.TotalSeconds;
        var streams = new List<StreamStatus>(_health.Count);
        foreach (var health in _health.Values)
        {
            double rate = elapsed > 0 ? health.Samples / elapsed : 0;
            streams.Add(new StreamStatus(health.Stream, health.NominalRate, rate, health.Samples, health.Markers, health.Dropped, health.RejectedChunks, health.NonFiniteValues, health.Gaps, health.BackwardsTimestamps, health.SourceErrors));
        }

        var stages = new List<StageStatus>(_sinks.Length + 2) { Describe(IngestMetrics), Describe(_fanOut.Metrics) };
        foreach (var sink in _sinks)
        {
            stages.Add(Describe(sink.Metrics));
        }

        return new PipelineStatus(elapsed, isFinal, streams, stages);
    }

    private static StageStatus Describe(StageMetrics metrics)
    {
        var latency = metrics.Latency;
        return new StageStatus(metrics.Name, metrics.Processed, metrics.Dropped, metrics.QueueDepth, latency.Count, latency.PercentileSeconds(0.5), latency.PercentileSeconds(0.99), latency.PercentileSeconds(0.999), latency.MaxSeconds);
    }

    private async Task RunSourceAsync(ISampleSource source, SourceOutput output, CancellationToken stop)
    {
        try
        {
            await source.RunAsync(output, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Events.Report(PipelineEventKind.SourceFailed, source.Name, $"source '{source.Name}' stopped with an error; other sources continue: {ex.Message}");
        }
    }

    private async Task IngestAsync(ChannelReader<IngestItem> reader, CancellationToken abort)
    {
        try
        {
            while (await reader.WaitToReadAsync(abort).ConfigureAwait(false))
            {
                while (reader.TryRead(out var item))
                {
                    if (item.Chunk is { } chunk)
                    {
                        await ProcessChunkAsync(chunk, abort).ConfigureAwait(false);
                    }
                    else if (item.Marker is { } marker)
                    {
                        await ProcessMarkerAsync(marker, abort).ConfigureAwait(false);
                    }
                }
            }

            for (int s = 0; s < _stages.Count; s++)
            {
                await _stages[s].CompleteAsync(_fanOut, abort).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            while (reader.TryRead(out var item))
            {
                item.Chunk?.Dispose();
            }
        }
    }

    private async ValueTask ProcessChunkAsync(SampleChunk chunk, CancellationToken abort)
    {
        try
        {
            if (!_validator.Accept(chunk))
            {
                return;
            }

            for (int s = 0; s < _stages.Count; s++)
            {
                await _stages[s].OnChunkAsync(chunk, _fanOut, abort).ConfigureAwait(false);
            }

            IngestMetrics.AddProcessed();
            IngestMetrics.Latency.RecordSeconds(MonotonicClock.ToSeconds(MonotonicClock.Now - chunk.ArrivalTicks));
        }
        finally
        {
            chunk.Dispose();
        }
    }

    private async ValueTask ProcessMarkerAsync(MarkerEvent marker, CancellationToken abort)
    {
        if (!_health.TryGetValue(marker.Stream, out var health))
        {
            Events.Report(PipelineEventKind.UnknownStream, marker.Stream, $"marker '{marker.Payload}' at t={marker.Timestamp:F6} names stream '{marker.Stream}', which no source declared; dropped");
            return;
        }

        health.AddMarker(marker.ArrivalTicks);
        for (int s = 0; s < _stages.Count; s++)
        {
            await _stages[s].OnMarkerAsync(marker, _fanOut, abort).ConfigureAwait(false);
        }
    }

    private void OnIngestDropped(IngestItem item)
    {
        string stream = item.Chunk?.Stream.Name ?? item.Marker?.Stream ?? "?";
        _health.GetValueOrDefault(stream)?.AddDropped();
        IngestMetrics.AddDropped();
        Events.Report(PipelineEventKind.Dropped, stream, $"ingest queue full (capacity {_options.IngestCapacity}): dropped the oldest queued item of stream '{stream}'");
        item.Chunk?.Dispose();
    }

    private async Task ReportStatusAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_options.StatusIntervalSeconds));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await _fanOut.PublishAsync(BuildStatus(isFinal: false), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
