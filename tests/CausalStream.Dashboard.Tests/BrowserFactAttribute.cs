namespace CausalStream.Dashboard.Tests;

/// <summary>
/// A test that needs Debian's Chromium. On a developer machine without it the test is skipped with the install
/// command; under CI (CI=true), where .ci/run installs Chromium, it always runs, so a missing browser fails.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public BrowserFactAttribute()
    {
        bool ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!ci && !File.Exists(ChromiumPath))
        {
            Skip = $"Debian's Chromium is not installed at {ChromiumPath} (apt-get install -y chromium); CI installs it and runs this test";
        }
    }
}
