using System.Globalization;
using CausalStream.Core.Pipeline;
using CausalStream.Core.Streams;
using CausalStream.Kafka;
using CausalStream.Kafka.Producing;

namespace CausalStream.Cli.Commands;

/// <summary>
/// Runs one source straight into a Kafka chunk topic (its metadata on TOPIC.streams) until it ends, --duration
/// elapses or the run is cancelled; shared by <c>simulate --kafka</c> and <c>lsl bridge</c>.
/// </summary>
internal static class KafkaPublishing
{
    /// <summary>Publishes <paramref name="stream"/> of <paramref name="source"/>; returns the exit code (1 when a chunk failed to deliver).</summary>
    public static async Task<int> RunAsync(
        ISampleSource source,
        StreamInfo stream,
        KafkaConnection connection,
        string topic,
        ChannelFormat format,
        double? durationSeconds,
        TextWriter output,
        CancellationToken cancellationToken)
    {
        await using var publish = new KafkaChunkPublisher(new KafkaPublisherOptions { Connection = connection, Topic = topic, Format = format }, m => output.WriteLine(m));
        await publish.OpenAsync(stream, cancellationToken).ConfigureAwait(false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (durationSeconds is double seconds)
        {
            stop.CancelAfter(TimeSpan.FromSeconds(seconds));
        }

        try
        {
            await source.RunAsync(publish, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }

        publish.Flush(TimeSpan.FromSeconds(10));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"published {publish.Delivered} chunks of '{stream.Name}', {publish.Failed} failed")).ConfigureAwait(false);
        return publish.Failed == 0 ? Program.ExitOk : Program.ExitFailure;
    }
}
