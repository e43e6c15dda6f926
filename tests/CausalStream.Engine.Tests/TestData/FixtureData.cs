using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace CausalStream.Engine.Tests.TestData;

/// <summary>Loads the CSV fixtures and statsmodels reference JSON from tests/CausalStream.Engine.Tests/Fixtures.</summary>
internal sealed class FixtureData
{
    private FixtureData(string[] names, double[] values, int samples)
    {
        Names = names;
        Values = values;
        Samples = samples;
    }

    /// <summary>Channel names from the header.</summary>
    public string[] Names { get; }

    /// <summary>Samples × channels, row-major.</summary>
    public double[] Values { get; }

    public int Samples { get; }

    public int Channels => Names.Length;

    /// <summary>
    /// Locates a fixture: walks up from the test binaries, then from the working directory, to the folder holding
    /// CausalStream.sln (builds with --artifacts-path put the binaries outside the repository), and finally falls
    /// back to this source file's compile-time location.
    /// </summary>
    public static string FixturePath(string fileName)
    {
        string? root = FindRoot(AppContext.BaseDirectory) ?? FindRoot(Environment.CurrentDirectory) ?? FindRoot(SourceDirectory());
        if (root is null)
        {
            throw new InvalidOperationException($"No CausalStream.sln above {AppContext.BaseDirectory}, {Environment.CurrentDirectory} or {SourceDirectory()}; cannot locate the fixtures.");
        }
        return Path.Combine(root, "tests", "CausalStream.Engine.Tests", "Fixtures", fileName);
    }

    private static string? FindRoot(string start)
    {
        var dir = string.IsNullOrEmpty(start) || !Directory.Exists(start) ? null : new DirectoryInfo(start);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CausalStream.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName;
    }

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path) ?? string.Empty;

    public static FixtureData LoadCsv(string fileName)
    {
        var lines = File.ReadAllLines(FixturePath(fileName));
        var names = lines[0].Split(',')[1..];
        var values = new List<double>();
        int samples = 0;
        for (int r = 1; r < lines.Length; r++)
        {
            if (lines[r].Length == 0)
            {
                continue;
            }
            var parts = lines[r].Split(',');
            for (int j = 1; j < parts.Length; j++)
            {
                values.Add(double.Parse(parts[j], NumberStyles.Float, CultureInfo.InvariantCulture));
            }
            samples++;
        }
        return new FixtureData(names, values.ToArray(), samples);
    }

    public static JsonElement LoadJson(string fileName)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(FixturePath(fileName)));
        return doc.RootElement.Clone();
    }
}
