using System.Text.Json;
using CausalStream.Core.Pipeline;
using CausalStream.Core.Streams;

namespace CausalStream.Core.Sinks;

/// <summary>
/// Writes results to a JSON Lines file (one object per line, see docs/formats.md), flushing after every line
/// so a crash loses at most the line being written. Which result types are written is configurable.
/// </summary>
public sealed class JsonLinesSink : IResultSink, IDisposable
{
    private readonly Stream _stream;
    private readonly Utf8JsonWriter _writer;
    private readonly Func<PipelineResult, bool> _include;
    private readonly bool _ownsStream;
    private static readonly byte[] NewLine = [(byte)'\n'];

    /// <param name="path">File to create (overwritten); its folder is created when missing.</param>
    /// <param name="include">Which results to write; default: causal graphs only.</param>
    public JsonLinesSink(string path, Func<PipelineResult, bool>? include = null)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        FilePath = path;
        _stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        _writer = new Utf8JsonWriter(_stream);
        _include = include ?? (r => r is CausalGraph);
        _ownsStream = true;
    }

    /// <summary>Writes to an open stream (e.g. standard output), which is flushed but not closed.</summary>
    public JsonLinesSink(Stream output, string name, Func<PipelineResult, bool>? include = null)
    {
        FilePath = name;
        _stream = output;
        _writer = new Utf8JsonWriter(_stream);
        _include = include ?? (r => r is CausalGraph);
    }

    public string Name => "jsonl";

    /// <summary>The file being written (or the name given to an open stream).</summary>
    public string FilePath { get; }

    public long LinesWritten { get; private set; }

    public async ValueTask ConsumeAsync(PipelineResult result, CancellationToken cancellationToken)
    {
        if (!_include(result) || !ResultJson.TryWrite(_writer, result))
        {
            return;
        }

        await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        _writer.Reset();
        await _stream.WriteAsync(NewLine, cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        LinesWritten++;
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        Dispose();
    }

    public void Dispose()
    {
        _writer.Dispose();
        if (_ownsStream)
        {
            _stream.Dispose();
        }
    }
}
