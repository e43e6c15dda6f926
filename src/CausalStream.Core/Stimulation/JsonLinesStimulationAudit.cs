using System.Text.Json;
using System.Threading.Channels;

namespace CausalStream.Core.Stimulation;

/// <summary>
/// The audit log: every decision and arm/disarm change as one JSON line (schema in docs/stimulation.md),
/// written by a background task so the trigger path only enqueues. Each line is flushed as written.
/// </summary>
public sealed class JsonLinesStimulationAudit : IStimulationAudit, IAsyncDisposable
{
    private readonly Channel<object> _queue = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly FileStream _file;
    private readonly Task _writer;
    private long _records;

    public JsonLinesStimulationAudit(string path)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        FilePath = path;
        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        _writer = Task.Run(WriteLoopAsync);
    }

    public string FilePath { get; }

    /// <summary>Lines written so far.</summary>
    public long Records => Interlocked.Read(ref _records);

    public void Record(StimulationDecision decision) => _queue.Writer.TryWrite(decision);

    public void RecordState(bool armed, string reason, DateTime wallClock) => _queue.Writer.TryWrite(new StateChange(armed, reason, wallClock));

    /// <summary>Writes what is queued and closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        await _file.DisposeAsync().ConfigureAwait(false);
    }

    private async Task WriteLoopAsync()
    {
        var buffer = new MemoryStream();
        await foreach (var item in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            buffer.SetLength(0);
            using (var json = new Utf8JsonWriter(buffer))
            {
                if (item is StimulationDecision decision)
                {
                    Sinks.ResultJson.WriteDecision(json, decision);
                }
                else if (item is StateChange state)
                {
                    json.WriteStartObject();
                    json.WriteString("type", "state");
                    json.WriteString("time", state.WallClock);
                    json.WriteBoolean("armed", state.Armed);
                    json.WriteString("reason", state.Reason);
                    json.WriteEndObject();
                }
            }

            buffer.WriteByte((byte)'\n');
            await _file.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length)).ConfigureAwait(false);
            await _file.FlushAsync().ConfigureAwait(false);
            Interlocked.Increment(ref _records);
        }
    }

    private sealed record StateChange(bool Armed, string Reason, DateTime WallClock);
}
