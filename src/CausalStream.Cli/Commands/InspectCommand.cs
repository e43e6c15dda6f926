using System.Globalization;
using System.Text;
using System.Text.Json;
using CausalStream.Core.Formats;
using CausalStream.Core.Replay;
using CausalStream.Core.Streams;

namespace CausalStream.Cli.Commands;

/// <summary>
/// <c>causalstream inspect FILE</c>: reads a recording through once and prints what it holds: per stream the name,
/// type, channels and labels, nominal and effective rate, sample count, first and last timestamp and format, then
/// the markers and annotations (onset, duration, text). <c>--json</c> prints the same as one JSON object.
/// </summary>
public static class InspectCommand
{
    public const string Help = """
        causalstream inspect FILE [--json] [--no-clock-sync] [--max-markers N]

        Prints what a recording (XDF, EDF/EDF+, BDF/BDF+ or CSV) holds: each stream's name, type, channel
        count and labels, nominal and effective rate, sample count, first/last timestamp and format, and
        the markers and annotations (onset, duration, text).
          --json              print one JSON object instead of text
          --no-clock-sync     XDF: show raw timestamps (default: clock offsets applied as pyxdf does)
          --max-markers N     list at most N markers (default 1000; the count is always given)

        Exit code 0, or 1 when the file is damaged (what precedes the damage is still listed).
        """;

    public static async Task<int> ExecuteAsync(string[] args, TextWriter output, TextWriter errors)
    {
        var reader = new ArgumentReader("inspect", args, ["--max-markers"], ["--json", "--no-clock-sync"]);
        if (reader.Positionals.Count != 1)
        {
            throw new UsageException(reader.Positionals.Count == 0 ? "inspect: which file? (causalstream inspect FILE)" : $"inspect: unexpected argument '{reader.Positionals[1]}'");
        }

        int maxMarkers = 1000;
        if (reader.String("--max-markers") is { } text && (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out maxMarkers) || maxMarkers < 0))
        {
            throw new UsageException($"inspect: --max-markers needs a whole number >= 0, got '{text}'");
        }

        IRecording recording;
        try
        {
            recording = RecordingFile.Open(reader.Positionals[0], new XdfReaderOptions { SynchronizeClocks = !reader.Flag("--no-clock-sync") });
        }
        catch (DataFormatException ex)
        {
            await errors.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
            return Program.ExitFailure;
        }

