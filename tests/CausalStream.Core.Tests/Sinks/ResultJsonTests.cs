using System.Text.Json;
using CausalStream.Core.Sinks;
using CausalStream.Core.Streams;

namespace CausalStream.Core.Tests.Sinks;

/// <summary>Graph JSON with all edges and with significant edges only (the compact form of <c>sinks.kafka.edges</c>).</summary>
public sealed class ResultJsonTests
{
    private static CausalGraph Graph()
    {
        var edges = new List<CausalEdge>();
        string[] channels = ["a", "b", "c"];
        for (int s = 0; s < 3; s++)
        {
            for (int t = 0; t < 3; t++)
            {
                if (s != t)
                {
                    double p = (s * 3 + t) / 100.0;
                    edges.Add(new CausalEdge(s, t, 0.1 * s, 2.5, 2, 300, p, p * 1.5, p * 1.5 <= 0.05, [0.1, 0.2], [1.0, 2.0]));
                }
            }
        }

        return new CausalGraph("eeg", 0, 1, 1000, 998, 0, channels, "granger", 2, "fdr_bh", 0.05, false, 7, edges);
    }

    private static JsonElement Write(CausalGraph graph, bool significantOnly)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            ResultJson.WriteGraph(writer, graph, significantOnly);
        }

        return JsonDocument.Parse(buffer.WrittenMemory).RootElement.Clone();
    }

    [Fact]
    public void SignificantOnlyKeepsExactlyTheSignificantEdgesAndSaysHowManyWereTested()
    {
        var graph = Graph();
        var json = Write(graph, significantOnly: true);

        Assert.Equal("significant", json.GetProperty("edgeFilter").GetString());
        Assert.Equal(6, json.GetProperty("edgesTested").GetInt32());
        var expected = new List<(int, int)>();
        foreach (var edge in graph.Edges)
        {
            if (edge.Significant)
            {
                expected.Add((edge.Source, edge.Target));
            }
        }

        var written = new List<(int, int)>();
        foreach (var edge in json.GetProperty("edges").EnumerateArray())
        {
            Assert.True(edge.GetProperty("significant").GetBoolean());
            written.Add((edge.GetProperty("sourceIndex").GetInt32(), edge.GetProperty("targetIndex").GetInt32()));
        }

        Assert.NotEmpty(expected);
        Assert.True(expected.Count < graph.Edges.Count, "the fixture has edges on both sides of alpha");
        Assert.Equal(expected, written);
    }

    [Fact]
    public void AllEdgesIsTheDocumentedFormWithoutFilterKeys()
    {
        var json = Write(Graph(), significantOnly: false);

        Assert.Equal(6, json.GetProperty("edges").GetArrayLength());
        Assert.False(json.TryGetProperty("edgeFilter", out _));
        Assert.False(json.TryGetProperty("edgesTested", out _));
    }
}
