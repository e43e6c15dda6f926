using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using CausalStream.Core.Pipeline;
using CausalStream.Core.Stimulation;
using CausalStream.Core.Streams;
using CausalStream.Engine.Graphs;
using CausalStream.Engine.Statistics;

namespace CausalStream.Engine.Effects;

/// <summary>
/// Live effect estimation of stimulation: keeps the recent samples of one stream, takes stimulation decisions
/// (fired = treated, randomised out = an untreated opportunity, with the logged probability as propensity) and
/// marker events, turns each into an event row once its outcome window has arrived, and after each event
/// publishes <see cref="EffectEstimate"/> records for every configured estimator.
/// </summary>
/// <remarks>
/// The ingest path only appends samples to a preallocated ring and measures events whose windows are complete
/// (per event, not per sample); estimation runs on the stage's own task, so the trigger path never waits for it.
/// The difference in means and the logged-propensity IPW (with its anytime-valid confidence sequence,
/// <c>cs_low</c>/<c>cs_high</c>) are updated in O(1) per event; the batch estimators (ipw with a fitted propensity,
/// aipw, dml, match) are recomputed on all usable rows, folds by time blocks. Rows that cannot be measured are
/// withheld with their reason (<see cref="Rows"/>) and counted in the diagnostic <c>events_withheld</c>.
/// Suppressed and dry-run decisions are not events (nothing was randomised).
/// </remarks>
public sealed class EffectStage : IIngestStage, IStimulationAudit
{
    private readonly StreamInfo _stream;
    private readonly EffectStageOptions _options;
    private readonly EventTableBuilder _builder;
    private readonly SampleHistory _history;
    private readonly ConcurrentQueue<PendingEvent> _incoming = new();
    private readonly List<PendingEvent> _pending = new(64);
    private readonly Channel<WorkItem> _rows = Channel.CreateUnbounded<WorkItem>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly List<EventRow> _allRows = [];
    private readonly (string Source, string Target)[] _edges;
    private readonly string _outcomeName;
    private readonly IncrementalEffectEstimator _incremental;
    private readonly int _predictionSamples;
    private int _batchRows = -1;
    private int _usableRows;
    private double[]? _edgeWeights;
    private double _lastPrediction = double.NegativeInfinity;
    private Task? _worker;
    private long _newestArrival;

    /// <summary>Creates the stage for <paramref name="stream"/>.</summary>
    /// <exception cref="ArgumentException">Settings the stream cannot satisfy (the message names the setting).</exception>
    public EffectStage(StreamInfo stream, EffectStageOptions options)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        _stream = stream;
        _options = options;
        foreach (string name in options.Estimators)
        {
            if (!KnownEstimator(name))
            {
                throw new ArgumentException($"unknown estimator '{name}'; use {string.Join(", ", EffectStageOptions.KnownEstimators)}", nameof(options));
            }
        }

        if (options.Folds < 2)
        {
            throw new ArgumentException($"folds must be at least 2 (was {options.Folds})", nameof(options));
        }

        _edges = new (string, string)[options.EdgeCovariates.Count];
        var extraNames = new string[_edges.Length];
        for (int i = 0; i < _edges.Length; i++)
        {
            string spec = options.EdgeCovariates[i];
            int arrow = spec.IndexOf("->", StringComparison.Ordinal);
            if (arrow <= 0 || arrow + 2 >= spec.Length)
            {
                throw new ArgumentException($"edge covariate '{spec}' must read SOURCE->TARGET, e.g. ch1->ch2", nameof(options));
            }

            _edges[i] = (spec[..arrow].Trim(), spec[(arrow + 2)..].Trim());
            extraNames[i] = $"w_{_edges[i].Source}_{_edges[i].Target}";
        }

        _builder = new EventTableBuilder(stream.ChannelCount, stream.NominalRate, options.Events, stream.ChannelLabels, extraNames);
        if (options.Prediction is { } prediction)
        {
            _predictionSamples = (int)Math.Round(prediction.WindowSeconds * stream.NominalRate);
            if (_predictionSamples < (stream.ChannelCount * prediction.Lags) + prediction.Lags + 2 || prediction.Lags < 1 || prediction.Channel < 0 || prediction.Channel >= stream.ChannelCount
                || !(prediction.HorizonSeconds * stream.NominalRate >= 1) || !(prediction.EverySeconds > 0) || !double.IsFinite(prediction.Amplitude))
            {
                throw new ArgumentException($"prediction: channel {prediction.Channel}, lags {prediction.Lags}, a window of {_predictionSamples} samples, horizon {prediction.HorizonSeconds} s and every {prediction.EverySeconds} s cannot fit a VAR on {stream.ChannelCount} channels", nameof(options));
            }
        }

