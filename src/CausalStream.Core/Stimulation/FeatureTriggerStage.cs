using System.Globalization;
using CausalStream.Core.Pipeline;
using CausalStream.Core.Streams;

namespace CausalStream.Core.Stimulation;

/// <summary>
/// The fast trigger path: on the ingest task, for every chunk of the watched stream, feeds the watchdog,
/// updates each rule's feature sample by sample, and asks the controller for a pulse when a rule's condition
/// holds after the chunk. Nothing here waits for analysis; a chunk costs O(samples × rules). The rules' thresholds
/// can be changed while it runs (<see cref="IRuleThresholds"/>), each change audited.
/// </summary>
public sealed class FeatureTriggerStage : IIngestStage, IRuleThresholds
{
    private readonly StreamInfo _stream;
    private readonly StimulationController _controller;
    private readonly FeatureRule[] _rules;
    private readonly BandPowerTracker?[] _trackers;
    private readonly PhaseTracker?[] _phases;
    private readonly bool[] _wasTrue;
    private readonly double[] _thresholds;
    private readonly object _thresholdGate = new();

    public FeatureTriggerStage(StreamInfo stream, IReadOnlyList<FeatureRule> rules, StimulationController controller)
    {
        _stream = stream;
        _controller = controller;
        _rules = [.. rules];
        _trackers = new BandPowerTracker?[_rules.Length];
        _phases = new PhaseTracker?[_rules.Length];
        _wasTrue = new bool[_rules.Length];
        _thresholds = new double[_rules.Length];
        for (int r = 0; r < _rules.Length; r++)
        {
            var rule = _rules[r];
            _thresholds[r] = rule.Threshold;
            if (rule.Channel < 0 || rule.Channel >= stream.ChannelCount)
            {
                throw new ArgumentException($"rule '{rule.Name}': channel {rule.Channel} is outside stream '{stream.Name}' (0..{stream.ChannelCount - 1})");
            }

            if (rule.Feature == FeatureKind.Phase && rule.Trigger != TriggerMode.Crossing)
            {
                throw new ArgumentException($"rule '{rule.Name}': phase rules fire on crossings of the target phase; trigger must be 'crossing'");
            }

            if (rule.Feature is FeatureKind.BandPower or FeatureKind.Phase)
            {
                try
                {
                    if (rule.Feature == FeatureKind.Phase)
                    {
                        _phases[r] = new PhaseTracker(stream.NominalRate, rule.BandLowHz, rule.BandHighHz);
                    }
                    else
                    {
                        _trackers[r] = new BandPowerTracker(stream.NominalRate, rule.BandLowHz, rule.BandHighHz, rule.SmoothingSeconds);
                    }
                }
                catch (ArgumentException ex)
                {
                    throw new ArgumentException($"rule '{rule.Name}': {ex.Message}", ex);
                }
            }
        }
    }

    public string Name => "stimulation-triggers";

