using CausalStream.Cli.Configuration;
using CausalStream.Cli.Sinks;
using CausalStream.Core.Pipeline;
using CausalStream.Core.Simulation;
using CausalStream.Core.Windows;

namespace CausalStream.Cli.Hosting;

/// <summary>Turns a validated configuration into a runnable pipeline: its sources, ingest stages and sinks.</summary>
public static class PipelineFactory
{
    public static StreamPipeline Build(CausalStreamConfig config, TextWriter console, IPipelineEventSink? events, double? durationSeconds = null)
    {
        var simulatorOptions = config.Source.Simulator ?? throw new InvalidOperationException("configuration has no source");
        var simulator = new VarSimulator(simulatorOptions);
        var sources = new List<ISampleSource> { simulator };

        var spec = new WindowSpec(config.Window.Length, config.Window.Hop, config.Window.Unit);
        var stages = new List<IIngestStage> { new WindowStage(spec, simulator.Streams) };

        var sinks = new List<SinkBinding>();
        if (config.Sinks.Console.Enabled)
        {
            sinks.Add(new SinkBinding(new ConsoleSink(console), config.Sinks.Console.Capacity, config.Sinks.Console.Policy));
        }

        var options = new PipelineOptions(config.Pipeline.IngestCapacity, config.Pipeline.IngestPolicy, config.Pipeline.StatusIntervalSeconds);
        _ = durationSeconds;
        return new StreamPipeline(sources, stages, sinks, options, events);
    }
}
