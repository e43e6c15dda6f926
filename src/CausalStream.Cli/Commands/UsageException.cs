namespace CausalStream.Cli.Commands;

/// <summary>A command line that cannot be understood; the message says which argument and why.</summary>
public sealed class UsageException : Exception
{
    public UsageException(string message)
        : base(message)
    {
    }
}
