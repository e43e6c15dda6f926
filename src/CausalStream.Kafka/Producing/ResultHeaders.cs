using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace CausalStream.Kafka.Producing;

/// <summary>
/// Header names of result messages. (stream, window end) identifies a window's result across restarts and workers;
/// a consumer keeps the first message per identity and drops the rest (at-least-once delivery may repeat a window).
/// </summary>
public static class ResultHeaders
{
    /// <summary>Result type as in the JSON ("graph", "decision", "status").</summary>
    public const string Type = "cs-type";

    /// <summary>Analysed stream id (also the message key).</summary>
    public const string Stream = "cs-stream";

    /// <summary>Source time of the window's first sample, invariant round-trip text.</summary>
    public const string WindowStart = "cs-window-start";

    /// <summary>Source time of the window's last sample, invariant round-trip text.</summary>
    public const string WindowEnd = "cs-window-end";

    /// <summary>Wire sequence of the chunk holding the window's last sample, when the worker knows it.</summary>
    public const string Sequence = "cs-sequence";

    /// <summary>"index/count" of the shard that computed a partial graph (sharded mode).</summary>
    public const string Shard = "cs-shard";

    /// <summary>The identity string "stream|windowEnd" a consumer de-duplicates on.</summary>
    public const string Identity = "cs-id";

    public static string FormatTime(double seconds) => seconds.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The text of header <paramref name="name"/>, or null.</summary>
    public static string? Get(Headers? headers, string name)
    {
        if (headers is null)
        {
            return null;
        }

        return headers.TryGetLastBytes(name, out byte[] value) ? Encoding.UTF8.GetString(value) : null;
    }
}
