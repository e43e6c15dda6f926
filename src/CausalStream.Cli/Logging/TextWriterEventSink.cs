using CausalStream.Core.Pipeline;

namespace CausalStream.Cli.Logging;

/// <summary>Writes pipeline events as plain lines (batch commands print their warnings to standard error).</summary>
public sealed class TextWriterEventSink : IPipelineEventSink
{
    private readonly TextWriter _writer;

    public TextWriterEventSink(TextWriter writer)
    {
        _writer = writer;
    }

    public void Emit(PipelineEvent pipelineEvent)
    {
        lock (_writer)
        {
            _writer.WriteLine((pipelineEvent.IsWarning ? "warning: " : "info: ") + pipelineEvent.Message);
        }
    }
}
