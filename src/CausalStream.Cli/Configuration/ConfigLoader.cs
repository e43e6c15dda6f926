using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CausalStream.Cli.Configuration;

/// <summary>
/// Reads configuration JSON into <see cref="CausalStreamConfig"/> and validates it, turning every problem
/// (unknown key, wrong type, missing value, impossible setting) into a <see cref="ConfigException"/> that
/// names the file and the dotted key.
/// </summary>
public static class ConfigLoader
{
    /// <summary>Name used in messages for the configuration built into the executable.</summary>
    public const string EmbeddedName = "config/default.json (embedded)";

    private const string EmbeddedResource = "CausalStream.default.json";

    public static JsonSerializerOptions JsonOptions { get; } = CreateOptions();

    /// <summary>The default configuration compiled into the executable from config/default.json.</summary>
    /// <param name="overrides">Optional <c>key=value</c> assignments applied before validation (see <see cref="ConfigOverrides"/>).</param>
    public static CausalStreamConfig LoadDefault(IReadOnlyList<string>? overrides = null)
    {
        using var stream = typeof(ConfigLoader).Assembly.GetManifestResourceStream(EmbeddedResource)
            ?? throw new InvalidOperationException($"resource {EmbeddedResource} is missing from the build");
        using var reader = new StreamReader(stream);
        return Parse(ConfigOverrides.Apply(reader.ReadToEnd(), overrides ?? [], EmbeddedName), EmbeddedName);
    }

    /// <param name="path">The configuration file.</param>
    /// <param name="overrides">Optional <c>key=value</c> assignments applied before validation (see <see cref="ConfigOverrides"/>).</param>
    public static CausalStreamConfig LoadFile(string path, IReadOnlyList<string>? overrides = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(path, "(file)", $"cannot read the configuration file: {ex.Message}");
        }

        return Parse(ConfigOverrides.Apply(text, overrides ?? [], path), path);
    }

    /// <summary>Parses and validates <paramref name="json"/>; <paramref name="source"/> names it in messages.</summary>
    public static CausalStreamConfig Parse(string json, string source)
    {
        CausalStreamConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<CausalStreamConfig>(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            throw Translate(ex, source);
        }

        if (config is null)
        {
            throw new ConfigException(source, "(root)", "the file holds null; expected a JSON object");
        }

        ConfigValidator.Validate(config, source);
        return config;
    }

    private static ConfigException Translate(JsonException ex, string source)
    {
        string key = KeyOf(ex.Path);
        string message = ex.Message;
        string position = ex.LineNumber is long line ? string.Create(CultureInfo.InvariantCulture, $" (line {line + 1}, byte {ex.BytePositionInLine + 1})") : string.Empty;
        const string unmapped = "could not be mapped to any .NET member";
        const string missing = "missing required properties including: ";
        if (message.Contains(unmapped, StringComparison.Ordinal))
        {
            return new ConfigException(source, key, "unknown key; check its spelling against docs/configuration.md");
        }

        int at = message.IndexOf(missing, StringComparison.Ordinal);
        if (at >= 0)
        {
            string names = message[(at + missing.Length)..].Trim().TrimEnd('.');
            string first = names.Split(',')[0].Trim().Trim('\'');
            string full = key.Length == 0 || key == "(root)" ? first : key + "." + first;
            return new ConfigException(source, full, "missing required value");
        }

        if (message.Contains("could not be converted to", StringComparison.Ordinal))
        {
            string wanted = message.Contains("System.Double", StringComparison.Ordinal) || message.Contains("System.Int", StringComparison.Ordinal)
                ? "a number"
                : message.Contains("System.Boolean", StringComparison.Ordinal) ? "true or false" : "a value of another type (see docs/configuration.md)";
            return new ConfigException(source, key, $"wrong type: expected {wanted}{position}");
        }

        if (message.Contains("doesn't allow setting null", StringComparison.Ordinal))
        {
            return new ConfigException(source, key, $"null is not allowed here{position}");
        }

        int cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        string reason = cut > 0 ? message[..cut] : message;
        return new ConfigException(source, key, $"{reason}{position}");
    }

    private static string KeyOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "(root)";
        }

        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            WriteIndented = true,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        return options;
    }
}
