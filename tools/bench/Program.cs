using BenchmarkDotNet.Running;

namespace CausalStream.Bench;

/// <summary>Entry point: <c>dotnet run -c Release --project tools/bench -- --filter '*'</c> runs every benchmark.</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
