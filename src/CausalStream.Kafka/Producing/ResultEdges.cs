namespace CausalStream.Kafka.Producing;

/// <summary>The edges a graph result message carries (<c>sinks.kafka.edges</c>).</summary>
public enum ResultEdges
{
    /// <summary>Every tested pair, significant or not: what the shard aggregator and offline re-analysis need.</summary>
    All,

    /// <summary>Only significant edges, with <c>edgeFilter</c> and <c>edgesTested</c> in the message.</summary>
    Significant,
}
