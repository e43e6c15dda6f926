using System.Diagnostics;
using CausalStream.Cli.Configuration;
using CausalStream.Cli.Hosting;
using CausalStream.Kafka.Consuming;
using CausalStream.Kafka.Producing;

namespace CausalStream.Kafka.Tests.Cluster;

/// <summary>The CLI's pipeline factory wired to Kafka, and its behaviour when no broker answers.</summary>
[Collection(MockClusterCollection.Name)]
public sealed class HostingTests(MockClusterFixture fixture)
{
    [Fact]
    public async Task AConfiguredKafkaWorkerPublishesGraphsAndCommitsAfterThem()
    {
        string topic = fixture.NewTopic("host", 1);
        var data = TestData.Simulate("sim", 4, 1000, seed: 2);
        await using (var publisher = new KafkaChunkPublisher(new KafkaPublisherOptions { Connection = fixture.Connection, Topic = topic }))
        {
            await data.ReplayAsync(publisher);
        }

        string json = $$"""
            {
              "source": { "kafka": { "bootstrapServers": "{{fixture.Cluster.BootstrapServers}}", "topic": "{{topic}}", "groupId": "g-host", "sessionTimeoutMs": 2000, "startFrom": "earliest" } },
              "window": { "length": {{TestData.Window}}, "hop": {{TestData.Hop}}, "unit": "samples" },
              "engine": { "granger": { "enabled": true, "maxLag": {{TestData.Lag}} } },
              "pipeline": { "statusIntervalSeconds": 0 },
              "sinks": { "console": { "enabled": false }, "kafka": { "topic": "{{topic}}.results" } }
            }
            """;
        var config = ConfigLoader.Parse(json, "host.json");
        var resources = new List<IAsyncDisposable>();
        var pipeline = PipelineFactory.Build(config, TextWriter.Null, null, resources);
        using var stop = new CancellationTokenSource();
        var run = pipeline.RunAsync(stop.Token);
        using var reader = new ResultReader(fixture, topic + ".results", 1);
        var expected = data.WindowEnds();
        var results = await reader.ReadUntilAsync(m => m.Count >= expected.Count, TimeSpan.FromSeconds(40));
        await stop.CancelAsync();
        await run;
        foreach (var resource in resources)
        {
            await resource.DisposeAsync();
        }

        Assert.Equal(expected.Count, results.Count);
        var source = Assert.Single(resources.OfType<KafkaSource>());
        Assert.True(source.Commits > 0);
        Assert.True(source.Tracker.AwaitsResultsOf("sim"));
        Assert.NotNull(results.Values.First()[0].Sequence);
    }

    [Fact]
    public async Task StopAtEndReplaysATopicAndFinishesByItself()
    {
        string topic = fixture.NewTopic("replay", 2);
        var data = TestData.Simulate("rep", 4, 800, seed: 4);
        await using (var publisher = new KafkaChunkPublisher(new KafkaPublisherOptions { Connection = fixture.Connection, Topic = topic }))
        {
            await data.ReplayAsync(publisher);
        }

        string json = $$"""
            {
              "source": { "kafka": { "bootstrapServers": "{{fixture.Cluster.BootstrapServers}}", "topic": "{{topic}}", "groupId": "g-replay", "sessionTimeoutMs": 2000, "stopAtEnd": true } },
              "window": { "length": {{TestData.Window}}, "hop": {{TestData.Hop}}, "unit": "samples" },
              "engine": { "granger": { "enabled": true, "maxLag": {{TestData.Lag}} } },
              "pipeline": { "statusIntervalSeconds": 0 },
              "sinks": { "console": { "enabled": false }, "kafka": { "topic": "{{topic}}.results" } }
            }
            """;
        var resources = new List<IAsyncDisposable>();
        var pipeline = PipelineFactory.Build(ConfigLoader.Parse(json, "replay.json"), TextWriter.Null, null, resources);
        await pipeline.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(40));
        foreach (var resource in resources)
        {
            await resource.DisposeAsync();
        }

        using var reader = new ResultReader(fixture, topic + ".results", 2);
        var results = await reader.ReadUntilAsync(m => m.Count >= data.WindowEnds().Count, TimeSpan.FromSeconds(20));
        Assert.Equal(data.WindowEnds().Count, results.Count);
    }

    [Fact]
    public async Task SimulateKafkaPublishesTheSimulatorIntoATopic()
    {
        string topic = fixture.NewTopic("simulate", 2);
        var output = new StringWriter();
        int code = await CausalStream.Cli.Commands.SimulateCommand.ExecuteAsync(
            ["--kafka", topic, "--bootstrap", fixture.Cluster.BootstrapServers, "--channels", "4", "--rate", "500", "--duration", "1", "--stream", "simk"],
            output,
            TextWriter.Null,
            CancellationToken.None);
        Assert.True(code == 0, output.ToString());
        var streams = StreamMetadataReader.Read(fixture.Connection, topic + ".streams", TimeSpan.FromSeconds(10), null, CancellationToken.None);
        var stream = Assert.Single(streams);
        Assert.Equal("simk", stream.Name);
        Assert.Equal(4, stream.ChannelCount);
        Assert.Contains("published", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("published 0 chunks", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnreachableBrokerGivesAClearErrorAfterBoundedRetries()
    {
        var config = ConfigLoader.Parse("""
            { "source": { "kafka": { "bootstrapServers": "127.0.0.1:1", "topic": "eeg", "connectAttempts": 2, "connectTimeoutSeconds": 1 } },
              "window": { "length": 2, "hop": 0.5 } }
            """, "down.json");
        var log = new StringWriter();
        var clock = Stopwatch.StartNew();
        var ex = Assert.Throws<ConfigException>(() => PipelineFactory.Build(config, log, null, []));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        Assert.Equal("source.kafka.bootstrapServers", ex.Key);
        Assert.Contains("127.0.0.1:1", ex.Reason, StringComparison.Ordinal);
        Assert.Contains("retrying", log.ToString(), StringComparison.Ordinal);
    }
}
