using System.Text;
using System.Text.Json;

namespace CausalStream.Dashboard.Tests.Support;

/// <summary>Reads Server-Sent Events from a response stream and parses each data line as JSON.</summary>
internal sealed class SseReader : IDisposable
{
    private readonly StreamReader _reader;

    public SseReader(Stream stream)
    {
        _reader = new StreamReader(stream, Encoding.UTF8);
    }

    /// <summary>The next event's JSON, or null at the end of the stream.</summary>
    public async Task<JsonElement?> NextAsync(CancellationToken cancellationToken)
    {
        var data = new StringBuilder();
        while (true)
        {
            string? line = await _reader.ReadLineAsync(cancellationToken);
            if (line is null)
            {
                return null;
            }

            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    using var document = JsonDocument.Parse(data.ToString());
                    return document.RootElement.Clone();
                }

                continue;
            }

            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Append(line, 6, line.Length - 6);
            }
        }
    }

    /// <summary>Reads until an event of <paramref name="type"/> arrives (others are skipped).</summary>
    public async Task<JsonElement> NextOfTypeAsync(string type, CancellationToken cancellationToken)
    {
        while (true)
        {
            var next = await NextAsync(cancellationToken) ?? throw new EndOfStreamException($"feed ended before a '{type}' event");
            if (next.GetProperty("type").GetString() == type)
            {
                return next;
            }
        }
    }

    public void Dispose() => _reader.Dispose();
}
