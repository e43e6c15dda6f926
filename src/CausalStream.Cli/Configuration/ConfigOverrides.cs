using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CausalStream.Cli.Configuration;

/// <summary>
/// Command-line overrides of single configuration keys (<c>--set sinks.dashboard.url=http://127.0.0.1:5081</c>),
/// applied to the JSON before it is bound and validated, so an override is checked exactly like the file.
/// </summary>
/// <remarks>
/// The key is the dotted path of docs/configuration.md, with <c>[n]</c> for an array element
/// (<c>stimulation.featureRules[0].threshold=5000</c>); missing objects on the way are created. The value is read as
/// JSON when it parses (numbers, true/false, null, quoted strings, objects) and as a plain string otherwise.
/// </remarks>
public static class ConfigOverrides
{
    /// <summary>Returns <paramref name="json"/> with every <c>key=value</c> assignment applied, in order.</summary>
    /// <exception cref="ConfigException">An assignment is malformed or its path crosses a value that is not an object or array.</exception>
    public static string Apply(string json, IReadOnlyList<string> assignments, string source)
    {
        ArgumentNullException.ThrowIfNull(assignments);
        if (assignments.Count == 0)
        {
            return json;
        }

        JsonNode root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })
                ?? new JsonObject();
        }
        catch (JsonException)
        {
            return json; // the loader reports the file's own syntax error with its line
        }

        foreach (string assignment in assignments)
        {
            int eq = assignment.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new ConfigException(source, "--set " + assignment, "expected KEY=VALUE, e.g. --set sinks.dashboard.url=http://127.0.0.1:5081");
            }

            Set(root, assignment[..eq].Trim(), ParseValue(assignment[(eq + 1)..]), source);
        }

        return root.ToJsonString();
    }

    private static JsonNode? ParseValue(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }

    private static void Set(JsonNode root, string key, JsonNode? value, string source)
    {
        var parts = Split(key, source);
        JsonNode current = root;
        for (int i = 0; i < parts.Count; i++)
        {
            var (name, index) = parts[i];
            bool last = i == parts.Count - 1;
            if (current is not JsonObject obj)
            {
                throw new ConfigException(source, key, $"cannot set '{name}' inside a value that is not an object");
            }

            if (index is not int at)
            {
                if (last)
                {
                    obj[name] = value;
                    return;
                }

                if (obj[name] is null)
                {
                    obj[name] = new JsonObject();
                }

                current = obj[name]!;
                continue;
            }

            if (obj[name] is not JsonArray array || at >= array.Count)
            {
                int count = obj[name] is JsonArray a ? a.Count : 0;
                throw new ConfigException(source, key, $"'{name}' has no element {at} (it has {count})");
            }

            if (last)
            {
                array[at] = value;
                return;
            }

            current = array[at] ?? throw new ConfigException(source, key, $"'{name}[{at}]' is null");
        }
    }

    private static List<(string Name, int? Index)> Split(string key, string source)
    {
        var parts = new List<(string, int?)>();
        foreach (string segment in key.Split('.'))
        {
            string name = segment;
            int? index = null;
            int open = segment.IndexOf('[', StringComparison.Ordinal);
            if (open >= 0)
            {
                if (!segment.EndsWith(']') || !int.TryParse(segment.AsSpan(open + 1, segment.Length - open - 2), NumberStyles.None, CultureInfo.InvariantCulture, out int at))
                {
                    throw new ConfigException(source, key, $"'{segment}' is not NAME or NAME[INDEX]");
                }

                name = segment[..open];
                index = at;
            }

            if (name.Length == 0)
            {
                throw new ConfigException(source, key, "empty key segment");
            }

            parts.Add((name, index));
        }

        return parts;
    }
}
