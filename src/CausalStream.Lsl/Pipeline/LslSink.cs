using System.Globalization;
using CausalStream.Core.Pipeline;
using CausalStream.Core.Stimulation;
using CausalStream.Core.Streams;
using CausalStream.Lsl.Configuration;
using CausalStream.Lsl.Info;
using CausalStream.Lsl.Outlet;

namespace CausalStream.Lsl.Pipeline;

/// <summary>
/// Publishes results over LSL. Each analysed stream's <see cref="CausalGraph"/>s go to a numeric outlet
/// <c>&lt;name&gt;-graph-&lt;stream&gt;</c> (one sample per graph, one channel per ordered channel pair labelled
/// <c>a-&gt;b</c>, the edge weight, NaN for untested pairs); other results (not status or window summaries) and
/// stimulation commands go as text to the string outlet <c>&lt;name&gt;-markers</c>. Samples carry the local LSL
/// clock at emission. Outlets are created on first use and closed by <see cref="FlushAsync"/> or disposal.
/// </summary>
public sealed class LslSink : IResultSink, IAsyncDisposable
{
    private readonly LslSinkOptions _options;
    private readonly LslApiConfig _config;
    private readonly Dictionary<string, GraphOutlet> _graphs = new(StringComparer.Ordinal);
    private readonly object _markerLock = new();
    private LslOutlet? _markers;

    public LslSink(LslSinkOptions? options = null)
    {
        _options = options ?? new LslSinkOptions();
        _config = _options.ResolveConfig();
    }

    /// <inheritdoc />
    public string Name => "lsl:" + _options.Name;

    /// <summary>Graph outlets created so far, by analysed stream name.</summary>
    public IReadOnlyDictionary<string, LslOutlet> GraphOutlets
    {
        get
        {
            lock (_graphs)
            {
                return _graphs.ToDictionary(p => p.Key, p => p.Value.Outlet);
            }
        }
    }

    /// <summary>The marker outlet, once created.</summary>
    public LslOutlet? MarkerOutlet => _markers;

    /// <summary>Creates the marker outlet now (so consumers can connect before the first marker).</summary>
    public LslOutlet EnsureMarkerOutlet()
    {
        lock (_markerLock)
        {
            _markers ??= new LslOutlet(
                new LslStreamInfo
                {
                    Name = _options.Name + "-markers",
                    Type = "Markers",
                    ChannelCount = 1,
                    Format = ChannelFormat.String,
                    NominalSrate = 0,
                    SourceId = (_options.SourceId ?? _options.Name) + ":markers",
                },
                new LslOutletOptions { Config = _config });
            return _markers;
        }
    }

    /// <inheritdoc />
    public ValueTask ConsumeAsync(PipelineResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        switch (result)
        {
            case CausalGraph graph when _options.Graphs:
                PublishGraph(graph);
                break;
            case CausalGraph:
            case PipelineStatus:
            case WindowSummary:
                break;
            default:
                if (_options.Markers)
                {
                    PublishMarker(result.ToString() ?? result.GetType().Name);
                }

                break;
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Publishes a stimulation command as a marker: <c>stim channel=… amplitude=… duration=… issued=… reason=…</c>.</summary>
    public void PublishStimulation(StimulationCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        PublishMarker(string.Create(
            CultureInfo.InvariantCulture,
            $"stim channel={command.Channel} amplitude={command.Amplitude:R} duration={command.DurationSeconds:R} issued={command.IssuedAt:R} reason={command.Reason}"));
    }

    /// <summary>Publishes one text marker stamped with the local LSL clock.</summary>
    public void PublishMarker(string text) => EnsureMarkerOutlet().PushStrings([text]);

    /// <inheritdoc />
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        // Give consumers' send tasks a moment to put the last samples on the wire before the outlets close.
        await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        await DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        List<LslOutlet> outlets;
        lock (_graphs)
        {
            outlets = [.. _graphs.Values.Select(g => g.Outlet)];
            _graphs.Clear();
        }

        lock (_markerLock)
        {
            if (_markers is not null)
            {
                outlets.Add(_markers);
                _markers = null;
            }
        }

        foreach (var outlet in outlets)
        {
            await outlet.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void PublishGraph(CausalGraph graph)
    {
        GraphOutlet target;
        lock (_graphs)
        {
            if (!_graphs.TryGetValue(graph.Stream, out target!) || target.Channels != graph.Channels.Count)
            {
                target?.Outlet.Dispose();
                target = new GraphOutlet(CreateGraphOutlet(graph), graph.Channels.Count);
                _graphs[graph.Stream] = target;
            }
        }

        int c = graph.Channels.Count;
        var values = target.Values;
        Array.Fill(values, double.NaN);
        foreach (var edge in graph.Edges)
        {
            if (edge.Source != edge.Target && (uint)edge.Source < (uint)c && (uint)edge.Target < (uint)c)
            {
                values[PairIndex(edge.Source, edge.Target, c)] = edge.Weight;
            }
        }

        target.Outlet.PushSample(values);
    }

    private static int PairIndex(int source, int target, int channels) => (source * (channels - 1)) + (target < source ? target : target - 1);

    private LslOutlet CreateGraphOutlet(CausalGraph graph)
    {
        int c = graph.Channels.Count;
        int pairs = Math.Max(1, c * (c - 1));
        var labels = new string[pairs];
        for (int s = 0; s < c; s++)
        {
            for (int t = 0; t < c; t++)
            {
                if (s != t)
                {
                    labels[PairIndex(s, t, c)] = graph.Channels[s] + "->" + graph.Channels[t];
                }
            }
        }

        if (c < 2)
        {
            labels[0] = "none";
        }

        string name = $"{_options.Name}-graph-{graph.Stream}";
        var stream = new StreamInfo(name, "CausalGraph", $"{_options.SourceId ?? _options.Name}:graph:{graph.Stream}", pairs, 0, _options.GraphFormat, labels);
        return new LslOutlet(stream, new LslOutletOptions { Config = _config });
    }

    private sealed class GraphOutlet(LslOutlet outlet, int channels)
    {
        public LslOutlet Outlet { get; } = outlet;

        public int Channels { get; } = channels;

        public double[] Values { get; } = new double[Math.Max(1, channels * (channels - 1))];
    }
}
