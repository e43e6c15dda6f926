namespace CausalStream.Core.Tests.Formats;

/// <summary>A fact that is skipped, with a message saying why, when ../shared/data/&lt;folder&gt; is not present.</summary>
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute(string folder)
    {
        if (!Directory.Exists(SharedData.Folder(folder)))
        {
            Skip = $"{SharedData.Folder(folder)} not present: the third-party sample files live in ../shared/data outside the repository";
        }
    }
}
