using System.Globalization;
using System.Net;
using System.Text.Json;
using CausalStream.Dashboard.Streaming;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace CausalStream.Dashboard.Hosting;

/// <summary>
/// The dashboard's HTTP side on Kestrel: the embedded page, the live feed (/events, Server-Sent Events), the
/// state (/api/state) and the token-protected controls (POST /api/stimulation/arm, /disarm and /threshold). Each feed
/// connection drains its own queue onto its socket, so a browser that stops reading only stalls itself.
/// </summary>
internal sealed class DashboardServer : IAsyncDisposable
{
    private const string PageSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    /// <summary>Largest body a control request may send.</summary>
    private const int MaxControlBodyBytes = 4096;
    private readonly DashboardSink _sink;
    private readonly SseHub _hub;
    private readonly BearerToken? _token;
    private readonly StaticAssets _assets = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly bool _loopbackOnly;
    private WebApplication? _app;

    public DashboardServer(DashboardSink sink, SseHub hub, BearerToken? token)
    {
        _sink = sink;
        _hub = hub;
        _token = token;
        _loopbackOnly = IsLoopback(new Uri(sink.Options.Url).Host);
    }

    public async Task<Uri> StartAsync(CancellationToken cancellationToken)
    {
        var options = _sink.Options;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 16 * 1024;
            kestrel.Limits.MaxConcurrentConnections = options.MaxClients + 32;
        });
        builder.WebHost.UseUrls(options.Url);
        var app = builder.Build();
        app.Run(HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new IOException($"dashboard: cannot listen on {options.Url}: {ex.Message}", ex);
        }

        _app = app;
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        foreach (string address in addresses ?? [])
        {
            return new Uri(address.Replace("[::]", "localhost", StringComparison.Ordinal).Replace("0.0.0.0", "localhost", StringComparison.Ordinal));
        }

        return new Uri(options.Url);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _hub.CompleteAll();
        if (_app is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private static bool IsLoopback(string host)
        => host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));

    private Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.XFrameOptions = "DENY";

        // A loopback dashboard answers only to loopback host names, so a web page cannot reach it by pointing
        // its own domain name at 127.0.0.1 (DNS rebinding).
        if (_loopbackOnly && !IsLoopback(request.Host.Host))
        {
            return Error(context, StatusCodes.Status421MisdirectedRequest, "this dashboard only answers to localhost, 127.0.0.1 or [::1]");
        }

        string path = request.Path.Value ?? "/";
        switch (path)
        {
            case "/events":
                return HttpMethods.IsGet(request.Method) ? StreamEventsAsync(context) : MethodNotAllowed(context, "GET");
            case "/api/state":
                return HttpMethods.IsGet(request.Method) ? WriteStateAsync(context) : MethodNotAllowed(context, "GET");
            case "/api/stimulation/arm":
                return HttpMethods.IsPost(request.Method) ? ControlAsync(context, arm: true) : MethodNotAllowed(context, "POST");
            case "/api/stimulation/disarm":
                return HttpMethods.IsPost(request.Method) ? ControlAsync(context, arm: false) : MethodNotAllowed(context, "POST");
            case "/api/stimulation/threshold":
                return HttpMethods.IsPost(request.Method) ? SetThresholdAsync(context) : MethodNotAllowed(context, "POST");
        }

        if (!_assets.TryGet(path, out byte[] content, out string contentType))
        {
            return Error(context, StatusCodes.Status404NotFound, "not found");
        }

        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            return MethodNotAllowed(context, "GET");
        }

        response.ContentType = contentType;
        response.ContentLength = content.Length;
        response.Headers.CacheControl = "no-cache";
        if (contentType.StartsWith("text/html", StringComparison.Ordinal))
        {
            response.Headers.ContentSecurityPolicy = PageSecurityPolicy;
        }

        return HttpMethods.IsHead(request.Method) ? Task.CompletedTask : response.Body.WriteAsync(content, 0, content.Length, context.RequestAborted);
    }

    private async Task StreamEventsAsync(HttpContext context)
    {
        var response = context.Response;
        string remote = $"{context.Connection.RemoteIpAddress}:{context.Connection.RemotePort}";
        var client = _hub.TryConnect(remote, out var snapshot);
        if (client is null)
        {
            await Error(context, StatusCodes.Status503ServiceUnavailable, $"too many dashboard clients (at most {_sink.Options.MaxClients})").ConfigureAwait(false);
            return;
        }

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        var token = cancel.Token;
        try
        {
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache, no-store";
            response.Headers["X-Accel-Buffering"] = "no";
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            var body = response.Body;
            foreach (byte[] frame in snapshot.Encode(new SseEncoder()))
            {
                await body.WriteAsync(frame, token).ConfigureAwait(false);
            }

            await body.FlushAsync(token).ConfigureAwait(false);
            var reader = client.Reader;
            while (await reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                while (reader.TryRead(out byte[]? frame))
                {
                    await body.WriteAsync(frame, token).ConfigureAwait(false);
                    client.AddSent();
                }

                await body.FlushAsync(token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The browser went away, or the dashboard is stopping.
        }
        finally
        {
            _hub.Disconnect(client);
        }
    }

    private async Task WriteStateAsync(HttpContext context)
    {
        var response = context.Response;
        response.ContentType = "application/json";
        response.Headers.CacheControl = "no-store";
        var control = _sink.Control;
        var clients = _hub.Describe();
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteBoolean("controlsEnabled", _token is not null);
            json.WriteBoolean("controllerAttached", control is not null);
            if (control is null)
            {
                json.WriteNull("armed");
            }
            else
            {
                json.WriteBoolean("armed", control.IsArmed);
            }

            var thresholds = _sink.Thresholds;
            json.WriteStartArray("rules");
            if (thresholds is not null)
            {
                foreach (var rule in thresholds.Thresholds)
                {
                    json.WriteStartObject();
                    json.WriteString("rule", rule.Rule);
                    json.WriteString("feature", rule.Feature);
                    json.WriteNumber("channel", rule.Channel);
                    json.WriteNumber("threshold", rule.Threshold);
                    json.WriteEndObject();
                }
            }

            json.WriteEndArray();
            json.WriteNumber("published", _hub.Published);
            json.WriteNumber("connections", _hub.Connections);
            json.WriteNumber("droppedTotal", _hub.DroppedTotal);
            json.WriteNumber("capacityPerClient", _sink.Options.CapacityPerClient);
            json.WriteStartArray("clients");
            foreach (var client in clients)
            {
                json.WriteStartObject();
                json.WriteNumber("id", client.Id);
                json.WriteString("remote", client.Remote);
                json.WriteNumber("connectedSeconds", Math.Round(client.ConnectedSeconds, 3));
                json.WriteNumber("queued", client.Queued);
                json.WriteNumber("sent", client.Sent);
                json.WriteNumber("dropped", client.Dropped);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        await response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The refusal of a control request without the configured token, or null when it may proceed.</summary>
    private Task? Refuse(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (_token is null)
        {
            return Error(context, StatusCodes.Status403Forbidden, $"controls are disabled: no token is configured on the server (sinks.dashboard.token or {DashboardOptions.TokenEnvironmentVariable})");
        }

        if (!_token.Matches(context.Request.Headers.Authorization.ToString()))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return Error(context, StatusCodes.Status401Unauthorized, "missing or wrong token (send Authorization: Bearer <token>)");
        }

        return null;
    }

    /// <summary>POST {"rule": NAME, "threshold": NUMBER}: changes a fast-path rule's threshold (token required, audited).</summary>
    private async Task SetThresholdAsync(HttpContext context)
    {
        if (Refuse(context) is { } refused)
        {
            await refused.ConfigureAwait(false);
            return;
        }

        var thresholds = _sink.Thresholds;
        if (thresholds is null)
        {
            await Error(context, StatusCodes.Status409Conflict, "this pipeline has no adjustable stimulation rules").ConfigureAwait(false);
            return;
        }

        string? rule = null;
        double threshold = double.NaN;
        try
        {
            var body = new byte[MaxControlBodyBytes + 1];
            int length = 0;
            int read;
            while (length < body.Length && (read = await context.Request.Body.ReadAsync(body.AsMemory(length), context.RequestAborted).ConfigureAwait(false)) > 0)
            {
                length += read;
            }

            if (length > MaxControlBodyBytes)
            {
                await Error(context, StatusCodes.Status413PayloadTooLarge, $"the request body is larger than {MaxControlBodyBytes} bytes").ConfigureAwait(false);
                return;
            }

            using var document = JsonDocument.Parse(body.AsMemory(0, length));
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("rule", out var name) && name.ValueKind == JsonValueKind.String)
            {
                rule = name.GetString();
            }

            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("threshold", out var value) && value.ValueKind == JsonValueKind.Number)
            {
                threshold = value.GetDouble();
            }
        }
        catch (JsonException ex)
        {
            await Error(context, StatusCodes.Status400BadRequest, $"the body is not JSON: {ex.Message}").ConfigureAwait(false);
            return;
        }

        if (string.IsNullOrEmpty(rule) || double.IsNaN(threshold))
        {
            await Error(context, StatusCodes.Status400BadRequest, "send {\"rule\": \"<rule name>\", \"threshold\": <number>}").ConfigureAwait(false);
            return;
        }

        string reason = $"dashboard: an operator from {context.Connection.RemoteIpAddress}";
        if (thresholds.TrySetThreshold(rule, threshold, reason) is { } problem)
        {
            await Error(context, StatusCodes.Status400BadRequest, problem).ConfigureAwait(false);
            return;
        }

        _sink.PublishControlState(string.Create(CultureInfo.InvariantCulture, $"threshold of rule '{rule}' set to {threshold:G6}"));
        context.Response.ContentType = "application/json";
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("rule", rule);
            json.WriteNumber("threshold", threshold);
            json.WriteEndObject();
        }

        await context.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted).ConfigureAwait(false);
    }

    private Task ControlAsync(HttpContext context, bool arm)
    {
        if (Refuse(context) is { } refused)
        {
            return refused;
        }

        var control = _sink.Control;
        if (control is null)
        {
            return Error(context, StatusCodes.Status409Conflict, "this pipeline has no stimulation controller");
        }

        string reason = $"dashboard: {(arm ? "armed" : "disarmed")} by an operator from {context.Connection.RemoteIpAddress}";
        if (arm)
        {
            control.Arm(reason);
        }
        else
        {
            control.Disarm(reason);
        }

        _sink.PublishControlState(reason);
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(control.IsArmed ? "{\"armed\":true}" : "{\"armed\":false}", context.RequestAborted);
    }

    private static Task MethodNotAllowed(HttpContext context, string allow)
    {
        context.Response.Headers.Allow = allow;
        return Error(context, StatusCodes.Status405MethodNotAllowed, "method not allowed");
    }

    private static Task Error(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("error", message);
            json.WriteEndObject();
        }

        return context.Response.Body.WriteAsync(buffer.ToArray(), 0, (int)buffer.Length, context.RequestAborted);
    }
}
