using CausalStream.Core.Pipeline;
using CausalStream.Core.Stimulation;
using CausalStream.Core.Streams;
using CausalStream.Dashboard.Hosting;
using CausalStream.Dashboard.Streaming;

namespace CausalStream.Dashboard;

/// <summary>
/// The web dashboard as a result sink: it serves the live page and broadcasts every graph, health report and
/// stimulation decision to the connected browsers over Server-Sent Events. Consuming a result encodes it once
/// and queues it on each browser's own bounded drop-oldest queue; it never waits for any browser's network.
/// </summary>
public sealed class DashboardSink : IResultSink, IAsyncDisposable
{
    private readonly object _encodeGate = new();
    private readonly SseEncoder _encoder = new();
    private readonly SseHub _hub;
    private readonly BearerToken? _token;
    private readonly DashboardServer _server;
    private IStimulationControl? _control;
    private IRuleThresholds? _thresholds;
    private Timer? _heartbeat;
    private bool? _lastArmed;
    private int _disposed;

    /// <summary>Creates the sink; nothing listens until <see cref="StartAsync"/>.</summary>
    /// <param name="options">Listen address, token and per-browser queue size (validated here).</param>
    /// <param name="control">The stimulation controller the arm/disarm controls act on; null when the pipeline has none.</param>
    public DashboardSink(DashboardOptions options, IStimulationControl? control = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _control = control;
        _token = string.IsNullOrEmpty(options.Token) ? null : new BearerToken(options.Token);
        _hub = new SseHub(options.CapacityPerClient, options.MaxClients, options.HistoryGraphs, options.RecentDecisions);
        _server = new DashboardServer(this, _hub, _token);
    }

    public string Name => "dashboard";

    public DashboardOptions Options { get; }

    /// <summary>The controller the controls act on; may be attached after construction (null = none).</summary>
    public IStimulationControl? Control
    {
        get => Volatile.Read(ref _control);
        set
        {
            Volatile.Write(ref _control, value);
            PublishControlState(value is null ? "controller detached" : "controller attached");
        }
    }

    /// <summary>The fast-path rules whose thresholds the threshold control may change (null = none).</summary>
    public IRuleThresholds? Thresholds
    {
        get => Volatile.Read(ref _thresholds);
        set => Volatile.Write(ref _thresholds, value);
    }

    /// <summary>Whether the arm/disarm controls are enabled (a token is configured).</summary>
    public bool ControlsEnabled => _token is not null;

    /// <summary>The address the server listens on once started (with the real port when port 0 was asked for).</summary>
    public Uri? Address { get; private set; }

    /// <summary>Browsers connected to the live feed now.</summary>
    public int ClientCount => _hub.ClientCount;

    /// <summary>Events published to the feed so far (results and control changes).</summary>
    public long Published => _hub.Published;

    /// <summary>Events dropped for browsers that fell behind, including browsers since disconnected.</summary>
    public long DroppedTotal => _hub.DroppedTotal;

    /// <summary>Counters of each connected browser.</summary>
    public IReadOnlyList<DashboardClientStats> Clients => _hub.Describe();

    /// <summary>Starts listening; returns the bound address. Throws <see cref="IOException"/> when the address is taken.</summary>
    public async Task<Uri> StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Address is not null)
        {
            throw new InvalidOperationException("the dashboard is already started");
        }

        PublishControlState("dashboard started");
        Address = await _server.StartAsync(cancellationToken).ConfigureAwait(false);
        var period = TimeSpan.FromSeconds(Options.HeartbeatSeconds);
        _heartbeat = new Timer(static state => ((SseHub)state!).Heartbeat(), _hub, period, period);
        return Address;
    }

    /// <summary>Encodes the result once and queues it for every connected browser; completes without waiting.</summary>
    public ValueTask ConsumeAsync(PipelineResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        bool armedChanged = false;
        lock (_encodeGate)
        {
            byte[]? frame = _encoder.Encode(result);
            if (frame is not null)
            {
                _hub.Publish(result, frame);
            }

            // The controller can also be armed or disarmed elsewhere (configuration, watchdog): each health
            // report checks, so browsers learn of it within one status interval.
            if (result is PipelineStatus)
            {
                armedChanged = Control?.IsArmed != _lastArmed;
            }
        }

        if (armedChanged)
        {
            bool? armed = Control?.IsArmed;
            PublishControlState(armed is null ? "no controller" : armed.Value ? "armed" : "disarmed");
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Nothing is buffered: every event is already queued for its browsers.</summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Ends every feed and stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_heartbeat is not null)
        {
            await _heartbeat.DisposeAsync().ConfigureAwait(false);
        }

        await _server.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Tells every browser the controller's current state and why it changed.</summary>
    internal void PublishControlState(string reason)
    {
        var control = Control;
        lock (_encodeGate)
        {
            _lastArmed = control?.IsArmed;
            _hub.PublishControl(_encoder.EncodeControl(ControlsEnabled, control, reason));
        }
    }
}
