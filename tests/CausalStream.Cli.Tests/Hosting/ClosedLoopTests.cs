using System.Text.Json;
using CausalStream.Cli.Configuration;
using CausalStream.Cli.Hosting;

namespace CausalStream.Cli.Tests.Hosting;

public sealed class ClosedLoopTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("causalstream-loop-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task PulsesGoBackIntoTheSimulatorAndEveryDecisionIsAudited()
    {
        string audit = Path.Combine(_folder, "audit.jsonl");
        string json = $$"""
            {
              "logging": { "file": null },
              "pipeline": { "ingestPolicy": "wait", "statusIntervalSeconds": 0 },
              "source": { "simulator": { "channels": 4, "sampleRate": 500, "maxLag": 2, "seed": 3, "paced": true, "chunkSize": 10, "maxSamples": 1500 } },
              "window": { "length": 1, "hop": 0.5 },
              "engine": { "granger": { "maxLag": 2 } },
              "stimulation": {
                "safety": { "armed": true, "maxPulsesPerSecond": 3, "maxPulsesPerMinute": 100, "refractorySeconds": 0.1, "staleDataSeconds": 5 },
                "featureRules": [ { "name": "always", "channel": 1, "feature": "value", "threshold": -1e300, "trigger": "level", "stimulateChannel": 2, "amplitude": 2, "durationSeconds": 0.004 } ],
                "audit": "{{audit.Replace("\\", "\\\\", StringComparison.Ordinal)}}",
                "outputs": { "simulator": true }
              },
              "sinks": { "console": { "enabled": false } }
            }
            """;
        var config = ConfigLoader.Parse(json, "loop.json");
        var resources = new List<IAsyncDisposable>();
        var pipeline = PipelineFactory.Build(config, TextWriter.Null, null, resources);
        await pipeline.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(1));
        foreach (var resource in resources)
        {
            await resource.DisposeAsync();
        }

        var lines = File.ReadAllLines(audit).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var decisions = lines.Where(l => l.GetProperty("type").GetString() == "decision").ToList();
        int fired = decisions.Count(d => d.GetProperty("outcome").GetString() == "fired");
        Assert.Equal(150, decisions.Count); // one request per 10-sample chunk
        Assert.InRange(fired, 2, 10); // 3 s of data at most 3 per second
        Assert.All(decisions.Where(d => d.GetProperty("outcome").GetString() == "suppressed"), d => Assert.Contains(d.GetProperty("interlock").GetString(), new[] { "refractory", "rate_per_second" }));
        long markers = pipeline.Health["sim-markers"].Markers;
        Assert.True(markers >= fired - 1 && markers <= fired, $"{fired} pulses fired but the simulator marked {markers}");
        Assert.Equal("state", lines[0].GetProperty("type").GetString());
    }
}
