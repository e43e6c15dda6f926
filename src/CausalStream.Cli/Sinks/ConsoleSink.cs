using System.Globalization;
using System.Text;
using CausalStream.Core.Pipeline;
using CausalStream.Core.Streams;

namespace CausalStream.Cli.Sinks;

/// <summary>
/// Prints one compact line per health report: per-stream measured rate, drops and input problems, windows
/// completed, and latency percentiles of the ingest path and the sinks.
/// </summary>
public sealed class ConsoleSink : IResultSink
{
    private readonly TextWriter _output;
    private readonly Dictionary<string, long> _hops = new(StringComparer.Ordinal);

    public ConsoleSink(TextWriter output)
    {
        _output = output;
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

    private static string Ms(double seconds) => (seconds * 1000).ToString(seconds < 0.01 ? "F3" : "F1", CultureInfo.InvariantCulture);
}
