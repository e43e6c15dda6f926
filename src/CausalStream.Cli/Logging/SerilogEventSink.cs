using CausalStream.Core.Pipeline;
using Serilog;

namespace CausalStream.Cli.Logging;

/// <summary>Writes pipeline events (bad input, drops, sink failures) to the Serilog logger.</summary>
public sealed class SerilogEventSink : IPipelineEventSink
{
    private readonly ILogger _logger;

    public SerilogEventSink(ILogger logger)
    {
        _logger = logger;
    }

    public void Emit(PipelineEvent pipelineEvent)
    {
        if (pipelineEvent.IsWarning)
        {
            _logger.Warning("[{Kind}] {Stream}: {Message}", pipelineEvent.Kind, pipelineEvent.Stream, pipelineEvent.Message);
        }
        else
        {
            _logger.Information("[{Kind}] {Stream}: {Message}", pipelineEvent.Kind, pipelineEvent.Stream, pipelineEvent.Message);
        }
    }
}