    public ValueTask OnChunkAsync(SampleChunk chunk, IResultPublisher publisher, CancellationToken cancellationToken)
    {
        if (chunk.Stream.Name != _stream.Name || chunk.SampleCount == 0)
        {
            return ValueTask.CompletedTask;
        }

        _controller.NoteData(chunk.ArrivalTicks);
        var values = chunk.Values;
        int channels = chunk.ChannelCount;
        int last = chunk.SampleCount - 1;
        for (int r = 0; r < _rules.Length; r++)
        {
            var rule = _rules[r];
            double threshold = Volatile.Read(ref _thresholds[r]);
            if (_phases[r] is { } phase)
            {
                CheckPhase(rule, threshold, phase, chunk);
                continue;
            }

            double feature;
            var tracker = _trackers[r];
            if (tracker is not null)
            {
                for (int i = 0; i <= last; i++)
                {
                    tracker.Add(values[(i * channels) + rule.Channel]);
                }

                feature = tracker.Power;
            }
            else
            {
                feature = values[(last * channels) + rule.Channel];
            }

            bool holds = double.IsFinite(feature) && (rule.Above ? feature > threshold : feature < threshold);
            bool fire = holds && (rule.Trigger == TriggerMode.Level || !_wasTrue[r]);
            _wasTrue[r] = holds;
            if (fire)
            {
                string inputs = string.Create(CultureInfo.InvariantCulture, $"{rule.Feature} ch{rule.Channel} = {feature:G6} {(rule.Above ? ">" : "<")} {threshold:G6}");
                double probability = rule.HighThreshold is double high && (rule.Above ? feature > high : feature < high) ? rule.HighProbability : rule.Probability;
                _controller.Request(new StimulationRequest(rule.Name, rule.StimulateChannel ?? rule.Channel, rule.Amplitude, rule.DurationSeconds, probability, chunk.Timestamps[last], chunk.ArrivalTicks, inputs));
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Feeds a phase rule's tracker sample by sample and asks for one pulse when the phase crossed the target inside
    /// the chunk with the band amplitude at least the threshold; the audit inputs give the phase at the crossing and
    /// at the chunk's last sample (the pulse goes out when the whole chunk has arrived).
    /// </summary>
    private void CheckPhase(FeatureRule rule, double threshold, PhaseTracker phase, SampleChunk chunk)
    {
        var values = chunk.Values;
        int channels = chunk.ChannelCount;
        int last = chunk.SampleCount - 1;
        double target = rule.PhaseDegrees * Math.PI / 180;
        int crossedAt = -1;
        double amplitudeAtCrossing = 0;
        for (int i = 0; i <= last; i++)
        {
            if (phase.Add(values[(i * channels) + rule.Channel], target) && crossedAt < 0 && phase.Amplitude >= threshold)
            {
                crossedAt = i;
                amplitudeAtCrossing = phase.Amplitude;
            }
        }

        if (crossedAt < 0)
        {
            return;
        }

        string inputs = string.Create(
            CultureInfo.InvariantCulture,
            $"phase ch{rule.Channel} crossed {rule.PhaseDegrees:G4} deg at sample {crossedAt} of {last + 1} (amplitude {amplitudeAtCrossing:G6} >= {threshold:G6}); {phase.Phase * 180 / Math.PI:F1} deg at the chunk's end");
        _controller.Request(new StimulationRequest(rule.Name, rule.StimulateChannel ?? rule.Channel, rule.Amplitude, rule.DurationSeconds, rule.Probability, chunk.Timestamps[last], chunk.ArrivalTicks, inputs));
    }

    /// <inheritdoc/>
    public IReadOnlyList<RuleThreshold> Thresholds
    {
        get
        {
            var list = new RuleThreshold[_rules.Length];
            for (int r = 0; r < _rules.Length; r++)
            {
                var rule = _rules[r];
                list[r] = new RuleThreshold(rule.Name, FeatureName(rule.Feature), rule.Channel, Volatile.Read(ref _thresholds[r]));
            }

            return list;
        }
    }

    /// <inheritdoc/>
    public string? TrySetThreshold(string rule, double threshold, string reason)
    {
        int r = Array.FindIndex(_rules, x => x.Name == rule);
        if (r < 0)
        {
            return $"no fast-path rule is named '{rule}'";
        }

        var found = _rules[r];
        if (!double.IsFinite(threshold))
        {
            return $"rule '{rule}': the threshold must be a finite number";
        }

        if (found.Feature == FeatureKind.Phase && threshold < 0)
        {
            return $"rule '{rule}': a phase rule's threshold is the minimum band amplitude and cannot be negative";
        }

        if (found.HighThreshold is double high && (found.Above ? threshold >= high : threshold <= high))
        {
            return string.Create(CultureInfo.InvariantCulture, $"rule '{rule}': the threshold must stay {(found.Above ? "below" : "above")} its high threshold {high:G6}");
        }

        double previous;
        lock (_thresholdGate)
        {
            previous = _thresholds[r];
            Volatile.Write(ref _thresholds[r], threshold);
        }

        _controller.RecordOperatorChange(string.Create(CultureInfo.InvariantCulture, $"{reason}: threshold of rule '{rule}' {previous:G6} -> {threshold:G6}"));
        return null;
    }

    private static string FeatureName(FeatureKind feature) => feature switch
    {
        FeatureKind.BandPower => "bandPower",
        FeatureKind.Phase => "phase",
        _ => "value",
    };

    public ValueTask OnMarkerAsync(MarkerEvent marker, IResultPublisher publisher, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask CompleteAsync(IResultPublisher publisher, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
