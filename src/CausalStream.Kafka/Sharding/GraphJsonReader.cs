using System.Text.Json;
using CausalStream.Core.Streams;

namespace CausalStream.Kafka.Sharding;

/// <summary>Reads a <c>"type": "graph"</c> object of docs/formats.md back into a <see cref="CausalGraph"/> (null numbers become NaN).</summary>
public static class GraphJsonReader
{
    /// <param name="json">The UTF-8 JSON object.</param>
    /// <param name="requireAllEdges">Refuse a graph published with <c>sinks.kafka.edges: "significant"</c> (merging shards needs every tested edge).</param>
    /// <exception cref="FormatException">Not a graph object, or filtered when all edges are required; the message names the field.</exception>
    public static CausalGraph Read(ReadOnlySpan<byte> json, bool requireAllEdges = false)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            string type = Get(root, "type").GetString() ?? string.Empty;
            if (type != "graph")
            {
                throw new FormatException($"field 'type' is '{type}', expected 'graph'");
            }

            if (requireAllEdges && root.TryGetProperty("edgeFilter", out var filter))
            {
                throw new FormatException($"field 'edgeFilter' is '{filter.GetString()}': the message carries only some of the tested edges, and merging shards needs all of them (publish with sinks.kafka.edges \"all\")");
            }

            var channelsElement = Get(root, "channels");
            var channels = new string[channelsElement.GetArrayLength()];
            int i = 0;
            foreach (var channel in channelsElement.EnumerateArray())
            {
                channels[i++] = channel.GetString() ?? string.Empty;
            }

            var edgesElement = Get(root, "edges");
            var edges = new CausalEdge[edgesElement.GetArrayLength()];
            i = 0;
            foreach (var e in edgesElement.EnumerateArray())
            {
                string? link = e.TryGetProperty("link", out var l) ? l.GetString() : null;
                int lag = e.TryGetProperty("lag", out var lagElement) ? lagElement.GetInt32() : 0;
                edges[i++] = new CausalEdge(
                    Get(e, "sourceIndex").GetInt32(),
                    Get(e, "targetIndex").GetInt32(),
                    Number(e, "weight"),
                    Number(e, "f"),
                    Number(e, "df1"),
                    Number(e, "df2"),
                    Number(e, "p"),
                    Number(e, "q"),
                    Get(e, "significant").GetBoolean(),
                    Numbers(e, "lagCoefficients"),
                    Numbers(e, "lagT"),
                    lag,
                    link);
            }

            return new CausalGraph(
                Get(root, "stream").GetString() ?? string.Empty,
                Number(root, "windowStart"),
                Number(root, "windowEnd"),
                Get(root, "samples").GetInt32(),
                Get(root, "rowsUsed").GetInt32(),
                Get(root, "rowsSkipped").GetInt32(),
                channels,
                Get(root, "method").GetString() ?? string.Empty,
                Get(root, "maxLag").GetInt32(),
                Get(root, "correction").GetString() ?? string.Empty,
                Number(root, "alpha"),
                Get(root, "regularized").GetBoolean(),
                Get(root, "sequence").GetInt64(),
                edges);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new FormatException("graph JSON: " + ex.Message, ex);
        }
    }

    private static JsonElement Get(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) ? value : throw new FormatException($"field '{name}' is missing");

    private static double Number(JsonElement element, string name)
    {
        var value = Get(element, name);
        return value.ValueKind == JsonValueKind.Null ? double.NaN : value.GetDouble();
    }

    private static double[] Numbers(JsonElement element, string name)
    {
        var array = Get(element, name);
        var values = new double[array.GetArrayLength()];
        int i = 0;
        foreach (var item in array.EnumerateArray())
        {
            values[i++] = item.ValueKind == JsonValueKind.Null ? double.NaN : item.GetDouble();
        }

        return values;
    }
}
