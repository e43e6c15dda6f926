using System.Globalization;
using System.Text;
using CausalStream.Lsl.Info;

namespace CausalStream.Lsl.Protocol;

/// <summary>
/// A data feed request: <c>LSL:streamfeed/110 &lt;uid&gt;</c> with the headers a liblsl inlet sends (byte order,
/// value size, buffer and chunk lengths, …), or the legacy <c>LSL:streamfeed</c> with two numbers. Written by
/// inlets and parsed by outlets with liblsl's rules (keys case-insensitive, <c>;</c> comments, numbers in any notation).
/// </summary>
public sealed record LslFeedRequest
{
    /// <summary>Protocol version × 100 from the request line (100 for the unversioned legacy request).</summary>
    public int Version { get; init; } = 110;

    /// <summary>UID of the wanted stream; empty = any.</summary>
    public string Uid { get; init; } = string.Empty;

    /// <summary>1234 (little endian) or 4321 (big endian).</summary>
    public int ByteOrder { get; init; } = 1234;

    /// <summary>The client's byte-swap speed figure; the outlet converts only if its own figure is larger.</summary>
    public double EndianPerformance { get; init; }

    public bool HasIeee754Floats { get; init; } = true;

    public bool SupportsSubnormals { get; init; } = true;

    /// <summary>Bytes per value the client expects (32 for string streams, as liblsl sends).</summary>
    public int ValueSize { get; init; }

    /// <summary>Capacity of this consumer's queue at the outlet, in samples; 0 = header and test patterns only.</summary>
    public int MaxBufferLength { get; init; } = 360 * 100;

    /// <summary>If &gt; 0, the outlet flushes at least every this many samples.</summary>
    public int MaxChunkLength { get; init; }

    /// <summary>Informational headers; omitted from the request when null.</summary>
    public string? Hostname { get; init; }

    public string? SourceId { get; init; }

    public string? SessionId { get; init; }

    /// <summary>The request text exactly as liblsl formats it (CRLF line ends, empty line at the end).</summary>
    public string Write()
    {
        if (Version < 110)
        {
            return $"LSL:streamfeed\r\n{MaxBufferLength.ToString(CultureInfo.InvariantCulture)} {MaxChunkLength.ToString(CultureInfo.InvariantCulture)}\r\n";
        }

        var sb = new StringBuilder(320);
        sb.Append("LSL:streamfeed/").Append(Version.ToString(CultureInfo.InvariantCulture));
        if (Uid.Length > 0)
        {
            sb.Append(' ').Append(Uid);
        }

        sb.Append("\r\n");
        sb.Append("Native-Byte-Order: ").Append(ByteOrder.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        sb.Append("Endian-Performance: ").Append(LslNumberText.FormatDefaultDouble(Math.Floor(EndianPerformance))).Append("\r\n");
        sb.Append("Has-IEEE754-Floats: ").Append(HasIeee754Floats ? '1' : '0').Append("\r\n");
        sb.Append("Supports-Subnormals: ").Append(SupportsSubnormals ? '1' : '0').Append("\r\n");
        sb.Append("Value-Size: ").Append(ValueSize.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        sb.Append("Data-Protocol-Version: ").Append(Version.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        sb.Append("Max-Buffer-Length: ").Append(MaxBufferLength.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        sb.Append("Max-Chunk-Length: ").Append(MaxChunkLength.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        if (Hostname is not null)
        {
            sb.Append("Hostname: ").Append(Hostname).Append("\r\n");
        }

        if (SourceId is not null)
        {
            sb.Append("Source-Id: ").Append(SourceId).Append("\r\n");
        }

        if (SessionId is not null)
        {
            sb.Append("Session-Id: ").Append(SessionId).Append("\r\n");
        }

        sb.Append("\r\n");
        return sb.ToString();
    }

    /// <summary>
    /// Parses the versioned request: <paramref name="requestLine"/> is <c>LSL:streamfeed/NNN [uid]</c>; the header
    /// lines follow up to (not including) the empty line. Unknown keys are ignored.
    /// </summary>
    /// <exception cref="FormatException">The request line has no version number.</exception>
    public static LslFeedRequest Parse(string requestLine, IEnumerable<string> headerLines)
    {
        ArgumentNullException.ThrowIfNull(requestLine);
        ArgumentNullException.ThrowIfNull(headerLines);
        string[] parts = requestLine.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        int slash = parts.Length > 0 ? parts[0].IndexOf('/', StringComparison.Ordinal) : -1;
        if (slash < 0 || !LslNumberText.TryParseDouble(parts[0].AsSpan(slash + 1), out double version) || version <= 0)
        {
            throw new FormatException($"feed request line '{requestLine}' has no protocol version");
        }

        var request = new LslFeedRequest
        {
            Version = (int)version,
            Uid = parts.Length > 1 ? parts[1] : string.Empty,
            ByteOrder = 1234,
            EndianPerformance = 0,
            MaxBufferLength = 360 * 100,
        };
        foreach (string raw in headerLines)
        {
            string line = raw;
            int comment = line.IndexOf(';', StringComparison.Ordinal);
            if (comment >= 0)
            {
                line = line[..comment];
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            line = line.ToLowerInvariant();
            string key = line[..colon].Trim();
            string value = line[(colon + 1)..].Trim();
            double number = LslNumberText.TryParseDouble(value, out double n) ? n : double.NaN;
            request = key switch
            {
                "native-byte-order" when !double.IsNaN(number) => request with { ByteOrder = (int)number },
                "endian-performance" when !double.IsNaN(number) => request with { EndianPerformance = number },
                "has-ieee754-floats" => request with { HasIeee754Floats = value == "1" },
                "supports-subnormals" => request with { SupportsSubnormals = value == "1" },
                "value-size" when !double.IsNaN(number) => request with { ValueSize = (int)number },
                "max-buffer-length" when !double.IsNaN(number) => request with { MaxBufferLength = (int)Math.Clamp(number, 0, int.MaxValue) },
                "max-chunk-length" when !double.IsNaN(number) => request with { MaxChunkLength = (int)Math.Clamp(number, 0, int.MaxValue) },
                "hostname" => request with { Hostname = value },
                "source-id" => request with { SourceId = value },
                "session-id" => request with { SessionId = value },
                _ => request,
            };
        }

        return request;
    }

    /// <summary>Parses the legacy request's second line (<c>&lt;max buffer&gt; &lt;max chunk&gt;</c>).</summary>
    public static LslFeedRequest ParseLegacy(string parameterLine)
    {
        string[] parts = (parameterLine ?? string.Empty).Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        int buffer = parts.Length > 0 && LslNumberText.TryParseDouble(parts[0], out double b) ? (int)Math.Clamp(b, 0, int.MaxValue) : 360 * 100;
        int chunk = parts.Length > 1 && LslNumberText.TryParseDouble(parts[1], out double c) ? (int)Math.Clamp(c, 0, int.MaxValue) : 0;
        return new LslFeedRequest { Version = 100, MaxBufferLength = buffer, MaxChunkLength = chunk };
    }
}
