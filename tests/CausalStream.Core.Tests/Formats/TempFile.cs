namespace CausalStream.Core.Tests.Formats;

/// <summary>A uniquely named file under the temp folder, deleted on dispose.</summary>
internal sealed class TempFile : IDisposable
{
    public TempFile(string extension)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "causalstream-tests", Guid.NewGuid().ToString("N") + extension);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            System.IO.File.Delete(Path);
        }
        catch (IOException)
        {
        }
    }
}
