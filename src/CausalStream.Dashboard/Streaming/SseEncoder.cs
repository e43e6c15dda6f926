using System.Buffers;
using System.Text.Json;
using CausalStream.Core.Sinks;
using CausalStream.Core.Stimulation;
using CausalStream.Core.Streams;

namespace CausalStream.Dashboard.Streaming;

/// <summary>
/// Encodes results as Server-Sent Events ("data: {json}\n\n"), reusing one buffer and one JSON writer; each
/// event is one new byte array shared by every client. Not thread-safe: one encoder per writer.
/// </summary>
internal sealed class SseEncoder
{
    private static readonly byte[] Prefix = "data: "u8.ToArray();
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private readonly Utf8JsonWriter _json;

    public SseEncoder()
    {
        _json = new Utf8JsonWriter(_buffer);
    }

    /// <summary>A keep-alive comment line, ignored by browsers.</summary>
    public static byte[] Heartbeat { get; } = ": ping\n\n"u8.ToArray();

    /// <summary>Tells the browser how long to wait before reconnecting after the feed drops.</summary>
    public static byte[] Retry { get; } = "retry: 2000\n\n"u8.ToArray();

    /// <summary>The event for a result, or null when the dashboard does not show that type.</summary>
    public byte[]? Encode(PipelineResult result)
    {
        if (result is WindowSummary)
        {
            return null;
        }

        Begin();
        if (!ResultJson.TryWrite(_json, result))
        {
            return null;
        }

        return End();
    }

    /// <summary>
    /// A compact "history" event of one stream's recent graphs, to seed a new browser's edge-strength chart:
    /// per graph its sequence, window end, the C×C weights (row = source, column = target; null where untested)
    /// and the flat indices of the significant edges.
    /// </summary>
    public byte[] EncodeHistory(string stream, IReadOnlyList<CausalGraph> graphs)
    {
        var latest = graphs[^1];
        int channels = latest.Channels.Count;
        var weights = new double[channels * channels];
        Begin();
        _json.WriteStartObject();
        _json.WriteString("type", "history");
        _json.WriteString("stream", stream);
        _json.WriteStartArray("channels");
        foreach (var name in latest.Channels)
        {
            _json.WriteStringValue(name);
        }

        _json.WriteEndArray();
        _json.WriteStartArray("points");
        foreach (var graph in graphs)
        {
            if (graph.Channels.Count != channels)
            {
                continue;
            }

            Array.Fill(weights, double.NaN);
            _json.WriteStartObject();
            _json.WriteNumber("sequence", graph.Sequence);
            Number("windowEnd", graph.WindowEnd);
            _json.WriteStartArray("significant");
            foreach (var edge in graph.Edges)
            {
                weights[(edge.Source * channels) + edge.Target] = edge.Weight;
                if (edge.Significant)
                {
                    _json.WriteNumberValue((edge.Source * channels) + edge.Target);
                }
            }

            _json.WriteEndArray();
            _json.WriteStartArray("weights");
            foreach (double w in weights)
            {
                if (double.IsFinite(w))
                {
                    _json.WriteNumberValue(w);
                }
                else
                {
                    _json.WriteNullValue();
                }
            }

            _json.WriteEndArray();
            _json.WriteEndObject();
        }

        _json.WriteEndArray();
        _json.WriteEndObject();
        return End();
    }

    /// <summary>
    /// A "control" event: whether the controls are enabled on this server, whether a controller is attached,
    /// whether it is armed (null without a controller) and why it last changed.
    /// </summary>
    public byte[] EncodeControl(bool controlsEnabled, IStimulationControl? control, string reason)
    {
        Begin();
        _json.WriteStartObject();
        _json.WriteString("type", "control");
        _json.WriteBoolean("controlsEnabled", controlsEnabled);
        _json.WriteBoolean("controllerAttached", control is not null);
        if (control is null)
        {
            _json.WriteNull("armed");
        }
        else
        {
            _json.WriteBoolean("armed", control.IsArmed);
        }

        _json.WriteString("reason", reason);
        _json.WriteString("time", DateTime.UtcNow);
        _json.WriteEndObject();
        return End();
    }

    private void Begin()
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
    }

    private byte[] End()
    {
        _json.Flush();
        var json = _buffer.WrittenSpan;
        var frame = new byte[Prefix.Length + json.Length + 2];
        Prefix.CopyTo(frame, 0);
        json.CopyTo(frame.AsSpan(Prefix.Length));
        frame[^2] = (byte)'\n';
        frame[^1] = (byte)'\n';
        return frame;
    }

    private void Number(string name, double value)
    {
        if (double.IsFinite(value))
        {
            _json.WriteNumber(name, value);
        }
        else
        {
            _json.WriteNull(name);
        }
    }
}
