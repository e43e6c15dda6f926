using CausalStream.Core.Streams;
using CausalStream.Lsl.Configuration;
using CausalStream.Lsl.Info;
using CausalStream.Lsl.Inlet;
using CausalStream.Lsl.Outlet;

namespace CausalStream.Lsl.Tests;

/// <summary>Loopback-only settings and helpers: every socket binds 127.0.0.1 and every datagram goes to 127.0.0.1.</summary>
internal static class Loopback
{
    public static LslApiConfig Config => LslApiConfig.Loopback;

    public static LslOutletOptions OutletOptions(bool responder = false, int maxBuffered = 0)
        => new() { Config = Config, EnableDiscoveryResponder = responder, MaxBufferedSamples = maxBuffered, Hostname = "test" };

    public static LslInletOptions InletOptions(Action<LslInletEvent>? events = null, bool timeCorrection = false)
        => new() { Config = Config, RetryDelay = TimeSpan.FromMilliseconds(100), Events = events, ApplyTimeCorrection = timeCorrection };

    public static LslStreamInfo Stream(string name, ChannelFormat format, int channels, double rate = 100, string? sourceId = null)
        => new() { Name = name, Type = "EEG", ChannelCount = channels, Format = format, NominalSrate = rate, SourceId = sourceId ?? string.Empty };

    /// <summary>The outlet's info as a resolver would report it (address filled in).</summary>
    public static LslStreamInfo Resolved(LslOutlet outlet) => outlet.Info with { V4Address = "127.0.0.1" };

    public static CancellationToken Timeout(double seconds = 10) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    /// <summary>Reads numeric chunks until <paramref name="count"/> samples arrived; returns values (row-major) and timestamps.</summary>
    public static async Task<(List<double> Values, List<double> Timestamps)> ReadAsync(LslInlet inlet, int count, CancellationToken token, int maxChunk = 1000)
    {
        var values = new List<double>();
        var stamps = new List<double>();
        while (stamps.Count < count)
        {
            using var chunk = await inlet.ReadChunkAsync(maxChunk, token) ?? throw new InvalidOperationException("stream lost");
            foreach (double v in chunk.Values)
            {
                values.Add(v);
            }

            foreach (double t in chunk.Timestamps)
            {
                stamps.Add(t);
            }
        }

        return (values, stamps);
    }
}