        int capacity = Math.Max(_builder.SpanSamples + (int)Math.Ceiling(stream.NominalRate * 2), _predictionSamples) + 64;
        _history = new SampleHistory(capacity, stream.ChannelCount);
        var events = options.Events;
        _outcomeName = options.Outcome ?? string.Create(CultureInfo.InvariantCulture,
            $"ch{events.OutcomeChannel + 1} {(events.Outcome == EventOutcome.MeanAmplitude ? "mean" : "band power change")} {events.OutcomeStartSeconds * 1000:G4}-{events.OutcomeEndSeconds * 1000:G4} ms");
        _incremental = new IncrementalEffectEstimator(options.Treatment, _outcomeName, options.Estimation.SequenceAlpha, options.SequenceTightestAt);
    }

    /// <inheritdoc />
    public string Name => "effects";

    /// <summary>The row builder (covariate names, window sizes).</summary>
    public EventTableBuilder Builder => _builder;

    /// <summary>Name of the outcome in published estimates.</summary>
    public string OutcomeName => _outcomeName;

    /// <summary>A snapshot of the rows measured so far, withheld ones included, in completion order.</summary>
    public IReadOnlyList<EventRow> Rows
    {
        get
        {
            lock (_allRows)
            {
                return [.. _allRows];
            }
        }
    }

    /// <summary>Records one controller decision as an event (thread-safe; called from the trigger path).</summary>
    public void Record(StimulationDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (decision.Outcome is not (StimulationOutcome.Fired or StimulationOutcome.RandomizedOut) || !RuleSelected(decision.Request.Rule))
        {
            return;
        }

        double p = decision.Request.Probability;
        double? propensity = p > 0 && p < 1 ? p : null;
        Enqueue(decision.Request.SourceTime, decision.Outcome == StimulationOutcome.Fired ? 1 : 0, propensity, decision.Request.Rule);
    }

    /// <inheritdoc />
    public void RecordState(bool armed, string reason, DateTime wallClock)
    {
    }

    /// <summary>Takes the current weights of the configured edge covariates from a causal graph (thread-safe).</summary>
    public void ObserveGraph(CausalGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (_edges.Length == 0 || graph.Stream != _stream.Name)
        {
            return;
        }

        var weights = new double[_edges.Length];
        for (int i = 0; i < _edges.Length; i++)
        {
            int source = IndexOf(graph.Channels, _edges[i].Source);
            int target = IndexOf(graph.Channels, _edges[i].Target);
            double w = source < 0 || target < 0 ? double.NaN : 0;
            foreach (var edge in graph.Edges)
            {
                if (edge.Source == source && edge.Target == target)
                {
                    w = edge.Weight;
                    break;
                }
            }

            weights[i] = w;
        }

        Volatile.Write(ref _edgeWeights, weights);
    }

    /// <inheritdoc />
    public ValueTask OnChunkAsync(SampleChunk chunk, IResultPublisher publisher, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        if (chunk.Stream.Name != _stream.Name || chunk.SampleCount == 0)
        {
            return ValueTask.CompletedTask;
        }

        _worker ??= StartWorker(publisher, cancellationToken);
        _history.Append(chunk.Values, chunk.Timestamps, chunk.SampleCount);
        if (chunk.ArrivalTicks > _newestArrival)
        {
            _newestArrival = chunk.ArrivalTicks;
        }

        MeasureReadyEvents();
        if (_options.Prediction is { } prediction && _history.Count >= _predictionSamples && _history.NewestTime - _lastPrediction >= prediction.EverySeconds)
        {
            _lastPrediction = _history.NewestTime;
            var snapshot = ArrayPool<double>.Shared.Rent(_predictionSamples * _stream.ChannelCount);
            _history.CopyRows(_history.Count - _predictionSamples, _predictionSamples, snapshot);
            _rows.Writer.TryWrite(new WorkItem(null, snapshot, _predictionSamples, _newestArrival));
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask OnMarkerAsync(MarkerEvent marker, IResultPublisher publisher, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(marker);
        if (_options.MarkerStream is { } name && marker.Stream == name)
        {
            if (marker.Payload.StartsWith(_options.TreatedMarker, StringComparison.Ordinal))
            {
                Enqueue(marker.Timestamp, 1, null, marker.Stream);
            }
            else if (marker.Payload.StartsWith(_options.ShamMarker, StringComparison.Ordinal))
            {
                Enqueue(marker.Timestamp, 0, null, marker.Stream);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask CompleteAsync(IResultPublisher publisher, CancellationToken cancellationToken)
    {
        _worker ??= StartWorker(publisher, cancellationToken);
        MeasureReadyEvents();
        for (int i = 0; i < _pending.Count; i++)
        {
            var e = _pending[i];
            _rows.Writer.TryWrite(new WorkItem(_builder.PastEndOfData(_history, e.Time, e.Treatment, e.Propensity, e.Source), null, 0, _newestArrival));
        }

        _pending.Clear();
        _rows.Writer.TryComplete();
        await _worker.ConfigureAwait(false);
    }

    /// <summary>The true effect of a pulse of the simulator on this stage's outcome, when the outcome is a mean amplitude.</summary>
    public static double? SimulatedTrueEffect(Core.Simulation.VarNetwork network, double rate, EventTableOptions events, int channel, double amplitude, double durationSeconds)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(events);
        if (events.Outcome != EventOutcome.MeanAmplitude)
        {
            return null;
        }

        int duration = Math.Max(1, (int)Math.Round(durationSeconds * rate));
        int first = (int)Math.Round(events.OutcomeStartSeconds * rate);
        int end = (int)Math.Round(events.OutcomeEndSeconds * rate);
        return Core.Simulation.PulseResponse.MeanOverWindow(network, channel, amplitude, duration, events.OutcomeChannel, first, end, delaySamples: 1);
    }

    private static bool KnownEstimator(string name)
    {
        foreach (string known in EffectStageOptions.KnownEstimators)
        {
            if (known == name)
            {
                return true;
            }
        }

        return false;
    }

    private static int IndexOf(IReadOnlyList<string> labels, string label)
    {
        for (int i = 0; i < labels.Count; i++)
        {
            if (labels[i] == label)
            {
                return i;
            }
        }

        return -1;
    }

    // A separate method, so the closure is allocated once and not on every chunk.
    private Task StartWorker(IResultPublisher publisher, CancellationToken cancellationToken)
        => Task.Run(() => RunWorkerAsync(publisher, cancellationToken), CancellationToken.None);

    private bool RuleSelected(string rule)
    {
        if (_options.Rules.Count == 0)
        {
            return true;
        }

        foreach (string name in _options.Rules)
        {
            if (name == rule)
            {
                return true;
            }
        }

        return false;
    }

    private void Enqueue(double time, double treatment, double? propensity, string source)
    {
        double[]? extra = null;
        string? missing = null;
        if (_edges.Length > 0)
        {
            var weights = Volatile.Read(ref _edgeWeights);
            if (weights is null)
            {
                missing = "no causal graph has arrived yet for the edge covariates";
            }
            else
            {
                extra = weights;
            }
        }

        _incoming.Enqueue(new PendingEvent(time, treatment, propensity, source, extra, missing));
    }

    private void MeasureReadyEvents()
    {
        while (_incoming.TryDequeue(out var e))
        {
            _pending.Add(e);
        }

        for (int i = 0; i < _pending.Count;)
        {
            var e = _pending[i];
            var row = _builder.TryBuild(_history, e.Time, e.Treatment, e.Propensity, e.Source, e.Extra, e.ExtraMissing);
            if (row is null)
            {
                i++;
                continue;
            }

            _rows.Writer.TryWrite(new WorkItem(row, null, 0, _newestArrival));
            _pending.RemoveAt(i);
        }
    }

    private async Task RunWorkerAsync(IResultPublisher publisher, CancellationToken cancellationToken)
    {
        var reader = _rows.Reader;
        int withheld = 0;
        double lastTime = double.NaN;
        long lastArrival = 0;
        try
        {
            while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                double newestTime = double.NaN;
                long arrival = 0;
                bool rowsAdded = false;
                while (reader.TryRead(out var item))
                {
                    if (item.Snapshot is { } snapshot)
                    {
                        List<PipelineResult> predicted;
                        try
                        {
                            predicted = Predict(snapshot, item.Samples, item.Arrival);
                        }
                        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or ArithmeticException)
                        {
                            // A window the model cannot be fitted on gives a withheld prediction, never a failed pipeline.
                            predicted = [new EffectEstimate { Treatment = _options.Treatment, Outcome = _outcomeName, Estimator = "var_prediction", Estimand = "ATE", WithheldReason = "the VAR fit failed: " + ex.Message, NewestArrivalTicks = item.Arrival }];
                        }
                        finally
                        {
                            ArrayPool<double>.Shared.Return(snapshot);
                        }

                        foreach (var result in predicted)
                        {
                            await publisher.PublishAsync(result, cancellationToken).ConfigureAwait(false);
                        }

                        continue;
                    }

                    var row = item.Row!;
                    rowsAdded = true;
                    lock (_allRows)
                    {
                        _allRows.Add(row);
                    }

                    newestTime = row.Time;
                    arrival = item.Arrival;
                    if (row.IsWithheld)
                    {
                        withheld++;
                        continue;
                    }

                    _incremental.Add(row.Outcome, row.Treatment == 1, row.Propensity);
                }

                if (!rowsAdded)
                {
                    continue;
                }

                foreach (var estimate in Estimate(withheld, newestTime, arrival, force: false))
                {
                    await publisher.PublishAsync(estimate, cancellationToken).ConfigureAwait(false);
                }

                lastTime = newestTime;
                lastArrival = arrival;
            }

            // The input has ended: bring the batch estimators up to date with every row.
            if (_batchRows >= 0 && _batchRows != _usableRows)
            {
                foreach (var estimate in Estimate(withheld, lastTime, lastArrival, force: true))
                {
                    await publisher.PublishAsync(estimate, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private List<EffectEstimate> Estimate(int withheld, double newestTime, long arrival, bool force)
    {
        var results = new List<EffectEstimate>(_options.Estimators.Count);
        List<EventRow> rows;
        lock (_allRows)
        {
            rows = [.. _allRows];
        }

        EffectData? data = null;
        int usable = 0;
        bool allLogged = true;
        foreach (var row in rows)
        {
            if (!row.IsWithheld)
            {
                usable++;
                allLogged &= row.Propensity is not null;
            }
        }

        _usableRows = usable;
        bool batchDue = force || usable < _options.MinEvents || _batchRows < 0
            || usable >= _batchRows + Math.Max(1, (int)(_batchRows * _options.BatchGrowth));
        if (batchDue && usable >= _options.MinEvents)
        {
            _batchRows = usable;
        }

        foreach (string name in _options.Estimators)
        {
            EffectEstimate estimate;
            if (!batchDue && name is not ("diff" or "ipw_logged"))
            {
                continue;
            }

            switch (name)
            {
                case "diff":
                    estimate = _incremental.DifferenceInMeans();
                    break;
                case "ipw_logged":
                    estimate = _incremental.Ipw() with { Estimator = "ipw_logged" };
                    break;
                default:
                    if (usable < _options.MinEvents)
                    {
                        estimate = new EffectEstimate
                        {
                            Treatment = _options.Treatment,
                            Outcome = _outcomeName,
                            Estimator = name,
                            Estimand = name == "match" ? "ATT" : "ATE",
                            N = usable,
                            WithheldReason = $"waiting for {_options.MinEvents} usable events (have {usable})",
                        };
                        break;
                    }

                    data ??= EffectData.FromTable(_builder.ToEffectTable(rows, _options.Folds), EventTableBuilder.TreatmentColumn, EventTableBuilder.OutcomeColumn,
                        _builder.CovariateNames, allLogged ? EventTableBuilder.PropensityColumn : null, EventTableBuilder.FoldColumn);
                    estimate = name switch
                    {
                        "ipw" => IpwEstimator.Estimate(data, _options.Estimation with { UseLoggedPropensity = false }),
                        "aipw" => AipwEstimator.EstimateCrossFitted(data, _options.Estimation),
                        "match" => PropensityMatchingEstimator.Estimate(data, _options.Estimation with { UseLoggedPropensity = false }),
                        _ => DmlPlrEstimator.Estimate(data, _options.Estimation),
                    };
                    estimate = estimate with { Estimator = name, Treatment = _options.Treatment, Outcome = _outcomeName };
                    break;
            }

            var diagnostics = new Dictionary<string, double>(estimate.Diagnostics) { ["events_withheld"] = withheld };
            if (!estimate.IsWithheld && !diagnostics.ContainsKey("cs_low") && estimate.StandardError is double se && estimate.N >= 2)
            {
                // The asymptotic confidence sequence with the estimator's influence-function spread, se·√n.
                double half = ConfidenceSequence.HalfWidthFor(se * Math.Sqrt(estimate.N), estimate.N, _options.Estimation.SequenceAlpha, _options.SequenceTightestAt);
                diagnostics["cs_low"] = estimate.Estimate!.Value - half;
                diagnostics["cs_high"] = estimate.Estimate.Value + half;
            }

            if (_options.TrueEffect is double truth)
            {
                diagnostics["true_effect"] = truth;
            }

            results.Add(estimate with { Diagnostics = diagnostics, SourceTime = double.IsNaN(newestTime) ? null : newestTime, NewestArrivalTicks = arrival });
        }

        return results;
    }

    private List<PipelineResult> Predict(double[] snapshot, int samples, long arrival)
    {
        var prediction = _options.Prediction!;
        int c = _stream.ChannelCount;
        double rate = _stream.NominalRate;
        double time = _history.NewestTime;
        var results = new List<PipelineResult>(2);
        var stats = LaggedCovariance.FromData(snapshot.AsSpan(0, samples * c), c, prediction.Lags);
        var fit = new VarGrangerSolver(c, prediction.Lags).Solve(stats);
        int duration = Math.Max(1, (int)Math.Round(prediction.DurationSeconds * rate));
        int horizon = Math.Max(1, (int)Math.Round(prediction.HorizonSeconds * rate));
        bool summary = _options.Events.Outcome == EventOutcome.MeanAmplitude;

        // Times count from the decision sample (offset 0) and the pulse starts one sample later, as in the simulator,
        // so the outcome window has the same offsets as in the event rows.
        var result = InterventionPredictor.Predict(fit, stats, prediction.Channel, prediction.Amplitude, duration, horizon,
            summary ? _options.Events.OutcomeChannel : -1, _builder.OutcomeFirstOffset, _builder.OutcomeEndOffset, delaySamples: 1);
        results.Add(new InterventionPrediction
        {
            Stream = _stream.Name,
            Channels = _stream.ChannelLabels,
            Channel = prediction.Channel,
            Amplitude = prediction.Amplitude,
            DurationSamples = duration,
            SampleRate = rate,
            Horizon = horizon,
            Response = result.Response,
            StandardError = result.StandardError ?? new double[result.Response.Length],
            Lags = prediction.Lags,
            OnsetSample = 1,
            SourceTime = time,
            OutcomeEffect = result.OutcomeEffect,
            OutcomeEffectSe = result.OutcomeEffectSe,
            Outcome = summary ? _outcomeName : null,
            NewestArrivalTicks = arrival,
        });
        if (summary)
        {
            var diagnostics = new Dictionary<string, double> { ["lags"] = prediction.Lags, ["window_samples"] = samples, ["rows_used"] = fit.RowsUsed };
            if (_options.TrueEffect is double truth)
            {
                diagnostics["true_effect"] = truth;
            }

            var estimate = result.OutcomeEffect is double e && result.OutcomeEffectSe is double se && double.IsFinite(e) && double.IsFinite(se)
                ? new EffectEstimate
                {
                    Treatment = _options.Treatment,
                    Outcome = _outcomeName,
                    Estimator = "var_prediction",
                    Estimand = "ATE",
                    Estimate = e,
                    StandardError = se,
                    CiLow = e - (EffectResults.Z975 * se),
                    CiHigh = e + (EffectResults.Z975 * se),
                    SourceTime = time,
                    Diagnostics = diagnostics,
                    NewestArrivalTicks = arrival,
                }
                : new EffectEstimate
                {
                    Treatment = _options.Treatment,
                    Outcome = _outcomeName,
                    Estimator = "var_prediction",
                    Estimand = "ATE",
                    WithheldReason = result.WithheldReason ?? "the predicted effect is not finite",
                    SourceTime = time,
                    Diagnostics = diagnostics,
                    NewestArrivalTicks = arrival,
                };
            results.Add(estimate);
        }

        return results;
    }

    private readonly record struct WorkItem(EventRow? Row, double[]? Snapshot, int Samples, long Arrival);

    private readonly record struct PendingEvent(double Time, double Treatment, double? Propensity, string Source, double[]? Extra, string? ExtraMissing);
}
