using System.Reflection;

namespace CausalStream.Core.Tests.Formats;

/// <summary>Locates the third-party test files in ../shared/data next to the repository (never copied into it).</summary>
internal static class SharedData
{
    public static string RepositoryRoot { get; } = typeof(SharedData).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .First(a => a.Key == "RepositoryRoot").Value!;

    public static string Folder(string name) => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data", name));

    public static string File(string folder, string name) => Path.Combine(Folder(folder), name);
}
