using System.Text.Json;
using CausalStream.Core.Stimulation;
using CausalStream.Core.Streams;

namespace CausalStream.Core.Sinks;

/// <summary>
/// Writes results as the JSON objects documented in docs/formats.md (one object per result, camelCase keys,
/// a "type" discriminator). Non-finite numbers are written as null.
/// </summary>
public static class ResultJson
{
    /// <summary>Writes <paramref name="result"/> as one JSON object; returns false for result types without a JSON form.</summary>
    public static bool TryWrite(Utf8JsonWriter writer, PipelineResult result)
    {
        switch (result)
        {
            case CausalGraph graph:
                WriteGraph(writer, graph);
                return true;
            case WindowSummary summary:
                WriteSummary(writer, summary);
                return true;
            case PipelineStatus status:
                WriteStatus(writer, status);
                return true;
            case StimulationDecision decision:
                WriteDecision(writer, decision);
                return true;
            default:
                return false;
        }
    }

    public static void WriteGraph(Utf8JsonWriter writer, CausalGraph graph)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "graph");
        writer.WriteString("stream", graph.Stream);
        writer.WriteString("method", graph.Method);
        writer.WriteNumber("sequence", graph.Sequence);
        Number(writer, "windowStart", graph.WindowStart);
        Number(writer, "windowEnd", graph.WindowEnd);
        writer.WriteNumber("samples", graph.Samples);
        writer.WriteNumber("rowsUsed", graph.RowsUsed);
        writer.WriteNumber("rowsSkipped", graph.RowsSkipped);
        writer.WriteNumber("maxLag", graph.MaxLag);
        writer.WriteString("correction", graph.Correction);
        Number(writer, "alpha", graph.Alpha);
        writer.WriteBoolean("regularized", graph.Regularized);
        writer.WriteStartArray("channels");
        foreach (var channel in graph.Channels)
        {
            writer.WriteStringValue(channel);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("edges");
        foreach (var edge in graph.Edges)
        {
            writer.WriteStartObject();
            writer.WriteString("source", graph.Channels[edge.Source]);
            writer.WriteString("target", graph.Channels[edge.Target]);
            writer.WriteNumber("sourceIndex", edge.Source);
            writer.WriteNumber("targetIndex", edge.Target);
            Number(writer, "weight", edge.Weight);
            Number(writer, "f", edge.Statistic);
            Number(writer, "df1", edge.Df1);
            Number(writer, "df2", edge.Df2);
            Number(writer, "p", edge.PValue);
            Number(writer, "q", edge.AdjustedPValue);
            writer.WriteBoolean("significant", edge.Significant);
            Array(writer, "lagCoefficients", edge.LagCoefficients);
            Array(writer, "lagT", edge.LagTStatistics);
            if (edge.LinkType is not null)
            {
                writer.WriteNumber("lag", edge.Lag);
                writer.WriteString("link", edge.LinkType);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>
    /// Writes a stimulation decision with the same keys as a "decision" line of the audit log (docs/stimulation.md):
    /// outcome fired, dry_run, randomized_out or suppressed (with the interlock), the request, the draw and the latency.
    /// </summary>
    public static void WriteDecision(Utf8JsonWriter writer, StimulationDecision decision)
    {
        var request = decision.Request;
        writer.WriteStartObject();
        writer.WriteString("type", "decision");
        writer.WriteString("time", decision.WallClock);
        writer.WriteString("outcome", OutcomeName(decision.Outcome));
        if (decision.Interlock.Length > 0)
        {
            writer.WriteString("interlock", decision.Interlock);
        }

        writer.WriteString("rule", request.Rule);
        writer.WriteNumber("channel", request.Channel);
        Number(writer, "amplitude", request.Amplitude);
        Number(writer, "durationSeconds", request.DurationSeconds);
        Number(writer, "probability", request.Probability);
        Number(writer, "draw", decision.Draw);
        Number(writer, "sourceTime", request.SourceTime);
        Number(writer, "latencySeconds", decision.LatencySeconds);
        writer.WriteString("inputs", request.Inputs);
        writer.WriteEndObject();
    }

    /// <summary>The JSON name of an outcome, as in the audit log.</summary>
    public static string OutcomeName(StimulationOutcome outcome) => outcome switch
    {
        StimulationOutcome.Fired => "fired",
        StimulationOutcome.DryRun => "dry_run",
        StimulationOutcome.RandomizedOut => "randomized_out",
        _ => "suppressed",
    };

    private static void WriteSummary(Utf8JsonWriter writer, WindowSummary summary)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "window");
        writer.WriteString("stream", summary.Stream);
        writer.WriteNumber("hop", summary.Hop);
        Number(writer, "windowStart", summary.WindowStart);
        Number(writer, "windowEnd", summary.WindowEnd);
        writer.WriteNumber("samples", summary.Samples);
        Array(writer, "means", summary.ChannelMeans);
        Array(writer, "standardDeviations", summary.ChannelStandardDeviations);
        writer.WriteEndObject();
    }

    private static void WriteStatus(Utf8JsonWriter writer, PipelineStatus status)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "status");
        Number(writer, "elapsedSeconds", status.ElapsedSeconds);
        writer.WriteBoolean("final", status.IsFinal);
        writer.WriteStartArray("streams");
        foreach (var s in status.Streams)
        {
            writer.WriteStartObject();
            writer.WriteString("stream", s.Stream);
            Number(writer, "nominalRate", s.NominalRate);
            Number(writer, "measuredRate", s.MeasuredRate);
            writer.WriteNumber("samples", s.Samples);
            writer.WriteNumber("markers", s.Markers);
            writer.WriteNumber("dropped", s.Dropped);
            writer.WriteNumber("rejectedChunks", s.RejectedChunks);
            writer.WriteNumber("nonFiniteValues", s.NonFiniteValues);
            writer.WriteNumber("gaps", s.Gaps);
            writer.WriteNumber("backwardsTimestamps", s.BackwardsTimestamps);
            writer.WriteNumber("sourceErrors", s.SourceErrors);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("stages");
        foreach (var s in status.Stages)
        {
            writer.WriteStartObject();
            writer.WriteString("stage", s.Stage);
            writer.WriteNumber("processed", s.Processed);
            writer.WriteNumber("dropped", s.Dropped);
            writer.WriteNumber("queueDepth", s.QueueDepth);
            writer.WriteNumber("latencyCount", s.LatencyCount);
            Number(writer, "latencyP50", s.LatencyP50);
            Number(writer, "latencyP99", s.LatencyP99);
            Number(writer, "latencyP999", s.LatencyP999);
            Number(writer, "latencyMax", s.LatencyMax);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void Array(Utf8JsonWriter writer, string name, IReadOnlyList<double> values)
    {
        writer.WriteStartArray(name);
        foreach (double value in values)
        {
            if (double.IsFinite(value))
            {
                writer.WriteNumberValue(value);
            }
            else
            {
                writer.WriteNullValue();
            }
        }

        writer.WriteEndArray();
    }
}
