namespace CausalStream.Dashboard.Hosting;

/// <summary>The page's files (wwwroot), embedded in the assembly and read once: path → bytes and content type.</summary>
internal sealed class StaticAssets
{
    private readonly Dictionary<string, (byte[] Content, string ContentType)> _files = new(StringComparer.Ordinal);

    public StaticAssets()
    {
        var assembly = typeof(StaticAssets).Assembly;
        foreach (string name in assembly.GetManifestResourceNames())
        {
            const string root = "wwwroot/";
            if (!name.StartsWith(root, StringComparison.Ordinal))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            _files["/" + name[root.Length..]] = (copy.ToArray(), ContentTypeOf(name));
        }
    }

    public bool TryGet(string path, out byte[] content, out string contentType)
    {
        if (_files.TryGetValue(path == "/" ? "/index.html" : path, out var file))
        {
            content = file.Content;
            contentType = file.ContentType;
            return true;
        }

        content = [];
        contentType = string.Empty;
        return false;
    }

    private static string ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        _ => "application/octet-stream",
    };
}
