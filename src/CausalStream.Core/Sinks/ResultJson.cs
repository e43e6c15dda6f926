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
    /// <summary>
    /// Writes <paramref name="result"/> as one JSON object; returns false for result types without a JSON form. With
    /// <paramref name="significantEdgesOnly"/>, graphs carry only their significant edges (<see cref="WriteGraph(Utf8JsonWriter, CausalGraph, bool)"/>).
    /// </summary>
    public static bool TryWrite(Utf8JsonWriter writer, PipelineResult result, bool significantEdgesOnly = false)
    {
        switch (result)
        {
            case CausalGraph graph:
                WriteGraph(writer, graph, significantEdgesOnly);
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
            case EffectEstimate effect:
                WriteEffect(writer, effect);
                return true;
            case InterventionPrediction prediction:
                WritePrediction(writer, prediction);
                return true;
            default:
                return false;
        }
    }

    public static void WriteGraph(Utf8JsonWriter writer, CausalGraph graph) => WriteGraph(writer, graph, significantOnly: false);

    /// <summary>
    /// Writes a graph; with <paramref name="significantOnly"/> only its significant edges, plus <c>edgeFilter</c> and
    /// <c>edgesTested</c> so a reader knows the rest were tested and left out (a compact form for results buses).
    /// </summary>
    public static void WriteGraph(Utf8JsonWriter writer, CausalGraph graph, bool significantOnly)
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
        if (significantOnly)
        {
            writer.WriteString("edgeFilter", "significant");
            writer.WriteNumber("edgesTested", graph.Edges.Count);
        }

        writer.WriteStartArray("channels");
        foreach (var channel in graph.Channels)
        {
            writer.WriteStringValue(channel);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("edges");
        foreach (var edge in graph.Edges)
        {
            if (significantOnly && !edge.Significant)
            {
                continue;
            }

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

    /// <summary>
    /// Writes an effect estimate (docs/formats.md, "effect"): estimator, estimand, estimate, se and 95% interval (null
    /// when withheld, with the reason in "withheld"), the confidence sequence when the estimator keeps one, and diagnostics.
    /// </summary>
    public static void WriteEffect(Utf8JsonWriter writer, EffectEstimate effect)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "effect");
        writer.WriteString("treatment", effect.Treatment);
        writer.WriteString("outcome", effect.Outcome);
        writer.WriteString("estimator", effect.Estimator);
        writer.WriteString("estimand", effect.Estimand);
        Number(writer, "time", effect.SourceTime ?? double.NaN);
        Number(writer, "estimate", effect.Estimate ?? double.NaN);
        Number(writer, "se", effect.StandardError ?? double.NaN);
        Number(writer, "ciLow", effect.CiLow ?? double.NaN);
        Number(writer, "ciHigh", effect.CiHigh ?? double.NaN);
        if (effect.Diagnostics.TryGetValue("cs_low", out double csLow) && effect.Diagnostics.TryGetValue("cs_high", out double csHigh))
        {
            Number(writer, "csLow", csLow);
            Number(writer, "csHigh", csHigh);
        }

        writer.WriteNumber("n", effect.N);
        writer.WriteNumber("nTreated", effect.NTreated);
        if (effect.WithheldReason is { } reason)
        {
            writer.WriteString("withheld", reason);
        }

        writer.WriteStartObject("diagnostics");
        foreach (var pair in effect.Diagnostics)
        {
            Number(writer, pair.Key, pair.Value);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Writes a predicted response to do(pulse) (docs/formats.md, "prediction"): one array per channel, with its standard errors.</summary>
    public static void WritePrediction(Utf8JsonWriter writer, InterventionPrediction prediction)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "prediction");
        writer.WriteString("stream", prediction.Stream);
        Number(writer, "time", prediction.SourceTime);
        writer.WriteNumber("channel", prediction.Channel);
        Number(writer, "amplitude", prediction.Amplitude);
        writer.WriteNumber("durationSamples", prediction.DurationSamples);
        writer.WriteNumber("onsetSample", prediction.OnsetSample);
        Number(writer, "sampleRate", prediction.SampleRate);
        writer.WriteNumber("horizon", prediction.Horizon);
        writer.WriteNumber("lags", prediction.Lags);
        writer.WriteString("method", prediction.Method);
        if (prediction.Outcome is not null)
        {
            writer.WriteString("outcome", prediction.Outcome);
            Number(writer, "outcomeEffect", prediction.OutcomeEffect ?? double.NaN);
            Number(writer, "outcomeEffectSe", prediction.OutcomeEffectSe ?? double.NaN);
        }

        int c = prediction.Channels.Count;
        writer.WriteStartArray("channels");
        for (int ch = 0; ch < c; ch++)
        {
            writer.WriteStartObject();
            writer.WriteString("label", prediction.Channels[ch]);
            writer.WriteStartArray("response");
            for (int t = 0; t < prediction.Horizon; t++)
            {
                Value(writer, prediction.Response[(t * c) + ch]);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("se");
            for (int t = 0; t < prediction.Horizon; t++)
            {
                Value(writer, prediction.StandardError[(t * c) + ch]);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void Value(Utf8JsonWriter writer, double value)
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
