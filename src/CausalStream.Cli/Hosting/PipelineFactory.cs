using CausalStream.Cli.Configuration;
using System.Net;
using CausalStream.Cli.Sinks;
using CausalStream.Cli.Stimulation;
using CausalStream.Core.Stimulation;
using CausalStream.Core.Pipeline;
using CausalStream.Core.Simulation;
using CausalStream.Core.Sinks;
using CausalStream.Core.Streams;
using CausalStream.Core.Windows;
using CausalStream.Dashboard;
using CausalStream.Lsl.Pipeline;
using CausalStream.Engine.Discovery;
using CausalStream.Engine.Effects;
using CausalStream.Engine.Graphs;

namespace CausalStream.Cli.Hosting;

/// <summary>Turns a validated configuration into a runnable pipeline: its sources, ingest stages and sinks.</summary>
public static class PipelineFactory
{
    public static StreamPipeline Build(CausalStreamConfig config, TextWriter console, IPipelineEventSink? events)
        => Build(config, console, events, new List<IAsyncDisposable>());

    /// <summary>Builds the pipeline; resources that must outlive the run (audit log, outputs, watchdog) are added to <paramref name="resources"/> for the caller to dispose after it.</summary>
    public static StreamPipeline Build(CausalStreamConfig config, TextWriter console, IPipelineEventSink? events, List<IAsyncDisposable> resources)
    {
        ISampleSource source;
        VarSimulator? simulator = null;
        CausalStream.Kafka.Consuming.KafkaSource? kafkaSource = null;
        var truth = new List<(int Source, int Target)>();
        if (config.Source.Simulator is { } simulatorOptions)
        {
            simulator = new VarSimulator(simulatorOptions);
            source = simulator;
            foreach (var edge in simulator.Network.Edges)
            {
                if (!truth.Contains((edge.Source, edge.Target)))
                {
                    truth.Add((edge.Source, edge.Target));
                }
            }
        }
        else if (config.Source.Lsl is { } lsl)
        {
            var lslSource = LslSource.Resolve(lsl);
            resources.Add(lslSource);
            source = lslSource;
        }
        else if (config.Source.Kafka is { } kafka)
        {
            kafkaSource = kafka.CreateSource(config.Window, console.WriteLine);
            resources.Add(kafkaSource);
            source = kafkaSource;
        }
        else
        {
            throw new InvalidOperationException("configuration has no source");
        }

        var sources = new List<ISampleSource> { source };
        var sinks = new List<SinkBinding>();
        if (config.Sinks.Console.Enabled)
        {
            sinks.Add(new SinkBinding(new ConsoleSink(console, simulator is null ? null : truth), config.Sinks.Console.Capacity, config.Sinks.Console.Policy));
        }

        if (config.Sinks.Jsonl is { } jsonl)
        {
            Func<PipelineResult, bool> include = jsonl.IncludeStatus ? r => r is CausalGraph or PipelineStatus or EffectEstimate or InterventionPrediction : r => r is CausalGraph or EffectEstimate or InterventionPrediction;
            sinks.Add(new SinkBinding(new JsonLinesSink(jsonl.Path, include), jsonl.Capacity, EdgePolicy.Wait));
        }

        if (config.Sinks.Lsl is { } lslSink)
        {
            var outlet = new LslSink(lslSink);
            resources.Add(outlet);
            sinks.Add(new SinkBinding(outlet, 256, EdgePolicy.DropOldest));
        }

        if (config.Sinks.Kafka is { } kafkaSinkConfig)
        {
            var kafkaSink = kafkaSinkConfig.CreateSink(config.Source.Kafka, kafkaSource?.Tracker, new PipelineEventLog(events));
            resources.Add(kafkaSink);
            sinks.Add(new SinkBinding(kafkaSink, kafkaSinkConfig.Capacity, EdgePolicy.Wait));
        }

        DashboardSink? dashboard = null;
        if (config.Sinks.Dashboard is { Enabled: true } dash)
        {
            var dashboardOptions = new DashboardOptions { Url = dash.Url, Token = dash.Token, CapacityPerClient = dash.CapacityPerClient }.WithEnvironmentToken();
            dashboard = new DashboardSink(dashboardOptions);
            try
            {
                dashboard.StartAsync().GetAwaiter().GetResult();
            }
            catch (IOException ex)
            {
                throw new ConfigException("configuration", "sinks.dashboard.url", ex.Message);
            }

            resources.Add(dashboard);
            sinks.Add(new SinkBinding(dashboard, 256, EdgePolicy.DropOldest));
            console.WriteLine($"dashboard: {dashboard.Address} (controls {(dashboard.ControlsEnabled ? "enabled" : "disabled: no token")})");
        }

        var options = new PipelineOptions(config.Pipeline.IngestCapacity, kafkaSource is null ? config.Pipeline.IngestPolicy : EdgePolicy.Wait, config.Pipeline.StatusIntervalSeconds);
        var spec = new WindowSpec(config.Window.Length, config.Window.Hop, config.Window.Unit);
        var log = new PipelineEventLog(events);
        var stages = new List<IIngestStage> { new WindowStage(spec, source.Streams) };
        if (config.Engine.Granger is { Enabled: true } granger)
        {
            var stream = SelectStream(source.Streams, granger.Stream);
            var grangerOptions = GrangerOptionsFor(granger, spec, stream.NominalRate, skipWhenBusy: config.Pipeline.IngestPolicy == EdgePolicy.DropOldest);
            if (config.Source.Kafka is { } kafkaConfig && kafkaSource is not null)
            {
                grangerOptions = kafkaConfig.ForWorker(grangerOptions, stream, kafkaSource, resultsToKafka: config.Sinks.Kafka is not null);
                foreach (var other in KafkaSourceConfig.OtherStreams(source.Streams, stream, granger.Stream))
                {
                    stages.Add(new GrangerStage(other, kafkaConfig.ForWorker(GrangerOptionsFor(granger, spec, other.NominalRate, skipWhenBusy: false), other, kafkaSource, resultsToKafka: config.Sinks.Kafka is not null), log));
                }
            }

            stages.Add(new GrangerStage(stream, grangerOptions, log));
        }

        if (config.Engine.Pcmci is { Enabled: true } pcmci)
        {
            var stream = DiscoveryStreams.Select(source.Streams, pcmci.Stream, "engine.pcmci.stream");
            stages.Add(new PcmciStage(stream, pcmci.ToStageOptions(spec, stream.NominalRate, skipWhenBusy: config.Pipeline.IngestPolicy == EdgePolicy.DropOldest), log));
        }

        if (config.Engine.PcmciPlus is { Enabled: true } pcmciPlus)
        {
            var stream = DiscoveryStreams.Select(source.Streams, pcmciPlus.Stream, "engine.pcmciPlus.stream");
            stages.Add(new PcmciStage(stream, pcmciPlus.ToStageOptions(spec, stream.NominalRate, skipWhenBusy: config.Pipeline.IngestPolicy == EdgePolicy.DropOldest), log));
        }

        if (config.Engine.TransferEntropy is { Enabled: true } transferEntropy)
        {
            var stream = DiscoveryStreams.Select(source.Streams, transferEntropy.Stream, "engine.transferEntropy.stream");
            stages.Add(new CausalStream.Engine.TransferEntropy.TransferEntropyStage(stream, transferEntropy.ToStageOptions(stream, spec, stream.NominalRate, skipWhenBusy: config.Pipeline.IngestPolicy == EdgePolicy.DropOldest), log));
        }

        EffectStage? effects = null;
        if (config.Engine.Effects is { Enabled: true } effectsConfig)
        {
            effects = effectsConfig.CreateStage(SelectStream(source.Streams, effectsConfig.Stream), simulator, config.Stimulation);
            stages.Add(effects);
            if (effectsConfig.EdgeCovariates.Count > 0)
            {
                sinks.Add(new SinkBinding(new EffectGraphFeed(effects), 16, EdgePolicy.DropOldest));
            }

            if (config.Sinks.Console.Enabled)
            {
                sinks.Add(new SinkBinding(new EffectSummarySink(console, effectsConfig.ConsoleEvery), 64, EdgePolicy.DropOldest));
            }
        }

        if (config.Stimulation is { Enabled: true } stimulation)
        {
            var controller = AddStimulation(stimulation, source, simulator, stages, sinks, resources, effects);
            if (dashboard is not null)
            {
                dashboard.Control = controller;
                foreach (var stage in stages)
                {
                    if (stage is FeatureTriggerStage triggers)
                    {
                        dashboard.Thresholds = triggers;
                    }
                }
            }
        }

        return new StreamPipeline(sources, stages, sinks, options, log);
    }

