using System.Text;
using CausalStream.Core.Formats;
using CausalStream.Core.Pipeline;
using CausalStream.Core.Streams;
using CausalStream.Engine.Graphs;
using CausalStream.Kafka.Consuming;
using CausalStream.Kafka.Producing;
using CausalStream.Kafka.Sharding;
using CausalStream.Kafka.Wire;
using Confluent.Kafka;

namespace CausalStream.Kafka.Tests.Cluster;

/// <summary>End-to-end runs on the librdkafka mock cluster: publisher → topic → workers → results topic.</summary>
[Collection(MockClusterCollection.Name)]
public sealed class KafkaPipelineTests(MockClusterFixture fixture)
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task ConsumingATopicGivesTheSameGraphsAsTheSameDataFromCsv()
    {
        string topic = fixture.NewTopic("csv-eq", 2);
        var (data, fromCsv) = await PublishWithCsvGraphsAsync(topic);

        var worker = await Worker.StartAsync(fixture, topic, "g-csv", start: KafkaStartPosition.Earliest);
        using var reader = new ResultReader(fixture, topic + ".results", 2);
        var expected = data.WindowEnds();
        var results = await reader.ReadUntilAsync(m => m.Count >= expected.Count, Long);
        await worker.StopAsync();

        Assert.Equal(expected.Count, fromCsv.Count);
        Assert.Equal(expected.Count, results.Count);
        foreach (var graph in fromCsv)
        {
            var received = results["eeg|" + ResultHeaders.FormatTime(graph.WindowEnd)];
            GraphAssert.Equal(graph, received[0].Graph, 1e-12);
        }
    }

    [Fact]
    public async Task WithSignificantEdgesOnlyEachGraphCarriesExactlyTheSignificantEdgesOfTheFullGraph()
    {
        string topic = fixture.NewTopic("sig-edges", 1);
        var (_, fromCsv) = await PublishWithCsvGraphsAsync(topic);

        var worker = await Worker.StartAsync(fixture, topic, "g-sig", start: KafkaStartPosition.Earliest, edges: ResultEdges.Significant);
        using var reader = new ResultReader(fixture, topic + ".results", 1);
        var results = await reader.ReadUntilAsync(m => m.Count >= fromCsv.Count, Long);
        await worker.StopAsync();

        int kept = 0;
        int tested = 0;
        foreach (var full in fromCsv)
        {
            var received = results["eeg|" + ResultHeaders.FormatTime(full.WindowEnd)][0];
            using var json = System.Text.Json.JsonDocument.Parse(received.Json);
            Assert.Equal("significant", json.RootElement.GetProperty("edgeFilter").GetString());
            Assert.Equal(full.Edges.Count, json.RootElement.GetProperty("edgesTested").GetInt32());
            var significant = new List<CausalEdge>();
            foreach (var edge in full.Edges)
            {
                if (edge.Significant)
                {
                    significant.Add(edge);
                }
            }

            GraphAssert.Equal(full with { Edges = significant }, received.Graph, 1e-12);
            kept += significant.Count;
            tested += full.Edges.Count;
        }

        Assert.InRange(kept, 1, tested - 1); // the data has both kinds of edges, so the filter is exercised
    }

    [Fact]
    public async Task AWorkerStoppedMidStreamAndRestartedResumesFromCommittedOffsetsWithoutLosingAWindow()
    {
        string topic = fixture.NewTopic("restart", 1);
        var data = TestData.Simulate("lfp", 4, 2000, seed: 5);
        var expected = data.WindowEnds();
        await using var publisher = Publisher(topic);
        await data.ReplayAsync(publisher, 0, 100);
        publisher.Flush(TimeSpan.FromSeconds(10));
        using var reader = new ResultReader(fixture, topic + ".results", 1);

        var first = await Worker.StartAsync(fixture, topic, "g-restart");
        int firstHalf = expected.FindAll(t => t < data.Chunks[99].Timestamps[^1]).Count;
        await reader.ReadUntilAsync(m => m.Count >= firstHalf, Long);
        await Task.Delay(400); // a periodic commit happens after the results were confirmed
        long committedBefore = first.Source.Commits;
        await first.CrashAsync();
        Assert.True(committedBefore > 0, "the first worker committed offsets while it ran");

        await data.ReplayAsync(publisher, 100);
        publisher.Flush(TimeSpan.FromSeconds(10));
        var second = await Worker.StartAsync(fixture, topic, "g-restart");
        var results = await reader.ReadUntilAsync(m => m.Count >= expected.Count, Long);
        await second.StopAsync();

        foreach (double end in expected)
        {
            Assert.True(results.ContainsKey("lfp|" + ResultHeaders.FormatTime(end)), $"window ending at {end} is missing");
        }

        Assert.Equal(expected.Count, results.Count);
        foreach (var list in results.Values)
        {
            if (list.Count > 1)
            {
                // a duplicate carries the same identity and the same window; its numbers agree to rounding of the running sums
                GraphAssert.Equal(list[0].Graph, list[1].Graph, 1e-6);
            }
        }

        int duplicates = reader.Messages.Count - results.Count;
        Assert.True(duplicates < firstHalf, $"{duplicates} windows were recomputed; the restart should resume near the last commit");
    }

    [Fact]
    public async Task TwoWorkersInOneGroupSplitPartitionsAndPublishEveryWindowOnceAfterDeduplication()
    {
        string topic = fixture.NewTopic("split", 4);
        var streams = new List<TestData>();
        for (int s = 0; s < 4; s++)
        {
            streams.Add(TestData.Simulate("s" + s, 4, 1000, seed: 10 + s));
        }

        await using var publisher = Publisher(topic, partitionOf: info => int.Parse(info.Name[1..], System.Globalization.CultureInfo.InvariantCulture));
        foreach (var data in streams)
        {
            await publisher.OpenAsync(data.Stream);
        }

        var a = await Worker.StartAsync(fixture, topic, "g-split", start: KafkaStartPosition.Earliest);
        await a.WaitForAssignmentAsync(4, Long);
        var b = await Worker.StartAsync(fixture, topic, "g-split", start: KafkaStartPosition.Earliest);
        await b.WaitForAssignmentAsync(1, Long);
        await a.WaitForAssignmentAsync(1, Long);
        Assert.Equal(4, a.Source.Assignment.Count + b.Source.Assignment.Count);

        foreach (var data in streams)
        {
            await data.ReplayAsync(publisher);
        }

        publisher.Flush(TimeSpan.FromSeconds(10));

        int expectedCount = 0;
        foreach (var data in streams)
        {
            expectedCount += data.WindowEnds().Count;
        }

        using var reader = new ResultReader(fixture, topic + ".results", 4);
        var results = await reader.ReadUntilAsync(m => m.Count >= expectedCount, Long);
        await a.StopAsync();
        await b.StopAsync();

        Assert.Equal(expectedCount, results.Count);
        foreach (var data in streams)
        {
            foreach (double end in data.WindowEnds())
            {
                Assert.True(results.ContainsKey(data.Stream.Name + "|" + ResultHeaders.FormatTime(end)));
            }
        }

        Assert.True(a.Sink.Delivered > 0 && b.Sink.Delivered > 0, $"both workers published (a {a.Sink.Delivered}, b {b.Sink.Delivered})");
    }

    [Fact]
    public async Task ABrokerSetDownAndUpIsSurvived()
    {
        string topic = fixture.NewTopic("down", 3);
        var data = TestData.Simulate("ecog", 4, 1600, seed: 7);
        var expected = data.WindowEnds();
        await using var publisher = Publisher(topic);
        await publisher.OpenAsync(data.Stream);
        var worker = await Worker.StartAsync(fixture, topic, "g-down", start: KafkaStartPosition.Earliest);
        await worker.WaitForAssignmentAsync(3, Long);
        using var reader = new ResultReader(fixture, topic + ".results", 3);
        await data.ReplayAsync(publisher, 0, 60);
        await reader.ReadUntilAsync(m => m.Count >= 3, Long);

        for (int broker = 1; broker <= 3; broker++)
        {
            fixture.Cluster.SetBrokerDown(broker);
        }

        await data.ReplayAsync(publisher, 60);
        await Task.Delay(2000);
        for (int broker = 1; broker <= 3; broker++)
        {
            fixture.Cluster.SetBrokerUp(broker);
        }

        publisher.Flush(TimeSpan.FromSeconds(20));
        var results = await reader.ReadUntilAsync(m => m.Count >= expected.Count, Long);
        await worker.StopAsync();
        Assert.Equal(expected.Count, results.Count);
        Assert.Equal(0, publisher.Failed);
    }

    [Fact]
    public async Task ShardedWorkersMergedByTheAggregatorGiveTheSingleWorkerGraph()
    {
        string topic = fixture.NewTopic("shard", 1);
        fixture.Cluster.CreateTopic(topic + ".parts", 1, 1);
        fixture.Cluster.CreateTopic(topic + ".merged", 1, 1);
        var data = TestData.Simulate("meg", 6, 800, seed: 11);
        var expected = data.WindowEnds();
        await PublishAsync(data, topic);

        var single = await Worker.StartAsync(fixture, topic, "g-single");
        var shard0 = await Worker.StartAsync(fixture, topic, "g-shard-0", topic + ".parts", 0, 2);
        var shard1 = await Worker.StartAsync(fixture, topic, "g-shard-1", topic + ".parts", 1, 2);
        // The aggregator runs as the CLI command an operator starts: causalstream aggregate --in … --out … --shards 2.
        using var stopAggregator = new CancellationTokenSource();
        var aggregatorLog = new StringWriter();
        var aggregating = CausalStream.Cli.Commands.AggregateCommand.ExecuteAsync(
            ["--in", topic + ".parts", "--out", topic + ".merged", "--shards", "2", "--bootstrap", fixture.Cluster.BootstrapServers, "--group", "g-agg"],
            TextWriter.Synchronized(aggregatorLog),
            TextWriter.Null,
            stopAggregator.Token);

        using var singleReader = new ResultReader(fixture, topic + ".results", 1);
        using var mergedReader = new ResultReader(fixture, topic + ".merged", 1);
        var full = await singleReader.ReadUntilAsync(m => m.Count >= expected.Count, Long);
        var merged = await mergedReader.ReadUntilAsync(m => m.Count >= expected.Count, Long);
        await stopAggregator.CancelAsync();
        Assert.Equal(0, await aggregating);
        Assert.Contains("merged ", aggregatorLog.ToString(), StringComparison.Ordinal);
        await single.StopAsync();
        await shard0.StopAsync();
        await shard1.StopAsync();

        Assert.Equal(expected.Count, merged.Count);
        foreach (var (identity, list) in full)
        {
            var graph = merged[identity][0].Graph;
            Assert.Equal(30, graph.Edges.Count);
            GraphAssert.Equal(list[0].Graph, graph, 1e-12);
        }
    }

    [Fact]
    public async Task MalformedMessagesGoToTheDeadLetterTopicWithTheirReasonAndTheStreamContinues()
    {
        string topic = fixture.NewTopic("dlq", 1);
        var data = TestData.Simulate("bad", 4, 600, seed: 13);
        var expected = data.WindowEnds();
        await using var publisher = Publisher(topic);
        await data.ReplayAsync(publisher, 0, 20);
        publisher.Flush(TimeSpan.FromSeconds(10));

        var good = Encode(data.Stream, data.Chunks[0].Timestamps, data.Chunks[0].Values, 4);
        var wrongMagic = (byte[])good.Clone();
        wrongMagic[0] = (byte)'X';
        var wrongVersion = (byte[])good.Clone();
        wrongVersion[4] = 9;
        var truncated = good[..(good.Length - 3)];
        var threeChannels = Encode(new StreamInfo("bad", "LFP", "", 3, 100, ChannelFormat.Float32), data.Chunks[0].Timestamps, new double[data.Chunks[0].Timestamps.Length * 3], 3);
        var config = new ProducerConfig();
        fixture.Connection.ApplyTo(config);
        using (var raw = new ProducerBuilder<byte[], byte[]>(config).Build())
        {
            foreach (var value in new[] { wrongMagic, wrongVersion, truncated, threeChannels })
            {
                await raw.ProduceAsync(topic, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes("bad"), Value = value });
            }
        }

        await data.ReplayAsync(publisher, 20);
        publisher.Flush(TimeSpan.FromSeconds(10));
        var worker = await Worker.StartAsync(fixture, topic, "g-dlq");
        using var reader = new ResultReader(fixture, topic + ".results", 1);
        var results = await reader.ReadUntilAsync(m => m.Count >= expected.Count, Long);
        await worker.StopAsync();

        Assert.Equal(expected.Count, results.Count);
        Assert.Equal(4, worker.Source.DeadLettered);
        Assert.Equal(0, worker.Source.SequenceGaps);
        Assert.Equal(4, worker.Pipeline.Events.Count("bad", PipelineEventKind.SourceError));

        var letters = ReadAll(topic + ".dlq", 4);
        Assert.Equal(4, letters.Count);
        Assert.Contains("magic", letters[0].Reason, StringComparison.Ordinal);
        Assert.Contains("version", letters[1].Reason, StringComparison.Ordinal);
        Assert.Contains("length", letters[2].Reason, StringComparison.Ordinal);
        Assert.Contains("channel count", letters[3].Reason, StringComparison.Ordinal);
        Assert.Equal(truncated, letters[2].Value);
        Assert.Equal(topic, letters[0].Origin);
    }

    [Fact]
    public async Task ASequenceGapIsDetectedAndReportedAndTheStreamContinues()
    {
        string topic = fixture.NewTopic("gap", 1);
        var data = TestData.Simulate("gappy", 4, 600, seed: 17);
        var config = new ProducerConfig();
        fixture.Connection.ApplyTo(config);
        var key = Encoding.UTF8.GetBytes("gappy");
        using (var raw = new ProducerBuilder<byte[], byte[]>(config).Build())
        {
            await raw.ProduceAsync(topic + ".streams", new Message<byte[], byte[]> { Key = key, Value = StreamInfoJson.Write(data.Stream) });
            long first = 0;
            for (int i = 0; i < data.Chunks.Count; i++)
            {
                var (t, v) = data.Chunks[i];
                long sequence = i < 30 ? i + 1 : i + 4; // chunks 31..33 never published: a gap of 3
                var value = EncodeAt(data.Stream, t, v, sequence, first);
                first += t.Length;
                await raw.ProduceAsync(topic, new Message<byte[], byte[]> { Key = key, Value = value });
            }
        }

        var worker = await Worker.StartAsync(fixture, topic, "g-gap");
        using var reader = new ResultReader(fixture, topic + ".results", 1);
        var results = await reader.ReadUntilAsync(m => m.Count >= data.WindowEnds().Count, Long);
        await worker.StopAsync();

        Assert.Equal(1, worker.Source.SequenceGaps);
        Assert.Equal(1, worker.Pipeline.Events.Count("gappy", PipelineEventKind.SourceError));
        Assert.Equal(data.WindowEnds().Count, results.Count);
    }

    private static byte[] EncodeAt(StreamInfo stream, double[] timestamps, double[] values, long sequence, long first)
    {
        using var chunk = SampleChunk.Rent(stream, timestamps.Length);
        timestamps.CopyTo(chunk.Timestamps);
        values.CopyTo(chunk.Values);
        var id = Encoding.UTF8.GetBytes(stream.Name);
        var buffer = new byte[ChunkCodec.MaxEncodedLength(id.Length, stream.ChannelCount, timestamps.Length, ChannelFormat.Double64)];
        return buffer[..ChunkCodec.Encode(chunk, id, sequence, first, ChannelFormat.Double64, buffer)];
    }

    private KafkaChunkPublisher Publisher(string topic, Func<StreamInfo, int?>? partitionOf = null)
        => new(new KafkaPublisherOptions { Connection = fixture.Connection, Topic = topic, Format = ChannelFormat.Double64, PartitionOf = partitionOf });

    /// <summary>Publishes a simulated 4-channel stream "eeg" to <paramref name="topic"/> and returns the graphs of the same data read from a CSV file.</summary>
    private async Task<(TestData Data, List<CausalGraph> FromCsv)> PublishWithCsvGraphsAsync(string topic)
    {
        var data = TestData.Simulate("eeg", 4, 1200, seed: 3);
        await PublishAsync(data, topic);
        string csv = data.WriteCsv(Path.Combine(Path.GetTempPath(), $"kafka-csv-{Guid.NewGuid():N}.csv"));
        var fromCsv = await RunCsvAsync(csv, "eeg");
        File.Delete(csv);
        return (data, fromCsv);
    }

    private async Task PublishAsync(TestData data, string topic)
    {
        await using var publisher = Publisher(topic);
        await data.ReplayAsync(publisher);
        Assert.Equal(0, publisher.Flush(TimeSpan.FromSeconds(10)));
    }

    private static byte[] Encode(StreamInfo stream, double[] timestamps, double[] values, int channels)
    {
        using var chunk = SampleChunk.Rent(stream, timestamps.Length, channels);
        timestamps.CopyTo(chunk.Timestamps);
        values.CopyTo(chunk.Values);
        var id = Encoding.UTF8.GetBytes(stream.Name);
        var buffer = new byte[ChunkCodec.MaxEncodedLength(id.Length, channels, timestamps.Length, ChannelFormat.Double64)];
        int n = ChunkCodec.Encode(chunk, id, 9999, 0, ChannelFormat.Double64, buffer);
        return buffer[..n];
    }

    private static async Task<List<CausalGraph>> RunCsvAsync(string path, string name)
    {
        var samples = CsvSampleReader.Read(path);
        var source = new CsvReplaySource(samples, name, 10);
        var collected = new CollectingSink();
        var stage = new GrangerStage(source.Stream, new GrangerStageOptions { WindowSamples = TestData.Window, HopSamples = TestData.Hop, MaxLag = TestData.Lag, SkipWhenBusy = false });
        var pipeline = new StreamPipeline([source], [stage], [new SinkBinding(collected, 64, EdgePolicy.Wait)], new PipelineOptions(64, EdgePolicy.Wait, 0));
        await pipeline.RunAsync(CancellationToken.None);
        return collected.Graphs;
    }

    private List<(string Reason, string Origin, byte[] Value)> ReadAll(string topic, int count)
    {
        var config = new ConsumerConfig { GroupId = "dlq-reader", EnableAutoCommit = false, FetchWaitMaxMs = 10 };
        fixture.Connection.ApplyTo(config);
        using var consumer = new ConsumerBuilder<byte[], byte[]>(config).Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        var letters = new List<(string, string, byte[])>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (letters.Count < count && DateTime.UtcNow < deadline)
        {
            var record = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (record is not null)
            {
                letters.Add((ResultHeaders.Get(record.Message.Headers, "cs-dlq-reason") ?? string.Empty, ResultHeaders.Get(record.Message.Headers, "cs-dlq-topic") ?? string.Empty, record.Message.Value));
            }
        }

        consumer.Close();
        return letters;
    }

    private sealed class CollectingSink : IResultSink
    {
        public List<CausalGraph> Graphs { get; } = [];

        public string Name => "collect";

        public ValueTask ConsumeAsync(PipelineResult result, CancellationToken cancellationToken)
        {
            if (result is CausalGraph graph)
            {
                Graphs.Add(graph);
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
