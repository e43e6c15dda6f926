using System.Globalization;
using CausalStream.Core.Pipeline;
using CausalStream.Core.Streams;

namespace CausalStream.Core.Stimulation;

/// <summary>
/// The fast trigger path: on the ingest task, for every chunk of the watched stream, feeds the watchdog,
/// updates each rule's feature sample by sample, and asks the controller for a pulse when a rule's condition
/// holds after the chunk. Nothing here waits for analysis; a chunk costs O(samples × rules).
/// </summary>
public sealed class FeatureTriggerStage : IIngestStage
{
    private readonly StreamInfo _stream;
    private readonly StimulationController _controller;
    private readonly FeatureRule[] _rules;
    private readonly BandPowerTracker?[] _trackers;
    private readonly PhaseTracker?[] _phases;
    private readonly bool[] _wasTrue;

    public FeatureTriggerStage(StreamInfo stream, IReadOnlyList<FeatureRule> rules, StimulationController controller)
    {
        _stream = stream;
        _controller = controller;
        _rules = [.. rules];
        _trackers = new BandPowerTracker?[_rules.Length];
        _phases = new PhaseTracker?[_rules.Length];
        _wasTrue = new bool[_rules.Length];
        for (int r = 0; r < _rules.Length; r++)
        {
            var rule = _rules[r];
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
            if (_phases[r] is { } phase)
            {
                CheckPhase(r, rule, phase, chunk);
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

            bool holds = double.IsFinite(feature) && (rule.Above ? feature > rule.Threshold : feature < rule.Threshold);
            bool fire = holds && (rule.Trigger == TriggerMode.Level || !_wasTrue[r]);
            _wasTrue[r] = holds;
            if (fire)
            {
                string inputs = string.Create(CultureInfo.InvariantCulture, $"{rule.Feature} ch{rule.Channel} = {feature:G6} {(rule.Above ? ">" : "<")} {rule.Threshold:G6}");
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
    private void CheckPhase(int r, FeatureRule rule, PhaseTracker phase, SampleChunk chunk)
    {
        var values = chunk.Values;
        int channels = chunk.ChannelCount;
        int last = chunk.SampleCount - 1;
        double target = rule.PhaseDegrees * Math.PI / 180;
        int crossedAt = -1;
        double amplitudeAtCrossing = 0;
        for (int i = 0; i <= last; i++)
        {
            if (phase.Add(values[(i * channels) + rule.Channel], target) && crossedAt < 0 && phase.Amplitude >= rule.Threshold)
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
            $"phase ch{rule.Channel} crossed {rule.PhaseDegrees:G4} deg at sample {crossedAt} of {last + 1} (amplitude {amplitudeAtCrossing:G6} >= {rule.Threshold:G6}); {phase.Phase * 180 / Math.PI:F1} deg at the chunk's end");
        _controller.Request(new StimulationRequest(rule.Name, rule.StimulateChannel ?? rule.Channel, rule.Amplitude, rule.DurationSeconds, rule.Probability, chunk.Timestamps[last], chunk.ArrivalTicks, inputs));
    }

    public ValueTask OnMarkerAsync(MarkerEvent marker, IResultPublisher publisher, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask CompleteAsync(IResultPublisher publisher, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
