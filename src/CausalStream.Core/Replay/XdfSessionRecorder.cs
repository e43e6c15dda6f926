using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using CausalStream.Core.Formats;
using CausalStream.Core.Sinks;
using CausalStream.Core.Stimulation;
using CausalStream.Core.Streams;

namespace CausalStream.Core.Replay;

/// <summary>
/// Records a session to one XDF file as it runs: the raw streams (declared up front, every chunk and marker as the
/// pipeline saw it), and CausalStream's results as extra streams: "CausalStream results" (each result's JSON, as in
/// the JSON Lines sink, timestamped with its window end), "CausalStream graph &lt;stream&gt;" (one channel per
/// tested edge, value = edge weight) and "CausalStream stimulation" (commands as markers). Every chunk reaches the
/// operating system when written, so a killed process leaves a file readable up to the last one. Raw values are
/// stored as double64 unless <c>keepDeclaredFormats</c> is set, so a replay sees exactly what the live run saw.
/// Thread-safe; <see cref="Dispose"/> writes the stream footers.
/// </summary>
public sealed class XdfSessionRecorder : IDisposable
{
    public const string ResultsStream = "CausalStream results";
    public const string StimulationStream = "CausalStream stimulation";
    public const string GraphStreamPrefix = "CausalStream graph ";

    private readonly object _gate = new();
    private readonly XdfWriter _writer;
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _graphIds = new(StringComparer.Ordinal);
    private readonly MemoryStream _json = new();
    private int _resultsId;
    private int _stimulationId;
    private double _lastTime;
    private bool _disposed;

    /// <param name="path">The XDF file to create (overwritten).</param>
    /// <param name="rawStreams">The pipeline's streams, declared at once so their headers lead the file.</param>
    /// <param name="keepDeclaredFormats">Store raw values in each stream's declared format (smaller, possibly lossy) instead of double64.</param>
    public XdfSessionRecorder(string path, IEnumerable<StreamInfo> rawStreams, bool keepDeclaredFormats = false)
    {
        _writer = new XdfWriter(path);
        FilePath = path;
        foreach (var stream in rawStreams)
        {
            var stored = keepDeclaredFormats || stream.Format is ChannelFormat.String or ChannelFormat.Double64
                ? stream
                : new StreamInfo(stream.Name, stream.Type, stream.SourceId, stream.ChannelCount, stream.NominalRate, ChannelFormat.Double64, stream.ChannelLabels, stream.ChannelUnits);
            _ids[stream.Name] = _writer.AddStream(stored, new XElement("causalstream", new XElement("role", "raw"), new XElement("declared_format", stream.Format.ToString())));
        }
    }

    public string FilePath { get; }

    /// <summary>Bytes written so far.</summary>
    public long BytesWritten => _writer.BytesWritten;

    /// <summary>Records a chunk of a declared raw stream; chunks of undeclared streams are ignored.</summary>
    public void RecordChunk(SampleChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        if (chunk.SampleCount == 0 || !_ids.TryGetValue(chunk.Stream.Name, out int id) || chunk.Stream.Format == ChannelFormat.String)
        {
            return;
        }

        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _writer.WriteSamples(id, chunk.Timestamps, chunk.Values);
            _lastTime = Math.Max(_lastTime, chunk.Timestamps[^1]);
        }
    }

    /// <summary>Records a marker of a declared raw string stream (its payload).</summary>
    public void RecordMarker(MarkerEvent marker)
    {
        ArgumentNullException.ThrowIfNull(marker);
        if (!_ids.TryGetValue(marker.Stream, out int id))
        {
            return;
        }

        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _writer.WriteMarker(id, marker.Timestamp, marker.Payload);
            _lastTime = Math.Max(_lastTime, marker.Timestamp);
        }
    }

    /// <summary>Records a result: graphs and window summaries (status reports are left out).</summary>
    public void RecordResult(PipelineResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result is PipelineStatus)
        {
            return;
        }

        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            double time = result switch
            {
                CausalGraph g => g.WindowEnd,
                WindowSummary w => w.WindowEnd,
                _ => _lastTime,
            };
            if (result is CausalGraph graph)
            {
                WriteGraph(graph);
            }

            _json.SetLength(0);
            using (var writer = new Utf8JsonWriter(_json))
            {
                if (!ResultJson.TryWrite(writer, result))
                {
                    return;
                }
            }

            if (_resultsId == 0)
            {
                _resultsId = _writer.AddStream(new StreamInfo(ResultsStream, "CausalStream.Results", "causalstream", 1, 0, ChannelFormat.String, ["json"]), new XElement("causalstream", new XElement("role", "results")));
            }

            _writer.WriteMarker(_resultsId, time, Encoding.UTF8.GetString(_json.GetBuffer(), 0, (int)_json.Length));
        }
    }

    /// <summary>Records a stimulation command as a marker "stim channel=… amplitude=… duration=… reason=…" at its issue time.</summary>
    public void RecordStimulation(StimulationCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            if (_stimulationId == 0)
            {
                _stimulationId = _writer.AddStream(new StreamInfo(StimulationStream, "Markers", "causalstream", 1, 0, ChannelFormat.String, ["command"]), new XElement("causalstream", new XElement("role", "stimulation")));
            }

            var c = CultureInfo.InvariantCulture;
            _writer.WriteMarker(_stimulationId, command.IssuedAt, string.Format(c, "stim channel={0} amplitude={1:R} duration={2:R} reason={3}", command.Channel, command.Amplitude, command.DurationSeconds, command.Reason));
        }
    }

    /// <summary>Writes the stream footers and closes the file.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _writer.Dispose();
            _json.Dispose();
        }
    }

    private void WriteGraph(CausalGraph graph)
    {
        if (graph.Edges.Count == 0)
        {
            return;
        }

        string key = graph.Stream + "/" + graph.Edges.Count.ToString(CultureInfo.InvariantCulture);
        if (!_graphIds.TryGetValue(key, out int id))
        {
            var labels = new string[graph.Edges.Count];
            for (int e = 0; e < labels.Length; e++)
            {
                labels[e] = graph.Channels[graph.Edges[e].Source] + "->" + graph.Channels[graph.Edges[e].Target];
            }

            string name = GraphStreamPrefix + graph.Stream + (_graphIds.Count > 0 ? " " + (_graphIds.Count + 1).ToString(CultureInfo.InvariantCulture) : string.Empty);
            id = _writer.AddStream(new StreamInfo(name, "CausalStream.Graph", "causalstream", labels.Length, 0, ChannelFormat.Double64, labels), new XElement("causalstream", new XElement("role", "graph"), new XElement("method", graph.Method)));
            _graphIds[key] = id;
        }

        var weights = new double[graph.Edges.Count];
        for (int e = 0; e < weights.Length; e++)
        {
            weights[e] = graph.Edges[e].Weight;
        }

        _writer.WriteSamples(id, [graph.WindowEnd], weights);
    }
}
