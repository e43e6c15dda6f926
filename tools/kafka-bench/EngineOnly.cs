using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using CausalStream.Core.Pipeline;
using CausalStream.Core.Sinks;
using CausalStream.Core.Streams;
using CausalStream.Engine.Graphs;

namespace CausalStream.KafkaBench;

/// <summary>
/// A worker's analysis without Kafka: the same streams through the Granger stage, every graph encoded as result JSON
/// (all edges or the significant ones, as <c>sinks.kafka.edges</c>),
/// solves on the thread pool as in a worker. Two copies pinned to two cores against one give the machine's own scaling ceiling for the
/// work a Kafka worker does.
/// </summary>
internal static class EngineOnly
{
    public static async Task<(long Graphs, double Seconds, long JsonBytes, long SignificantEdges)> RunAsync(int streams, double seconds, int maxLag, bool significantOnly)
    {
        int chunks = (int)(seconds * 100);
        var data = new BenchStreams(streams, 64, 1000, 10, chunks, seed: 5);
        var encoder = new JsonEncodingPublisher(significantOnly);
        var stages = new GrangerStage[streams];
        for (int s = 0; s < streams; s++)
        {
            stages[s] = new GrangerStage(data.Streams[s], new GrangerStageOptions { WindowSamples = 1000, HopSamples = 100, MaxLag = maxLag, SkipWhenBusy = false });
        }

        var clock = Stopwatch.StartNew();
        for (int k = 0; k < chunks; k++)
        {
            for (int s = 0; s < streams; s++)
            {
                using var chunk = data.Chunk(s, k);
                await stages[s].OnChunkAsync(chunk, encoder, CancellationToken.None);
            }
        }

        foreach (var stage in stages)
        {
            await stage.CompleteAsync(encoder, CancellationToken.None);
        }

        return (encoder.Graphs, clock.Elapsed.TotalSeconds, encoder.Bytes, encoder.SignificantEdges);
    }

    private sealed class JsonEncodingPublisher : IResultPublisher
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(1 << 20);
        private readonly Utf8JsonWriter _writer;
        private readonly bool _significantOnly;

        public JsonEncodingPublisher(bool significantOnly)
        {
            _writer = new Utf8JsonWriter(_buffer);
            _significantOnly = significantOnly;
        }

        public long Graphs { get; private set; }

        public long Bytes { get; private set; }

        public long SignificantEdges { get; private set; }

        public ValueTask PublishAsync(PipelineResult result, CancellationToken cancellationToken)
        {
            lock (_buffer)
            {
                _buffer.Clear();
                _writer.Reset(_buffer);
                if (result is CausalGraph graph)
                {
                    ResultJson.WriteGraph(_writer, graph, _significantOnly);
                    _writer.Flush();
                    Graphs++;
                    Bytes += _buffer.WrittenCount;
                    foreach (var edge in graph.Edges)
                    {
                        SignificantEdges += edge.Significant ? 1 : 0;
                    }
                }
            }

            return ValueTask.CompletedTask;
        }
    }
}
