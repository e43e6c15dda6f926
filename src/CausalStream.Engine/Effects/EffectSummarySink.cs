using System.Globalization;
using System.Text;
using CausalStream.Core.Pipeline;
using CausalStream.Core.Streams;

namespace CausalStream.Engine.Effects;

/// <summary>
/// Prints one console line per round of effect estimates (every <c>every</c> events, and the last round at the
/// end): each estimator's estimate and 95% interval side by side, and the true effect when the source knows it,
/// so a run shows the naive estimate's bias and the adjusted estimates converging.
/// </summary>
public sealed class EffectSummarySink : IResultSink
{
    private readonly TextWriter _output;
    private readonly int _every;
    private readonly List<string> _order = [];
    private readonly Dictionary<string, EffectEstimate> _latest = new(StringComparer.Ordinal);
    private int _printedN = -1;

    /// <summary>Writes to <paramref name="output"/> every <paramref name="every"/> events.</summary>
    public EffectSummarySink(TextWriter output, int every = 10)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(every);
        _output = output;
        _every = every;
    }

    /// <inheritdoc />
    public string Name => "effect-summary";

    /// <inheritdoc />
    public ValueTask ConsumeAsync(PipelineResult result, CancellationToken cancellationToken)
    {
        if (result is not EffectEstimate estimate)
        {
            return ValueTask.CompletedTask;
        }

        if (_order.Count > 0 && estimate.Estimator == _order[0])
        {
            int n = _latest[_order[0]].N;
            if (n != _printedN && (_printedN < 0 ? n >= _every : n - _printedN >= _every))
            {
                _output.WriteLine(Format());
                _printedN = n;
            }
        }

        if (!_latest.ContainsKey(estimate.Estimator))
        {
            _order.Add(estimate.Estimator);
        }

        _latest[estimate.Estimator] = estimate;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_order.Count > 0 && _latest[_order[0]].N != _printedN)
        {
            _output.WriteLine(Format());
            _printedN = _latest[_order[0]].N;
        }

        _output.Flush();
        return ValueTask.CompletedTask;
    }

    /// <summary>The line for the latest round.</summary>
    internal string Format()
    {
        var first = _latest[_order[0]];
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"[effect {first.Treatment} -> {first.Outcome}, n={first.N} ({first.NTreated} treated):");
        double truth = double.NaN;
        for (int i = 0; i < _order.Count; i++)
        {
            var e = _latest[_order[i]];
            text.Append(i == 0 ? " " : " | ");
            if (e.Estimate is double value && e.CiLow is double low && e.CiHigh is double high)
            {
                text.Append(CultureInfo.InvariantCulture, $"{e.Estimator} {value:G4} [{low:G4}, {high:G4}]");
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"{e.Estimator} withheld");
            }

            if (e.Diagnostics.TryGetValue("true_effect", out double t))
            {
                truth = t;
            }
        }

        if (double.IsFinite(truth))
        {
            text.Append(CultureInfo.InvariantCulture, $" | truth {truth:G4}");
        }

        return text.Append(']').ToString();
    }
}
