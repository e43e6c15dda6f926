using CausalStream.Cli.Commands;
using CausalStream.Core.Streams;
using CausalStream.Kafka.Consuming;
using CausalStream.Lsl.Configuration;
using CausalStream.Lsl.Outlet;

namespace CausalStream.Kafka.Tests.Cluster;

/// <summary><c>causalstream lsl bridge</c>: a real LSL outlet on loopback published into a topic of the mock cluster.</summary>
[Collection(MockClusterCollection.Name)]
public sealed class LslBridgeTests(MockClusterFixture fixture) : IDisposable
{
    private readonly string _config = Path.Combine(Path.GetTempPath(), $"lsl_bridge_{Guid.NewGuid():N}.cfg");

    public void Dispose() => File.Delete(_config);

    [Fact]
    public async Task AnLslStreamIsPublishedWithItsMetadataAndItsSamples()
    {
        File.WriteAllText(_config, """
            ; loopback only: nothing leaves 127.0.0.1
            [ports]
            IPv6 = disable
            [multicast]
            ResolveScope = machine
            ListenAddress = 127.0.0.1
            [lab]
            KnownPeers = {127.0.0.1}
            """);
        string topic = fixture.NewTopic("bridge", 1);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stream = new StreamInfo("bridge-eeg", "EEG", "amp-7", 3, 200, ChannelFormat.Float32, ["Fz", "Cz", "Pz"]);
        await using var outlet = new LslOutlet(stream, new LslOutletOptions { Config = LslApiConfig.Loopback, Hostname = "test" });
        var output = new StringWriter();
        var errors = new StringWriter();
        var bridge = LslCommand.ExecuteAsync(
            ["bridge", "name='bridge-eeg'", "--kafka", topic, "--bootstrap", fixture.Cluster.BootstrapServers, "--duration", "4", "--lsl-config", _config],
            TextWriter.Synchronized(output),
            TextWriter.Synchronized(errors),
            timeout.Token);
        Assert.True(await outlet.WaitForConsumersAsync(TimeSpan.FromSeconds(20), timeout.Token), errors.ToString());
        for (int k = 0; k < 100; k++)
        {
            outlet.PushSample([k, -k, 0.5 * k], 10 + (k / 200.0));
        }

        Assert.Equal(0, await bridge);
        var published = Assert.Single(StreamMetadataReader.Read(fixture.Connection, topic + ".streams", TimeSpan.FromSeconds(10), null, timeout.Token));
        Assert.Equal("bridge-eeg", published.Name);
        Assert.Equal(3, published.ChannelCount);
        Assert.Equal(["Fz", "Cz", "Pz"], published.ChannelLabels);
        Assert.Matches("published [1-9][0-9]* chunks of 'bridge-eeg', 0 failed", output.ToString());
    }

    [Fact]
    public async Task ABridgeWithoutATopicIsAUsageError()
    {
        var error = await Assert.ThrowsAsync<UsageException>(() => LslCommand.ExecuteAsync(["bridge", "name='x'"], TextWriter.Null, TextWriter.Null, CancellationToken.None));
        Assert.Contains("--kafka TOPIC is required", error.Message, StringComparison.Ordinal);
    }
}