    /// <summary>Stage settings from the configuration, with the window converted to samples at the stream's rate.</summary>
    public static GrangerStageOptions GrangerOptionsFor(GrangerConfig granger, WindowSpec window, double rate, bool skipWhenBusy) => new()
    {
        WindowSamples = window.LengthInSamples(rate),
        HopSamples = window.HopInSamples(rate),
        MaxLag = granger.MaxLag.Lags,
        MaxLagLimit = granger.MaxLagLimit,
        Criterion = granger.Criterion,
        ForgettingFactor = granger.ForgettingFactor,
        SkipWhenBusy = skipWhenBusy,
        Test = new GrangerOptions { Alpha = granger.Alpha, Correction = granger.Correction, Denominator = granger.FTest },
    };

    private static StimulationController AddStimulation(StimulationConfig config, ISampleSource source, VarSimulator? simulator, List<IIngestStage> stages, List<SinkBinding> sinks, List<IAsyncDisposable> resources, EffectStage? effects = null)
    {
        var outputs = new List<IStimulationReceiver>();
        if (config.Outputs.Simulator && simulator is not null)
        {
            outputs.Add(simulator);
        }

        if (config.Outputs.Udp is { } udp)
        {
            var address = Dns.GetHostAddresses(udp.Host);
            if (address.Length == 0)
            {
                throw new ConfigException("configuration", "stimulation.outputs.udp.host", $"'{udp.Host}' does not resolve");
            }

            var output = new UdpStimulationOutput(new IPEndPoint(address[0], udp.Port));
            outputs.Add(output);
            resources.Add(new DisposeAdapter(output));
        }

        if (config.Outputs.Lsl is { } lslOutput)
        {
            var output = new LslStimulationOutput(lslOutput);
            outputs.Add(output);
            resources.Add(output);
        }

        var file = new JsonLinesStimulationAudit(config.Audit);
        resources.Add(file);
        var log = new DecisionPublishingStage();
        var controller = new StimulationController(config.Safety, outputs, effects is null ? new CompositeStimulationAudit(file, log) : new CompositeStimulationAudit(file, log, effects), config.Seed);
        resources.Insert(0, new StimulationWatchdog(controller));
        stages.Insert(0, new FeatureTriggerStage(SelectStream(source.Streams, null), config.FeatureRules, controller));
        stages.Add(log);
        if (config.EffectRules.Count > 0)
        {
            sinks.Add(new SinkBinding(new EffectRuleSink(config.EffectRules, controller), 16, EdgePolicy.DropOldest));
        }

        if (config.EdgeRules.Count > 0)
        {
            sinks.Add(new SinkBinding(new GraphRuleSink(config.EdgeRules, controller), 16, EdgePolicy.DropOldest));
        }

        file.RecordState(controller.IsArmed, controller.IsArmed ? "armed by configuration at start-up" : "disarmed at start-up", DateTime.UtcNow);
        return controller;
    }

    private sealed class DisposeAdapter(IDisposable inner) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            inner.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private static StreamInfo SelectStream(IReadOnlyList<StreamInfo> streams, string? name)
    {
        foreach (var stream in streams)
        {
            if (name is null ? stream.NominalRate > 0 : stream.Name == name)
            {
                return stream;
            }
        }

        throw new ConfigException("configuration", "engine.granger.stream", name is null ? "the source has no regular stream to analyse" : $"no stream named '{name}'");
    }
}
