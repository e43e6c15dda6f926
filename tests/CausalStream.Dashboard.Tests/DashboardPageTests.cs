using CausalStream.Dashboard.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CausalStream.Dashboard.Tests;

/// <summary>
/// Opens the dashboard in Debian's Chromium (driven by Playwright, headless, no network beyond loopback) while a
/// simulated pipeline runs. Set CAUSALSTREAM_DASHBOARD_SCREENSHOT=path to also save a screenshot after the
/// charts have filled (used once to make docs/dashboard.png).
/// </summary>
public sealed class DashboardPageTests(ITestOutputHelper output)
{
    private const string Chromium = "/usr/bin/chromium";
    private const string ScreenshotVariable = "CAUSALSTREAM_DASHBOARD_SCREENSHOT";
    private const string Token = "a-token-only-the-server-knows-1234";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic",
    ];

    [BrowserFact]
    public async Task The_page_draws_live_edges_and_health_that_change()
    {
        await using var run = await SimulatedRun.StartAsync(token: Token);
        await using var browser = await OpenAsync();
        var page = browser.Page;
        await page.GotoAsync(run.Sink.Address!.ToString());

        await page.WaitForSelectorAsync("#graph path.edge.sig", new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });
        await page.WaitForFunctionAsync("() => document.getElementById('health-elapsed').textContent !== '–'", null, new() { Timeout = 10_000 });
        var first = await ReadAsync(page);
        output.WriteLine($"first read: graph #{first.Sequence}, {first.Edges} edges ({first.Significant} significant), running {first.Elapsed}, rate {first.Rate}");
        Assert.Equal(56, first.Edges);
        Assert.True(first.Significant > 0);

        await page.WaitForFunctionAsync($"() => document.getElementById('graph').dataset.sequence !== '{first.Sequence}' && document.getElementById('health-elapsed').textContent !== '{first.Elapsed}'", null, new() { Timeout = 15_000 });
        var second = await ReadAsync(page);
        output.WriteLine($"second read: graph #{second.Sequence}, {second.Edges} edges ({second.Significant} significant), running {second.Elapsed}, rate {second.Rate}");
        Assert.NotEqual(first.Sequence, second.Sequence);
        Assert.NotEqual(first.Widths, second.Widths);
        Assert.NotEqual(first.Elapsed, second.Elapsed);
        Assert.Matches(@"^\d+(\.\d)?$", second.Rate);

        // The strongest edges are charted by default, and the controls are live because a token is configured.
        Assert.True(await page.Locator("#strength polyline.series").CountAsync() > 0);
        Assert.False(await page.Locator("#token").IsDisabledAsync());

        // The operator pastes the token and disarms, then arms again (the watchdog may have disarmed it at start-up).
        await page.Locator("#token").FillAsync(Token);
        if (await page.TextContentAsync("#armed-badge") == "ARMED")
        {
            await page.Locator("#disarm").ClickAsync();
            await page.WaitForFunctionAsync("() => document.getElementById('armed-badge').textContent === 'disarmed'", null, new() { Timeout = 10_000 });
            Assert.False(run.Controller.IsArmed);
        }

        await page.Locator("#arm").ClickAsync();
        await page.WaitForFunctionAsync("() => document.getElementById('armed-badge').textContent === 'ARMED'", null, new() { Timeout = 10_000 });
        Assert.Equal("armed", await page.TextContentAsync("#control-msg"));

        // Clicking an edge adds it to the chart.
        int chips = await page.Locator("#strength-legend .chip").CountAsync();
        await page.Locator("#edges-faint path.edge-hit").First.DispatchEventAsync("click");
        await page.WaitForFunctionAsync($"() => document.querySelectorAll('#strength-legend .chip').length === {chips + 1}", null, new() { Timeout = 5_000 });

        if (Environment.GetEnvironmentVariable(ScreenshotVariable) is { Length: > 0 } path)
        {
            // Size the window to the whole page first, so taking the picture does not re-lay it out mid-run.
            await page.Locator("#strength-auto").ClickAsync();
            int height = await page.EvaluateAsync<int>("() => Math.ceil(document.documentElement.scrollHeight)");
            await page.SetViewportSizeAsync(1280, Math.Max(860, height + 20));
            await page.WaitForTimeoutAsync(20_000);
            await page.ScreenshotAsync(new() { Path = path });
            output.WriteLine($"screenshot: {path}");
        }

        Assert.Empty(browser.Errors);
    }

    [BrowserFact]
    public async Task Without_a_token_the_controls_are_shown_disabled()
    {
        await using var run = await SimulatedRun.StartAsync(token: null, armed: false);
        await using var browser = await OpenAsync();
        var page = browser.Page;
        await page.GotoAsync(run.Sink.Address!.ToString());
        await page.WaitForFunctionAsync("() => document.getElementById('armed-badge').textContent === 'disarmed'", null, new() { Timeout = 15_000 });
        Assert.True(await page.Locator("#arm").IsDisabledAsync());
        Assert.True(await page.Locator("#disarm").IsDisabledAsync());
        Assert.True(await page.Locator("#token").IsDisabledAsync());
        Assert.Contains("no token", await page.Locator("#arm").GetAttributeAsync("title") ?? string.Empty, StringComparison.Ordinal);
        Assert.Empty(browser.Errors);
    }

    private static async Task<Reading> ReadAsync(IPage page)
    {
        string[] values = await page.EvaluateAsync<string[]>(
            """
            () => {
              const edges = Array.from(document.querySelectorAll('#graph path.edge'));
              return [
                document.getElementById('graph').dataset.sequence,
                String(edges.length),
                String(document.querySelectorAll('#graph path.edge.sig').length),
                edges.map(e => e.getAttribute('stroke-width')).join(','),
                document.getElementById('health-elapsed').textContent,
                (document.getElementById('health-rate') || {}).firstChild?.textContent ?? '',
              ];
            }
            """);
        return new Reading(values[0], int.Parse(values[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(values[2], System.Globalization.CultureInfo.InvariantCulture), values[3], values[4], values[5]);
    }

    private static async Task<BrowserSession> OpenAsync()
    {
        Assert.True(File.Exists(Chromium), $"the browser test needs Debian's Chromium at {Chromium}: apt-get install -y chromium");

        // Playwright must never try to download a browser: it drives the system's Chromium.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var playwright = await Playwright.CreateAsync();
        var profile = Directory.CreateTempSubdirectory("causalstream-chromium-");
        var context = await playwright.Chromium.LaunchPersistentContextAsync(profile.FullName, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ChromiumArgs,
            ViewportSize = new ViewportSize { Width = 1280, Height = 860 },
            ServiceWorkers = ServiceWorkerPolicy.Block,
        });
        var page = context.Pages.Count > 0 ? context.Pages[0] : await context.NewPageAsync();
        var session = new BrowserSession(playwright, context, page, profile);
        page.PageError += (_, error) => session.Errors.Add("page error: " + error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                session.Errors.Add("console: " + message.Text);
            }
        };
        return session;
    }

    private sealed record Reading(string Sequence, int Edges, int Significant, string Widths, string Elapsed, string Rate);

    private sealed class BrowserSession(IPlaywright playwright, IBrowserContext context, IPage page, DirectoryInfo profile) : IAsyncDisposable
    {
        public IPage Page { get; } = page;

        public List<string> Errors { get; } = [];

        public async ValueTask DisposeAsync()
        {
            await context.CloseAsync();
            playwright.Dispose();
            try
            {
                profile.Delete(recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
