using System.Globalization;
using System.Text;
using CausalStream.Core.Pipeline;
using CausalStream.Core.Stimulation;
using CausalStream.Core.Streams;

namespace CausalStream.Cli.Sinks;

/// <summary>
/// Prints one compact line per health report (per-stream measured rate, drops and input problems, windows
/// completed, latency percentiles of the ingest path and the sinks) and one per causal graph (significant
/// edges, scored against a known true graph when there is one).
/// </summary>
public sealed class ConsoleSink : IResultSink
{
    private readonly TextWriter _output;
    private const int MaxEdgesShown = 12;
    private readonly Dictionary<string, long> _hops = new(StringComparer.Ordinal);
    private readonly HashSet<(int Source, int Target)>? _truth;
    private long _suppressed;

    /// <param name="output">Where lines go (standard output).</param>
    /// <param name="truth">Known true edges (source, target), e.g. the simulator's graph; graphs are then scored against it.</param>
    public ConsoleSink(TextWriter output, IEnumerable<(int Source, int Target)>? truth = null)
    {
        _output = output;
        _truth = truth is null ? null : new HashSet<(int Source, int Target)>(truth);
    }

    public string Name => "console";

    public ValueTask ConsumeAsync(PipelineResult result, CancellationToken cancellationToken)
    {
        switch (result)
        {
            case WindowSummary summary:
                _hops[summary.Stream] = summary.Hop;
                break;
            case PipelineStatus status:
                _output.WriteLine(Format(status));
                break;
            case CausalGraph graph:
                _output.WriteLine(Format(graph));
                break;
            case StimulationDecision decision when decision.Outcome != StimulationOutcome.Suppressed:
                _output.WriteLine(Format(decision));
                break;
            case StimulationDecision:
                _suppressed++;
                break;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        _output.Flush();
        return ValueTask.CompletedTask;
    }

    internal string Format(PipelineStatus status)
    {
        var line = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        line.Append(inv, $"[{status.ElapsedSeconds,7:F1}s]{(status.IsFinal ? " final" : string.Empty)}");
        foreach (var stream in status.Streams)
        {
            if (stream.NominalRate > 0)
            {
                line.Append(inv, $" {stream.Stream} {stream.MeasuredRate:F1}/{stream.NominalRate:F0} Hz");
            }
            else
            {
                line.Append(inv, $" {stream.Stream} {stream.Markers} ev");
            }

            if (_hops.TryGetValue(stream.Stream, out long hops))
            {
                line.Append(inv, $" win {hops}");
            }

            long problems = stream.Dropped + stream.RejectedChunks + stream.NonFiniteValues + stream.Gaps + stream.BackwardsTimestamps + stream.SourceErrors;
            if (problems > 0)
            {
                line.Append(inv, $" (drop {stream.Dropped} rej {stream.RejectedChunks} nan {stream.NonFiniteValues} gap {stream.Gaps} back {stream.BackwardsTimestamps} err {stream.SourceErrors})");
            }

            line.Append(" |");
        }

        foreach (var stage in status.Stages)
        {
            if (stage.LatencyCount == 0)
            {
                continue;
            }

            line.Append(inv, $" {stage.Stage} p50 {Ms(stage.LatencyP50)} p99 {Ms(stage.LatencyP99)} p99.9 {Ms(stage.LatencyP999)} max {Ms(stage.LatencyMax)} ms");
            if (stage.Dropped > 0)
            {
                line.Append(inv, $" drop {stage.Dropped}");
            }

            line.Append(';');
        }

        return line.ToString().TrimEnd(';', '|', ' ');
    }

    internal string Format(CausalGraph graph)
    {
        var inv = CultureInfo.InvariantCulture;
        var significant = new List<CausalEdge>();
        foreach (var edge in graph.Edges)
        {
            if (edge.Significant)
            {
                significant.Add(edge);
            }
        }

        significant.Sort((a, b) => b.Weight.CompareTo(a.Weight));
        var line = new StringBuilder();
        line.Append(inv, $"[graph {graph.Stream} #{graph.Sequence} {graph.WindowStart:F2}-{graph.WindowEnd:F2} s, {graph.Method} p={graph.MaxLag}, {graph.RowsUsed} rows");
        if (graph.RowsSkipped > 0)
        {
            line.Append(inv, $", {graph.RowsSkipped} skipped");
        }

        line.Append(graph.Regularized ? ", ridge]" : "]");
        line.Append(inv, $" {significant.Count} significant:");
        for (int i = 0; i < significant.Count && i < MaxEdgesShown; i++)
        {
            var edge = significant[i];
            line.Append(' ').Append(graph.Channels[edge.Source]).Append("->").Append(graph.Channels[edge.Target]);
        }

        if (significant.Count > MaxEdgesShown)
        {
            line.Append(inv, $" (+{significant.Count - MaxEdgesShown})");
        }

        if (_truth is not null)
        {
            int found = 0;
            foreach (var edge in significant)
            {
                if (_truth.Contains((edge.Source, edge.Target)))
                {
                    found++;
                }
            }

            line.Append(inv, $" | truth {_truth.Count}: found {found}, missed {_truth.Count - found}, false {significant.Count - found}");
        }

        return line.ToString();
    }

    internal string Format(StimulationDecision decision)
    {
        var r = decision.Request;
        string outcome = decision.Outcome switch
        {
            StimulationOutcome.Fired => "fired",
            StimulationOutcome.DryRun => "dry-run",
            _ => "randomised out",
        };
        string probability = r.Probability < 1 ? string.Create(CultureInfo.InvariantCulture, $" p={r.Probability:G3}") : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"[stim t={r.SourceTime:F3} s] {outcome} ch{r.Channel + 1} amp {r.Amplitude:G4} for {r.DurationSeconds * 1000:G4} ms by '{r.Rule}'{probability} ({r.Inputs}); decided {decision.LatencySeconds * 1000:F3} ms after arrival; {_suppressed} suppressed so far");
    }

    private static string Ms(double seconds) => (seconds * 1000).ToString(seconds < 0.01 ? "F3" : "F1", CultureInfo.InvariantCulture);
}
