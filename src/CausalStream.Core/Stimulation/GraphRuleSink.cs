using System.Globalization;
using CausalStream.Core.Pipeline;
using CausalStream.Core.Streams;

namespace CausalStream.Core.Stimulation;

/// <summary>
/// Evaluates edge rules on every causal graph (as a sink with its own queue, so graph solves never sit on the
/// trigger path) and asks the controller for a pulse when a rule held for its number of consecutive graphs.
/// </summary>
public sealed class GraphRuleSink : IResultSink
{
    private readonly EdgeRule[] _rules;
    private readonly int[] _consecutive;
    private readonly StimulationController _controller;

    public GraphRuleSink(IReadOnlyList<EdgeRule> rules, StimulationController controller)
    {
        _rules = [.. rules];
        _consecutive = new int[_rules.Length];
        _controller = controller;
        foreach (var rule in _rules)
        {
            if (rule.ConsecutiveHops < 1)
            {
                throw new ArgumentException($"rule '{rule.Name}': consecutiveHops must be at least 1 (was {rule.ConsecutiveHops})");
            }
        }
    }

    public string Name => "stimulation-graph-rules";

    public ValueTask ConsumeAsync(PipelineResult result, CancellationToken cancellationToken)
    {
        if (result is not CausalGraph graph)
        {
            return ValueTask.CompletedTask;
        }

        for (int r = 0; r < _rules.Length; r++)
        {
            var rule = _rules[r];
            int source = IndexOf(graph.Channels, rule.Source);
            int target = IndexOf(graph.Channels, rule.Target);
            CausalEdge? edge = null;
            foreach (var candidate in graph.Edges)
            {
                if (candidate.Source == source && candidate.Target == target)
                {
                    edge = candidate;
                    break;
                }
            }

            if (edge is null)
            {
                _consecutive[r] = 0;
                continue;
            }

            bool holds = rule.Above ? edge.Weight > rule.Threshold : edge.Weight < rule.Threshold;
            _consecutive[r] = holds ? _consecutive[r] + 1 : 0;
            if (_consecutive[r] >= rule.ConsecutiveHops)
            {
                _consecutive[r] = 0;
                string inputs = string.Create(CultureInfo.InvariantCulture, $"weight {rule.Source}->{rule.Target} = {edge.Weight:G6} {(rule.Above ? ">" : "<")} {rule.Threshold:G6} for {rule.ConsecutiveHops} graphs (graph #{graph.Sequence})");
                _controller.Request(new StimulationRequest(rule.Name, rule.StimulateChannel ?? source, rule.Amplitude, rule.DurationSeconds, rule.Probability, graph.WindowEnd, graph.NewestArrivalTicks, inputs));
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

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
}
