using System.Text;

namespace CausalStream.Lsl.Tests;

/// <summary>Reads the liblsl 1.17.7 wire traces copied into Fixtures/ (copied to the test output directory).</summary>
internal static class TraceFixture
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(Directory, name));

    public static string Text(string name) => Encoding.UTF8.GetString(Bytes(name));

    public static string[] AllBinFiles() => System.IO.Directory.GetFiles(Directory, "*.bin").Select(Path.GetFileName).ToArray()!;
}
