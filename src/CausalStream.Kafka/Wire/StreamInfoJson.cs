using System.Globalization;
using System.Text.Json;
using CausalStream.Core.Streams;

namespace CausalStream.Kafka.Wire;

/// <summary>
/// StreamInfo as the JSON value of a record on the compacted <c>&lt;topic&gt;.streams</c> topic (key = stream id), so a
/// consumer learns every stream's channel count, rate, format and labels before it decodes chunks
/// (docs/formats.md). A later record with the same key replaces the earlier one; compaction keeps the newest.
/// </summary>
public static class StreamInfoJson
{
    public static byte[] Write(StreamInfo stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "stream");
            writer.WriteNumber("codecVersion", ChunkCodec.Version);
            writer.WriteString("name", stream.Name);
            writer.WriteString("contentType", stream.Type);
            writer.WriteString("sourceId", stream.SourceId);
            writer.WriteNumber("channelCount", stream.ChannelCount);
            writer.WriteNumber("nominalRate", stream.NominalRate);
            writer.WriteString("format", ChannelFormatNames.Name(stream.Format));
            writer.WriteStartArray("channelLabels");
            foreach (string label in stream.ChannelLabels)
            {
                writer.WriteStringValue(label);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("channelUnits");
            foreach (string unit in stream.ChannelUnits)
            {
                writer.WriteStringValue(unit);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Parses a metadata record.</summary>
    /// <exception cref="FormatException">Not a stream record; the message names the field.</exception>
    public static StreamInfo Read(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            string name = Required(root, "name").GetString() ?? throw new FormatException("field 'name' is null");
            string type = root.TryGetProperty("contentType", out var t) ? t.GetString() ?? string.Empty : string.Empty;
            string sourceId = root.TryGetProperty("sourceId", out var s) ? s.GetString() ?? string.Empty : string.Empty;
            int channels = Required(root, "channelCount").GetInt32();
            double rate = Required(root, "nominalRate").GetDouble();
            string formatName = Required(root, "format").GetString() ?? string.Empty;
            if (!ChannelFormatNames.TryParse(formatName, out var format))
            {
                throw new FormatException($"field 'format': '{formatName}' is not a channel format");
            }

            var labels = Strings(root, "channelLabels");
            var units = Strings(root, "channelUnits");
            return new StreamInfo(name, type, sourceId, channels, rate, format, labels, units);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            throw new FormatException("stream metadata record: " + ex.Message, ex);
        }
    }

    private static JsonElement Required(JsonElement root, string name)
        => root.TryGetProperty(name, out var value) ? value : throw new FormatException($"field '{name}' is missing");

    private static string[]? Strings(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var values = new string[array.GetArrayLength()];
        int i = 0;
        foreach (var item in array.EnumerateArray())
        {
            values[i++] = item.GetString() ?? string.Empty;
        }

        return values;
    }

    internal static string Describe(StreamInfo stream) => string.Create(CultureInfo.InvariantCulture, $"'{stream.Name}' ({stream.ChannelCount} ch {ChannelFormatNames.Name(stream.Format)} @ {stream.NominalRate} Hz)");
}
