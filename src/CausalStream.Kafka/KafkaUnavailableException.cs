namespace CausalStream.Kafka;

/// <summary>No broker of the configured cluster answered within the start-up attempts; names the servers and the last error.</summary>
public sealed class KafkaUnavailableException : Exception
{
    public KafkaUnavailableException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
