using System.Globalization;
using CausalStream.Core.Pipeline;
using CausalStream.Core.Streams;
using CausalStream.Lsl.Configuration;
using CausalStream.Lsl.Discovery;
using CausalStream.Lsl.Info;
using CausalStream.Lsl.Inlet;

namespace CausalStream.Lsl.Pipeline;

/// <summary>
/// A pipeline source reading one LSL stream: numeric streams become <see cref="SampleChunk"/>s, string streams
/// <see cref="MarkerEvent"/>s (payload = the channels joined with '|', code = the payload as a number when it is one).
/// Created by <see cref="ResolveAsync"/>, which finds the stream and its channel labels before the pipeline starts.
/// Protocol errors, losses and recoveries are reported to the pipeline as source errors naming the stream.
/// </summary>
public sealed class LslSource : ISampleSource, IAsyncDisposable
{
    private readonly LslInlet _inlet;
    private readonly LslSourceOptions _options;
    private ISourceOutput? _output;

    private LslSource(LslStreamInfo info, LslSourceOptions options, LslApiConfig config)
    {
        _options = options;
        Info = info;
        _inlet = new LslInlet(info, new LslInletOptions
        {
            Config = config,
            ApplyTimeCorrection = options.TimeCorrection,
            Events = OnInletEvent,
        });
        Streams = [_inlet.Stream];
    }

    /// <inheritdoc />
    public string Name => "lsl:" + Info.Name;

    /// <inheritdoc />
    public IReadOnlyList<StreamInfo> Streams { get; }

    /// <summary>The resolved stream (full info, with channel labels when the outlet publishes them).</summary>
    public LslStreamInfo Info { get; }

    /// <summary>
    /// Resolves the stream the options describe (the first match), fetches its full info for channel labels and
    /// returns a source ready to run.
    /// </summary>
    /// <exception cref="LslStreamNotFoundException">Nothing matched within the timeout; the message lists the visible streams.</exception>
    public static async Task<LslSource> ResolveAsync(LslSourceOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = options.ResolveConfig();
        var resolver = new LslResolver(config);
        string query = LslQuery.ByPredicate(options.Predicate(), config.SessionId);
        var timeout = TimeSpan.FromSeconds(options.ResolveTimeout);
        var found = await resolver.ResolveAsync(query, 1, timeout, cancellationToken).ConfigureAwait(false);
        if (found.Count == 0)
        {
            var visible = await resolver.ResolveAllAsync(TimeSpan.FromSeconds(Math.Min(1.0, options.ResolveTimeout)), cancellationToken).ConfigureAwait(false);
            throw new LslStreamNotFoundException(options.Predicate(), options.ResolveTimeout, visible);
        }

        var info = found[0];
        try
        {
            info = await LslFeedConnection.FetchFullInfoAsync(info, TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException or Protocol.LslProtocolException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // Labels are a nicety: without the full info the channels are named ch1..chN.
        }

        return new LslSource(info, options, config);
    }

    /// <summary>Synchronous <see cref="ResolveAsync"/> for hosts that build pipelines synchronously.</summary>
    public static LslSource Resolve(LslSourceOptions options) => ResolveAsync(options).GetAwaiter().GetResult();

    /// <inheritdoc />
    public async Task RunAsync(ISourceOutput output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        try
        {
            try
            {
                await _inlet.OpenAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException or Protocol.LslProtocolException)
            {
                // The reads below keep reconnecting (and follow a restarted outlet by source_id).
                output.ReportError(Info.Name, $"LSL stream '{Info.Name}': first connection failed: {ex.Message}; retrying");
            }
            if (Info.Format == ChannelFormat.String)
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    var sample = await _inlet.ReadStringSampleAsync(cancellationToken).ConfigureAwait(false);
                    if (sample is null)
                    {
                        return;
                    }

                    string payload = sample.Values.Count == 1 ? sample.Values[0] : string.Join('|', sample.Values);
                    double? code = double.TryParse(payload, NumberStyles.Float, CultureInfo.InvariantCulture, out double c) ? c : null;
                    await output.WriteAsync(new MarkerEvent(Info.Name, sample.Timestamp, payload, code, MonotonicClock.Now), cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    var chunk = await _inlet.ReadChunkAsync(_options.MaxChunkSamples, cancellationToken).ConfigureAwait(false);
                    if (chunk is null)
                    {
                        return;
                    }

                    await output.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped by the pipeline.
        }
    }

    public ValueTask DisposeAsync() => _inlet.DisposeAsync();

    private void OnInletEvent(LslInletEvent inletEvent) => _output?.ReportError(Info.Name, inletEvent.Message);
}
