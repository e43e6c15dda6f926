using CausalStream.Core.Streams;
using CausalStream.Core.Windows;

namespace CausalStream.Core.Pipeline;

/// <summary>
/// Keeps one sliding window per regular stream and, at every hop, publishes a <see cref="WindowSummary"/>
/// (time span, per-channel mean and standard deviation). Irregular streams are passed over.
/// </summary>
public sealed class WindowStage : IIngestStage
{
    private readonly WindowSpec _spec;
    private readonly Dictionary<string, State> _windows = new(StringComparer.Ordinal);

    public WindowStage(WindowSpec spec, IEnumerable<StreamInfo> streams)
    {
        _spec = spec;
        foreach (var stream in streams)
        {
            if (stream.NominalRate > 0)
            {
                var window = new SlidingWindow(spec, stream.ChannelCount, stream.NominalRate);
                _windows[stream.Name] = new State(window, new double[window.Length * stream.ChannelCount], new double[window.Length]);
            }
        }
    }

    public string Name => "windows";

    public WindowSpec Spec => _spec;

    public async ValueTask OnChunkAsync(SampleChunk chunk, IResultPublisher publisher, CancellationToken cancellationToken)
    {
        if (!_windows.TryGetValue(chunk.Stream.Name, out var state))
        {
            return;
        }

        int channels = chunk.ChannelCount;
        int offset = 0;
        while (offset < chunk.SampleCount)
        {
            int used = state.Window.Append(
                chunk.Values.Slice(offset * channels, (chunk.SampleCount - offset) * channels),
                chunk.Timestamps[offset..],
                out bool hopDue);
            offset += used;
            if (hopDue)
            {
                var summary = Summarize(chunk.Stream.Name, state) with { NewestArrivalTicks = chunk.ArrivalTicks };
                await publisher.PublishAsync(summary, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public ValueTask OnMarkerAsync(MarkerEvent marker, IResultPublisher publisher, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask CompleteAsync(IResultPublisher publisher, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    private static WindowSummary Summarize(string stream, State state)
    {
        var window = state.Window;
        int n = window.CopyWindow(state.Values, state.Timestamps);
        int channels = window.Channels;
        var means = new double[channels];
        var sds = new double[channels];
        for (int c = 0; c < channels; c++)
        {
            double sum = 0;
            int count = 0;
            for (int i = 0; i < n; i++)
            {
                double v = state.Values[(i * channels) + c];
                if (double.IsFinite(v))
                {
                    sum += v;
                    count++;
                }
            }

            double mean = count > 0 ? sum / count : double.NaN;
            double squares = 0;
            for (int i = 0; i < n; i++)
            {
                double v = state.Values[(i * channels) + c];
                if (double.IsFinite(v))
                {
                    squares += (v - mean) * (v - mean);
                }
            }

            means[c] = mean;
            sds[c] = count > 1 ? Math.Sqrt(squares / (count - 1)) : double.NaN;
        }

        return new WindowSummary(stream, window.WindowStart, window.WindowEnd, n, window.HopsEmitted, means, sds);
    }

    private sealed record State(SlidingWindow Window, double[] Values, double[] Timestamps);
}
