using System.Globalization;
using CausalStream.Core.Pipeline;
using CausalStream.Core.Streams;

namespace CausalStream.Core.Stimulation;

/// <summary>
/// Evaluates effect rules on every published <see cref="EffectEstimate"/> (as a sink with its own queue, like the
/// graph rules, so estimation never sits on the trigger path) and asks the controller for a pulse when a rule's
/// interval has excluded zero for its number of consecutive estimates. Withheld estimates reset the count.
/// </summary>
public sealed class EffectRuleSink : IResultSink
{
    private readonly EffectRule[] _rules;
    private readonly int[] _consecutive;
    private readonly bool[] _asked;
    private readonly StimulationController _controller;

    /// <exception cref="ArgumentException">A rule with an unknown direction or fewer than one consecutive estimate.</exception>
    public EffectRuleSink(IReadOnlyList<EffectRule> rules, StimulationController controller)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(controller);
        _rules = [.. rules];
        _consecutive = new int[_rules.Length];
        _asked = new bool[_rules.Length];
        _controller = controller;
        foreach (var rule in _rules)
        {
            if (rule.Direction is not ("positive" or "negative" or "either"))
            {
                throw new ArgumentException($"rule '{rule.Name}': direction must be positive, negative or either (was '{rule.Direction}')");
            }

            if (rule.ConsecutiveEstimates < 1)
            {
                throw new ArgumentException($"rule '{rule.Name}': consecutiveEstimates must be at least 1 (was {rule.ConsecutiveEstimates})");
            }
        }
    }

    public string Name => "stimulation-effect-rules";

    public ValueTask ConsumeAsync(PipelineResult result, CancellationToken cancellationToken)
    {
        if (result is not EffectEstimate estimate)
        {
            return ValueTask.CompletedTask;
        }

        for (int r = 0; r < _rules.Length; r++)
        {
            var rule = _rules[r];
            if (estimate.Estimator != rule.Estimator
                || (rule.Treatment is not null && rule.Treatment != estimate.Treatment)
                || (rule.Outcome is not null && rule.Outcome != estimate.Outcome))
            {
                continue;
            }

            if (!Bounds(estimate, rule.UseConfidenceSequence, out double low, out double high))
            {
                _consecutive[r] = 0;
                _asked[r] = false;
                continue;
            }

            bool holds = rule.Direction switch
            {
                "positive" => low > 0,
                "negative" => high < 0,
                _ => low > 0 || high < 0,
            };
            if (!holds)
            {
                _consecutive[r] = 0;
                _asked[r] = false;
                continue;
            }

            _consecutive[r]++;
            if (_consecutive[r] >= rule.ConsecutiveEstimates && !_asked[r])
            {
                _asked[r] = true;
                string kind = rule.UseConfidenceSequence ? "confidence sequence" : "95% CI";
                string inputs = string.Create(CultureInfo.InvariantCulture, $"{estimate.Estimator} {estimate.Treatment} -> {estimate.Outcome} = {estimate.Estimate:G6}, {kind} [{low:G6}, {high:G6}] excludes 0 (n = {estimate.N})");
                _controller.Request(new StimulationRequest(rule.Name, rule.StimulateChannel, rule.Amplitude, rule.DurationSeconds, rule.Probability, estimate.SourceTime ?? 0, estimate.NewestArrivalTicks, inputs));
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    private static bool Bounds(EffectEstimate estimate, bool sequence, out double low, out double high)
    {
        low = double.NaN;
        high = double.NaN;
        if (estimate.IsWithheld)
        {
            return false;
        }

        if (sequence)
        {
            return estimate.Diagnostics.TryGetValue("cs_low", out low) && estimate.Diagnostics.TryGetValue("cs_high", out high) && double.IsFinite(low) && double.IsFinite(high);
        }

        if (estimate.CiLow is double l && estimate.CiHigh is double h && double.IsFinite(l) && double.IsFinite(h))
        {
            low = l;
            high = h;
            return true;
        }

        return false;
    }
}