        using (recording)
        {
            var summary = Summarize(recording, maxMarkers);
            if (reader.Flag("--json"))
            {
                await output.WriteLineAsync(ToJson(recording, summary)).ConfigureAwait(false);
            }
            else
            {
                await output.WriteAsync(ToText(recording, summary)).ConfigureAwait(false);
            }

            if (summary.Damage is not null)
            {
                await errors.WriteLineAsync("error: " + summary.Damage).ConfigureAwait(false);
                return Program.ExitFailure;
            }

            return Program.ExitOk;
        }
    }

    private sealed class StreamStats(StreamInfo info)
    {
        public StreamInfo Info { get; } = info;

        public long Samples { get; set; }

        public double First { get; set; } = double.NaN;

        public double Last { get; set; } = double.NaN;

        public double EffectiveRate => Samples > 1 && Last > First ? (Samples - 1) / (Last - First) : 0;
    }

    private sealed record Marker(string Stream, double Onset, double Duration, string Text);

    private sealed record Summary(List<StreamStats> Streams, List<Marker> Markers, long MarkerCount, List<string> Problems, string? Damage);

    private static Summary Summarize(IRecording recording, int maxMarkers)
    {
        var stats = recording.Streams.Select(s => new StreamStats(s)).ToList();
        var byName = stats.ToDictionary(s => s.Info.Name, StringComparer.Ordinal);
        var markers = new List<Marker>();
        var problems = new List<string>(recording.Problems);
        long markerCount = 0;
        string? damage = null;
        bool edfAnnotations = recording is EdfRecording;
        try
        {
            foreach (var item in recording.Read(double.NegativeInfinity, double.PositiveInfinity, (_, message) => problems.Add(message)))
            {
                var s = byName[item.Stream];
                if (item.Chunk is { } chunk)
                {
                    using (chunk)
                    {
                        if (double.IsNaN(s.First))
                        {
                            s.First = chunk.Timestamps[0];
                        }

                        s.Last = chunk.Timestamps[^1];
                        s.Samples += chunk.SampleCount;
                    }

                    continue;
                }

                var marker = item.Marker!;
                if (double.IsNaN(s.First))
                {
                    s.First = marker.Timestamp;
                }

                s.Last = marker.Timestamp;
                s.Samples++;
                if (edfAnnotations && s.Info.Type == "Annotations")
                {
                    continue;
                }

                markerCount++;
                if (markers.Count < maxMarkers)
                {
                    markers.Add(new Marker(marker.Stream, marker.Timestamp, double.NaN, marker.Payload));
                }
            }
        }
        catch (DataFormatException ex)
        {
            damage = ex.Message;
        }

        if (recording is EdfRecording edf)
        {
            // Annotations with their durations, read from the TALs.
            string stream = edf.Streams.FirstOrDefault(s => s.Type == "Annotations")?.Name ?? string.Empty;
            try
            {
                foreach (var record in edf.Reader.ReadRecords())
                {
                    foreach (var annotation in record.Annotations)
                    {
                        markerCount++;
                        if (markers.Count < maxMarkers)
                        {
                            markers.Add(new Marker(stream, annotation.Onset, annotation.Duration, annotation.Text));
                        }
                    }
                }
            }
            catch (DataFormatException)
            {
            }

            markers.Sort((a, b) => a.Onset.CompareTo(b.Onset));
        }

        return new Summary(stats, markers, markerCount, problems, damage);
    }

    private static string FormatOf(IRecording recording, StreamInfo info)
    {
        return recording switch
        {
            EdfRecording edf when info.IsIrregular => "text",
            EdfRecording edf => (edf.Reader.IsBdf ? "int24" : "int16") + " (scaled to physical units)",
            CsvRecording => "text (CSV)",
            _ => info.Format.ToString().ToLowerInvariant(),
        };
    }

    private static string ToText(IRecording recording, Summary summary)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(c, $"{recording.File}: {recording.Format}, {summary.Streams.Count} streams").AppendLine();
        if (recording is EdfRecording edf)
        {
            var r = edf.Reader;
            sb.Append(c, $"  start {r.StartTime:yyyy-MM-dd HH:mm:ss} + {r.StartOffset:0.#######} s, {r.RecordCount} records of {r.RecordDuration:R} s, patient '{r.PatientId}', recording '{r.RecordingId}'").AppendLine();
        }

        foreach (var s in summary.Streams)
        {
            var info = s.Info;
            sb.AppendLine();
            sb.Append(c, $"stream '{info.Name}'").AppendLine();
            sb.Append(c, $"  type        {info.Type}").AppendLine();
            sb.Append(c, $"  channels    {info.ChannelCount}: {string.Join(", ", info.ChannelLabels)}").AppendLine();
            sb.Append(c, $"  rate        nominal {(info.IsIrregular ? "irregular" : info.NominalRate.ToString("R", c) + " Hz")}, effective {s.EffectiveRate:0.######} Hz").AppendLine();
            sb.Append(c, $"  samples     {s.Samples}").AppendLine();
            sb.Append(c, $"  time        first {s.First:0.######} s, last {s.Last:0.######} s").AppendLine();
            sb.Append(c, $"  format      {FormatOf(recording, info)}").AppendLine();
        }

        sb.AppendLine();
        sb.Append(c, $"markers and annotations: {summary.MarkerCount}").AppendLine();
        foreach (var m in summary.Markers)
        {
            string duration = double.IsNaN(m.Duration) ? "-" : m.Duration.ToString("0.######", c);
            sb.Append(c, $"  {m.Onset,15:0.#######}  {duration,8}  {m.Stream}: {m.Text}").AppendLine();
        }

        if (summary.MarkerCount > summary.Markers.Count)
        {
            sb.Append(c, $"  ... {summary.MarkerCount - summary.Markers.Count} more").AppendLine();
        }

        foreach (var p in summary.Problems)
        {
            sb.Append("warning: ").AppendLine(p);
        }

        return sb.ToString();
    }

    private static string ToJson(IRecording recording, Summary summary)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("file", recording.File);
            w.WriteString("format", recording.Format);
            w.WriteStartArray("streams");
            foreach (var s in summary.Streams)
            {
                w.WriteStartObject();
                w.WriteString("name", s.Info.Name);
                w.WriteString("type", s.Info.Type);
                w.WriteNumber("channelCount", s.Info.ChannelCount);
                w.WriteStartArray("channels");
                foreach (var label in s.Info.ChannelLabels)
                {
                    w.WriteStringValue(label);
                }

                w.WriteEndArray();
                w.WriteNumber("nominalRate", s.Info.NominalRate);
                w.WriteNumber("effectiveRate", s.EffectiveRate);
                w.WriteNumber("samples", s.Samples);
                Number(w, "firstTimestamp", s.First);
                Number(w, "lastTimestamp", s.Last);
                w.WriteString("format", FormatOf(recording, s.Info));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteNumber("markerCount", summary.MarkerCount);
            w.WriteStartArray("markers");
            foreach (var m in summary.Markers)
            {
                w.WriteStartObject();
                w.WriteString("stream", m.Stream);
                Number(w, "onset", m.Onset);
                Number(w, "duration", m.Duration);
                w.WriteString("text", m.Text);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("problems");
            foreach (var p in summary.Problems)
            {
                w.WriteStringValue(p);
            }

            w.WriteEndArray();
            if (summary.Damage is null)
            {
                w.WriteNull("damage");
            }
            else
            {
                w.WriteString("damage", summary.Damage);
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value))
        {
            w.WriteNumber(name, value);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
