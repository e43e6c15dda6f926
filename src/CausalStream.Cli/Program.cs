namespace CausalStream.Cli;

/// <summary>The <c>causalstream</c> command.</summary>
public static class Program
{
    public static int Main(string[] args) => 0;
}
