using System.Buffers;
using System.Text.Json;
using CausalStream.Core.Sinks;
using CausalStream.Core.Streams;
using CausalStream.Kafka.Sharding;

namespace CausalStream.Kafka.Tests.Sharding;

/// <summary>Reading graph JSON back; a graph published with significant edges only cannot be merged as a shard.</summary>
public sealed class GraphJsonReaderTests
{
    private static byte[] Json(bool significantOnly)
    {
        var edges = new List<CausalEdge>
        {
            new(0, 1, 0.3, 12, 2, 500, 1e-5, 2e-5, true, [0.4, 0.1], [5, 1]),
            new(1, 0, 0.01, 0.5, 2, 500, 0.6, 0.6, false, [0.01, 0.0], [0.3, 0]),
        };
        var graph = new CausalGraph("eeg", 1, 2, 1000, 998, 0, ["a", "b"], "granger", 2, "fdr_bh", 0.05, false, 3, edges);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            ResultJson.WriteGraph(writer, graph, significantOnly);
        }

        return buffer.WrittenSpan.ToArray();
    }

    [Fact]
    public void AFilteredGraphReadsBackWithItsSignificantEdges()
    {
        var graph = GraphJsonReader.Read(Json(significantOnly: true));
        var edge = Assert.Single(graph.Edges);
        Assert.Equal((0, 1), (edge.Source, edge.Target));
        Assert.Equal(2, GraphJsonReader.Read(Json(significantOnly: false)).Edges.Count);
    }

    [Fact]
    public void TheAggregatorRefusesAFilteredGraphNamingTheField()
    {
        var ex = Assert.Throws<FormatException>(() => GraphJsonReader.Read(Json(significantOnly: true), requireAllEdges: true));
        Assert.Contains("edgeFilter", ex.Message, StringComparison.Ordinal);
        Assert.Contains("sinks.kafka.edges", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, GraphJsonReader.Read(Json(significantOnly: false), requireAllEdges: true).Edges.Count);
    }
}
